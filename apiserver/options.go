package apiserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
)

// Defaults for the zero fields of Options, and the address ListenAndServe uses when given
// none.
const (
	// DefaultAddr is where ListenAndServe listens when addr is "": the loopback interface
	// only, so that a plane started without a token is not reachable from other hosts.
	DefaultAddr = "127.0.0.1:7070"
	// DefaultMaxBodyBytes is the largest request body accepted, as in the Kubernetes API
	// server (3 MiB).
	DefaultMaxBodyBytes = 3 << 20
	// DefaultShutdownTimeout bounds how long Serve waits for requests in flight when its
	// context ends, before it closes the connections that remain.
	DefaultShutdownTimeout = 10 * time.Second
	// DefaultReadHeaderTimeout bounds how long a client may take to send a request's headers.
	DefaultReadHeaderTimeout = 10 * time.Second
	// DefaultBodyReadTimeout bounds how long a client may take to send a request's body.
	DefaultBodyReadTimeout = time.Minute
)

// Options configure New. Client is required; the zero value of every other field means its
// default.
type Options struct {
	// Client serves every request, and its scheme decides which kinds are served. A
	// *client.Local gives the API exactly the store's semantics, which is what the remote
	// client's conformance relies on. Required. Kinds must not be registered on its scheme
	// once the server is built: discovery is computed by New.
	Client client.Client

	// Logger receives request errors (5xx), panics and the serving lifecycle. Default:
	// slog.Default() through logr.FromSlogHandler.
	Logger logr.Logger

	// Clock times watches (timeoutSeconds) and the graceful shutdown. Default clock.Real{}.
	Clock clock.Clock

	// MaxBodyBytes caps request bodies; a larger body gets 413 RequestEntityTooLarge.
	// Default DefaultMaxBodyBytes (3 MiB).
	MaxBodyBytes int64

	// Token, when set, turns on bearer-token authentication: every request but /healthz,
	// /livez, /readyz and /version must carry "Authorization: Bearer <Token>" or gets 401.
	Token string

	// TokenFile names a file of accepted bearer tokens, read once by New: one token per
	// line; blank lines and lines starting with # are skipped; in a line of the Kubernetes
	// token-auth-file form (token,user,uid,...) only the first field counts. Tokens from
	// Token and TokenFile are all accepted.
	TokenFile string

	// Version is what /version reports. Default: DefaultVersion().
	Version Version

	// Ready is the check behind /readyz and /healthz; an error makes them answer 503.
	// Default: a one-item list of the first kind of the scheme, which fails once the store
	// behind the client is closed.
	Ready func(ctx context.Context) error

	// ShutdownTimeout bounds how long Serve waits, once its context ends, for requests in
	// flight (watches are ended at once). Default DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
}

// Version is the body of /version: the Kubernetes version.Info shape, so that client-go's
// discovery (ServerVersion) and kubectl read it.
type Version struct {
	// Major and Minor are the Kubernetes API level served, e.g. "1" and "35"; kubectl warns
	// when they are far from its own.
	Major string `json:"major"`
	Minor string `json:"minor"`
	// GitVersion is the full version string, e.g. "v1.35.0+skiff".
	GitVersion string `json:"gitVersion"`
	// GitCommit, GitTreeState and BuildDate describe the build; they may be empty.
	GitCommit    string `json:"gitCommit"`
	GitTreeState string `json:"gitTreeState"`
	BuildDate    string `json:"buildDate"`
	// GoVersion, Compiler and Platform describe the binary, e.g. "go1.26.0", "gc" and
	// "linux/amd64".
	GoVersion string `json:"goVersion"`
	Compiler  string `json:"compiler"`
	Platform  string `json:"platform"`
}

// DefaultVersion reports the Kubernetes API level skiff follows (1.35), with "+skiff" in
// the git version so that nobody mistakes it for a kube-apiserver.
func DefaultVersion() Version {
	return Version{
		Major:        "1",
		Minor:        "35",
		GitVersion:   "v1.35.0+skiff",
		GitTreeState: "clean",
		GoVersion:    runtime.Version(),
		Compiler:     runtime.Compiler,
		Platform:     runtime.GOOS + "/" + runtime.GOARCH,
	}
}

// Validate reports options that cannot work: no client, a negative size or timeout.
func (o Options) Validate() error {
	var errs []error
	if o.Client == nil {
		errs = append(errs, errors.New("a client is required (Options.Client)"))
	} else if o.Client.Scheme() == nil {
		errs = append(errs, errors.New("the client has no scheme"))
	}
	if o.MaxBodyBytes < 0 {
		errs = append(errs, errors.New("MaxBodyBytes must not be negative"))
	}
	if o.ShutdownTimeout < 0 {
		errs = append(errs, errors.New("ShutdownTimeout must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("apiserver: invalid options: %w", err)
	}
	return nil
}

// withDefaults returns o with every zero field but Ready replaced by its default; the one
// place defaults are decided (Ready's default needs the scheme and is made by New).
func (o Options) withDefaults() Options {
	if o.Logger.GetSink() == nil {
		o.Logger = logr.FromSlogHandler(slog.Default().Handler())
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.Version.GitVersion == "" {
		o.Version = DefaultVersion()
	}
	if o.ShutdownTimeout == 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
	return o
}
