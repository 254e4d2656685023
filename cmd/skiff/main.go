// Command skiff runs a Kubernetes-style control plane (skiff up) and controls it the way
// kubectl controls a cluster (apply, get, describe, delete, scale, rollout, events, ...).
// Run "skiff --help" for the commands; the implementation is in package
// github.com/skiff-dev/skiff/cmd/skiff/internal/cli.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/skiff-dev/skiff/cmd/skiff/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Options{})
	stop()
	os.Exit(code)
}
