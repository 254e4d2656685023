package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"

	"github.com/go-logr/logr"
	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/controlplane"
)

// upFlags are the flags of up.
type upFlags struct {
	data        string
	listen      string
	nodes       int
	nodeCPU     string
	nodeMemory  string
	metricsAddr string
	healthAddr  string
}

func (r *root) upCommand() *cobra.Command {
	var f upFlags
	cmd := &cobra.Command{
		Use:   "up [--data DIR] [--listen ADDR] [--nodes N]",
		Short: "Run a control plane in the foreground",
		Long: "Run a whole control plane in the foreground: the store in --data, the API server on --listen,\n" +
			"the built-in controllers, the scheduler and simulated nodes, with metrics and health\n" +
			"endpoints. Logs go to standard error. SIGINT or SIGTERM shut it down gracefully; running\n" +
			"it again on the same --data resumes where it left off.\n\n" +
			"With --token, the API server requires that bearer token from every client.",
		Example: "  skiff up\n  skiff up --data /var/lib/skiff --listen 127.0.0.1:7070 --nodes 5 --node-memory 16Gi",
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return r.runUp(cmd.Context(), f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.data, "data", "./skiff-data", "the directory of the plane's data file")
	fl.StringVar(&f.listen, "listen", apiserver.DefaultAddr, "the address the API server listens on")
	fl.IntVar(&f.nodes, "nodes", 3, "the number of simulated nodes")
	fl.StringVar(&f.nodeCPU, "node-cpu", "4", "the CPU capacity of each simulated node")
	fl.StringVar(&f.nodeMemory, "node-memory", "8Gi", "the memory capacity of each simulated node")
	fl.StringVar(&f.metricsAddr, "metrics-addr", "127.0.0.1:7071", "where to serve /metrics (empty: nowhere)")
	fl.StringVar(&f.healthAddr, "health-addr", "", "where to serve the controllers' /healthz and /readyz (the API server serves its own)")
	return cmd
}

// validate checks the flags of up.
func (f upFlags) validate() error {
	var errs []error
	if f.data == "" {
		errs = append(errs, errors.New("--data must not be empty"))
	}
	if f.nodes < 0 {
		errs = append(errs, errors.New("--nodes must not be negative"))
	}
	if _, err := positiveQuantity(f.nodeCPU); err != nil {
		errs = append(errs, fmt.Errorf("--node-cpu %q is not a positive quantity", f.nodeCPU))
	}
	if _, err := positiveQuantity(f.nodeMemory); err != nil {
		errs = append(errs, fmt.Errorf("--node-memory %q is not a positive quantity", f.nodeMemory))
	}
	return errors.Join(errs...)
}

// positiveQuantity parses a resource quantity that must be greater than zero.
func positiveQuantity(s string) (resource.Quantity, error) {
	q, err := resource.ParseQuantity(s)
	if err != nil {
		return q, err
	}
	if q.Sign() <= 0 {
		return q, errors.New("not positive")
	}
	return q, nil
}

// runUp runs the plane and its API server until ctx ends or one of them fails.
func (r *root) runUp(ctx context.Context, f upFlags) error {
	if err := f.validate(); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(r.opts.ErrOut, nil))
	log := logr.FromSlogHandler(logger.Handler())

	l, err := net.Listen("tcp", f.listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", f.listen, err)
	}
	// The plane and the API server outlive ctx: on shutdown the API server stops first, then
	// the plane. Only a start that ctx interrupts cancels the plane's own context.
	planeCtx, cancelPlane := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelPlane()
	started := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			cancelPlane()
		case <-started:
		}
	}()
	plane, err := controlplane.Start(planeCtx, r.planeConfig(f, log))
	close(started)
	if err != nil {
		l.Close()
		return err
	}
	srv, err := apiserver.New(apiserver.Options{Client: plane.Client(), Logger: log.WithName("apiserver"), Token: r.token})
	if err != nil {
		l.Close()
		return errors.Join(err, plane.Stop())
	}
	serveCtx, stopServing := context.WithCancel(context.WithoutCancel(ctx))
	defer stopServing()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(serveCtx, l) }()

	kv := []any{"server", "http://" + l.Addr().String(), "data", f.data}
	if a := plane.Manager().MetricsAddr(); a != "" {
		kv = append(kv, "metrics", "http://"+a+"/metrics")
	}
	if a := plane.Manager().HealthAddr(); a != "" {
		kv = append(kv, "health", "http://"+a+"/healthz")
	}
	logger.Info("skiff is up", kv...)
	if f.nodes > 0 {
		logger.Info("Simulated nodes", "count", f.nodes, "cpu", f.nodeCPU, "memory", f.nodeMemory)
	} else {
		logger.Info("No simulated nodes: pods stay Pending")
	}
	logger.Info("Stop with Ctrl-C; run again with the same --data to resume")

	var serveErr error
	select {
	case <-ctx.Done():
		logger.Info("Shutting down")
	case serveErr = <-served:
		served = nil
	case <-plane.Done():
		logger.Info("The control plane stopped; shutting down", "err", plane.Err())
	}
	stopServing()
	if served != nil {
		serveErr = <-served
	}
	planeErr := plane.Stop()
	if err := errors.Join(serveErr, planeErr); err != nil {
		return err
	}
	logger.Info("Stopped")
	return nil
}

// planeConfig is the controlplane configuration of the flags (validated). --nodes 0 runs no
// kubelets at all: the plane's NodesConfig reads a zero count as its default.
func (r *root) planeConfig(f upFlags, log logr.Logger) controlplane.Config {
	cpu, _ := positiveQuantity(f.nodeCPU)
	memory, _ := positiveQuantity(f.nodeMemory)
	return controlplane.Config{
		DataDir:     f.data,
		Logger:      log,
		Scheme:      r.scheme,
		MetricsAddr: f.metricsAddr,
		HealthAddr:  f.healthAddr,
		Nodes: controlplane.NodesConfig{
			Disabled: f.nodes == 0,
			Count:    f.nodes,
			CPU:      cpu,
			Memory:   memory,
		},
	}
}
