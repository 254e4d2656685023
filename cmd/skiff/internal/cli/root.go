package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/client/remote"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
)

// Environment variables the global flags default to.
const (
	// EnvServer is the default of --server.
	EnvServer = "SKIFF_SERVER"
	// EnvToken is the default of --token.
	EnvToken = "SKIFF_TOKEN"
	// DefaultServer is the default of --server when EnvServer is unset.
	DefaultServer = "http://127.0.0.1:7070"
	// DefaultNamespace is the default of --namespace.
	DefaultNamespace = "default"
)

// ClientConfig is what the global flags say about the API server.
type ClientConfig struct {
	// Server is the API server's URL (--server).
	Server string
	// Token is the bearer token (--token), "" for none.
	Token string
	// Scheme registers the kinds the commands handle.
	Scheme *scheme.Scheme
}

// Options connect the commands to the world outside them. The zero value of every field but
// NewClient means its default.
type Options struct {
	// In is the standard input (`apply -f -`). Default os.Stdin.
	In io.Reader
	// Out receives results. Default os.Stdout.
	Out io.Writer
	// ErrOut receives errors, warnings and the logs of `up`. Default os.Stderr.
	ErrOut io.Writer
	// NewClient makes the client of every command but up and version, from the global
	// flags; it is called at most once per Run. Default RemoteClient.
	NewClient func(ClientConfig) (client.Client, error)
	// Clock dates ages, restarts and events, and bounds --timeout waits. Default
	// clock.Real{}.
	Clock clock.Clock
	// Getenv reads the environment (SKIFF_SERVER, SKIFF_TOKEN). Default os.Getenv.
	Getenv func(string) string
}

// withDefaults returns o with its zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.In == nil {
		o.In = os.Stdin
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if o.ErrOut == nil {
		o.ErrOut = os.Stderr
	}
	if o.NewClient == nil {
		o.NewClient = RemoteClient
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	return o
}

// RemoteClient returns the HTTP client of the API server cfg names.
func RemoteClient(cfg ClientConfig) (client.Client, error) {
	return remote.New(remote.Config{Server: cfg.Server, Token: cfg.Token, Scheme: cfg.Scheme, UserAgent: "skiff/" + clientVersion()})
}

// Run executes the command line args (without the program name) and returns the exit code:
// 0 on success, 1 on any failure, whose message it has printed to o.ErrOut. ctx ends
// long-running commands (up, get -w, rollout status, delete --wait): main cancels it on
// SIGINT and SIGTERM.
func Run(ctx context.Context, args []string, o Options) int {
	r := newRoot(o.withDefaults())
	cmd := r.command()
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if closer, ok := r.c.(interface{ Close() }); ok {
		closer.Close() // the remote client's idle connections
	}
	if err == nil {
		return 0
	}
	var silent *silentError
	if !errors.As(err, &silent) {
		fmt.Fprintln(r.opts.ErrOut, formatError(err, r.cfg().Server))
	}
	return 1
}

// root holds the global flags and what commands share.
type root struct {
	opts   Options
	scheme *scheme.Scheme

	server        string
	token         string
	namespace     string
	allNamespaces bool

	// dryRun and createOutput are the --dry-run and -o of create and run.
	dryRun       string
	createOutput string

	once      sync.Once // guards making c
	c         client.Client
	clientErr error
}

func newRoot(o Options) *root {
	return &root{opts: o, scheme: scheme.NewBuiltin()}
}

// command builds the command tree.
func (r *root) command() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "skiff",
		Short: "skiff runs and controls a Kubernetes-style control plane",
		Long: "skiff runs a Kubernetes-style control plane (skiff up) and controls it the way kubectl\n" +
			"controls a cluster: apply manifests, get and describe objects, scale and roll out workloads.",
		SilenceErrors: true,
		SilenceUsage:  true,
		// Without a subcommand, print the help.
		Run: func(cmd *cobra.Command, _ []string) { _ = cmd.Help() },
	}
	cmd.SetIn(r.opts.In)
	cmd.SetOut(r.opts.Out)
	cmd.SetErr(r.opts.ErrOut)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError(c, "%v", err) })
	cmd.CompletionOptions.DisableDefaultCmd = true

	server := r.opts.Getenv(EnvServer)
	if server == "" {
		server = DefaultServer
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&r.server, "server", server, "the address of the API server (env "+EnvServer+")")
	pf.StringVar(&r.token, "token", r.opts.Getenv(EnvToken), "the bearer token for the API server (env "+EnvToken+")")
	pf.StringVarP(&r.namespace, "namespace", "n", DefaultNamespace, "the namespace of the request")
	pf.BoolVarP(&r.allNamespaces, "all-namespaces", "A", false, "list the requested objects across all namespaces")

	cmd.AddCommand(
		r.upCommand(),
		r.applyCommand(),
		r.createCommand(),
		r.runCommand(),
		r.exposeCommand(),
		r.getCommand(),
		r.describeCommand(),
		r.deleteCommand(),
		r.scaleCommand(),
		r.labelCommand(labelMap),
		r.labelCommand(annotationMap),
		r.patchCommand(),
		r.editCommand(),
		r.setCommand(),
		r.rolloutCommand(),
		r.waitCommand(),
		r.eventsCommand(),
		r.cordonCommand(true),
		r.cordonCommand(false),
		r.drainCommand(),
		r.apiResourcesCommand(),
		r.soakCommand(),
		r.versionCommand(),
	)
	return cmd
}

// cfg returns the client configuration of the global flags.
func (r *root) cfg() ClientConfig {
	return ClientConfig{Server: r.server, Token: r.token, Scheme: r.scheme}
}

// client returns the client of the global flags, made on first use.
func (r *root) client() (client.Client, error) {
	r.once.Do(func() {
		r.c, r.clientErr = r.opts.NewClient(r.cfg())
		if r.clientErr == nil && r.c.Scheme() != nil {
			r.scheme = r.c.Scheme()
		}
	})
	return r.c, r.clientErr
}

// ns returns the namespace of the request: "" with -A, else -n's.
func (r *root) ns() string {
	if r.allNamespaces {
		return ""
	}
	return r.namespace
}

// namespaceFlagSet reports whether -n was given on the command line.
func namespaceFlagSet(cmd *cobra.Command) bool {
	f := cmd.Flag("namespace")
	return f != nil && f.Changed
}
