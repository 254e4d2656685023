package cli

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/store"
)

// silentError makes Run exit with 1 without printing anything more: the command has already
// printed its errors (one per failed object, as kubectl does).
type silentError struct{}

func (*silentError) Error() string { return "errors were printed" }

// errSilent is the one silentError.
var errSilent error = &silentError{}

// messageError is an error whose message is kubectl's wording, capitals and full stops
// included.
type messageError string

func (e messageError) Error() string { return string(e) }

// messagef returns a messageError with a formatted message.
func messagef(format string, args ...any) error { return messageError(fmt.Sprintf(format, args...)) }

// cmdUsageError is a mistake in a command line: it is printed with a hint to the help.
type cmdUsageError struct {
	path string // "skiff get"
	msg  string
}

func (e *cmdUsageError) Error() string {
	return fmt.Sprintf("%s\nSee '%s -h' for help and examples.", e.msg, e.path)
}

// usageError returns the usage error of cmd with a formatted message.
func usageError(cmd *cobra.Command, format string, args ...any) error {
	return &cmdUsageError{path: cmd.CommandPath(), msg: fmt.Sprintf(format, args...)}
}

// sourceError says which manifest an error is about, as kubectl's AddSourceToErr does:
// `error when creating "web.yaml": deployments.apps "web" already exists`.
type sourceError struct {
	verb   string // "creating", "applying", "retrieving current configuration of"
	source string
	err    error
}

func (e *sourceError) Error() string {
	return fmt.Sprintf("error when %s %q: %v", e.verb, e.source, e.err)
}

func (e *sourceError) Unwrap() error { return e.err }

// reasonUnauthorized is the reason of the API server's 401 answer to a missing or wrong
// token.
const reasonUnauthorized store.Reason = "Unauthorized"

// formatError renders err as kubectl's CheckErr prints it, without the trailing newline:
//
//   - Unauthorized: `error: You must be logged in to the server (Unauthorized)`;
//   - Invalid: `The Deployment "web" is invalid: spec.replicas: Invalid value: ...`, one
//     "* field: message" line per cause when there are several;
//   - any other status error: `Error from server (NotFound): deployments.apps "web" not found`;
//   - a refused connection: `The connection to the server 127.0.0.1:7070 was refused - did you
//     specify the right host or port?`;
//   - anything else: `error: <message>`.
//
// server is the --server URL, named in connection errors.
func formatError(err error, server string) string {
	if errors.Is(err, syscall.ECONNREFUSED) {
		host := server
		if u, perr := url.Parse(server); perr == nil && u.Host != "" {
			host = u.Host
		}
		return fmt.Sprintf("The connection to the server %s was refused - did you specify the right host or port?", host)
	}
	var se *store.StatusError
	if errors.As(err, &se) {
		if se.Reason == store.ReasonInvalid && (se.Kind != "" || se.Name != "") {
			prefix := fmt.Sprintf("The %s %q is invalid: ", se.Kind, se.Name)
			switch len(se.Causes) {
			case 0:
				return strings.TrimSuffix(prefix, ": ")
			case 1:
				return prefix + causeString(se.Causes[0].Field, se.Causes[0].Message)
			}
			var b strings.Builder
			b.WriteString(prefix)
			for _, c := range se.Causes {
				b.WriteString("\n* " + causeString(c.Field, c.Message))
			}
			return b.String()
		}
		if se.Reason == reasonUnauthorized {
			return fmt.Sprintf("error: You must be logged in to the server (%s)", se.Message)
		}
		if se.Reason != "" {
			return fmt.Sprintf("Error from server (%s): %v", se.Reason, err)
		}
		return fmt.Sprintf("Error from server: %v", err)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Sprintf("Unable to connect to the server: %v", ue.Err)
	}
	msg := strings.TrimRight(err.Error(), "\n")
	if !strings.HasPrefix(msg, "error: ") {
		msg = "error: " + msg
	}
	return msg
}

func causeString(field, msg string) string {
	if field == "" {
		return msg
	}
	return field + ": " + msg
}

// reportErrors prints every error of errs to w as formatError renders it and returns
// errSilent if there were any, nil otherwise.
func (r *root) reportErrors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	for _, err := range errs {
		fmt.Fprintln(r.opts.ErrOut, formatError(err, r.server))
	}
	return errSilent
}
