package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// runFlags are the flags of run.
type runFlags struct {
	image       string
	env         []string
	port        int32
	labels      string
	annotations []string
	restart     string
	command     bool
	pullPolicy  string
}

func (r *root) runCommand() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run NAME --image=IMAGE [--env=KEY=VALUE] [--port=PORT] [--labels=KEY=VALUE,...] [--restart=Always|OnFailure|Never] [--command] -- [COMMAND] [ARGS...]",
		Short: "Run a pod of one container",
		Long: "Create a pod named NAME with one container, also named NAME, running IMAGE. The pod is\n" +
			"labeled run=NAME unless --labels says otherwise. Arguments after NAME are the container's\n" +
			"args, or with --command its command. skiff's nodes are simulated: there is nothing to\n" +
			"attach to, so kubectl's -i, -t and --rm have no counterpart.",
		Example: "  skiff run web --image=nginx:1.27 --port=80\n" +
			"  skiff run pi --image=perl:5.34 --restart=Never --command -- perl -Mbignum=bpi -wle 'print bpi(200)'",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError(cmd, "NAME is required for run")
			}
			if f.image == "" {
				return usageError(cmd, "--image is required")
			}
			policy, ok := map[string]core.RestartPolicy{
				"Always": core.RestartPolicyAlways, "OnFailure": core.RestartPolicyOnFailure, "Never": core.RestartPolicyNever,
			}[f.restart]
			if !ok {
				return usageError(cmd, "invalid restart policy: %s", f.restart)
			}
			name := args[0]
			lbl := map[string]string{"run": name}
			if f.labels != "" {
				set, _, err := parsePairs(strings.Split(f.labels, ","), pairRules{what: "label", singleEqual: true})
				if err != nil {
					return err
				}
				lbl = set
			}
			var ann map[string]string
			if len(f.annotations) > 0 {
				set, _, err := parsePairs(f.annotations, pairRules{what: "annotation"})
				if err != nil {
					return err
				}
				ann = set
			}
			ctr := core.Container{Name: name, Image: f.image, ImagePullPolicy: core.PullPolicy(f.pullPolicy)}
			if f.command {
				ctr.Command = args[1:]
			} else if len(args) > 1 {
				ctr.Args = args[1:]
			}
			for _, e := range f.env {
				k, v, ok := strings.Cut(e, "=")
				if !ok || k == "" {
					return messagef("invalid env: %s", e)
				}
				ctr.Env = append(ctr.Env, core.EnvVar{Name: k, Value: v})
			}
			if f.port > 0 {
				ctr.Ports = []core.ContainerPort{{ContainerPort: f.port}}
			}
			pod := &core.Pod{
				ObjectMeta: meta.ObjectMeta{Name: name, Namespace: r.namespace, Labels: lbl, Annotations: ann},
				Spec:       core.PodSpec{RestartPolicy: policy, Containers: []core.Container{ctr}},
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			return r.createObject(cmd, c, pod)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.image, "image", "", "the container's image (required)")
	fl.StringArrayVar(&f.env, "env", nil, "an environment variable KEY=VALUE (repeat for several)")
	fl.Int32Var(&f.port, "port", 0, "the port the container exposes")
	fl.StringVarP(&f.labels, "labels", "l", "", "the pod's labels, KEY=VALUE,... (default run=NAME)")
	fl.StringArrayVar(&f.annotations, "annotations", nil, "an annotation KEY=VALUE (repeat for several)")
	fl.StringVar(&f.restart, "restart", "Always", "the pod's restart policy: Always, OnFailure or Never")
	fl.BoolVar(&f.command, "command", false, "the arguments after NAME are the command, not the args")
	fl.StringVar(&f.pullPolicy, "image-pull-policy", "", "the container's image pull policy (default by the server)")
	r.addCreateOutputFlags(cmd, false)
	return cmd
}
