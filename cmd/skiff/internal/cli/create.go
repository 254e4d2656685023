package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// instantiateAnnotation marks a job created from a cron job by hand, as kubectl does.
const instantiateAnnotation = "cronjob.kubernetes.io/instantiate"

func (r *root) createCommand() *cobra.Command {
	var f fileFlags
	cmd := &cobra.Command{
		Use:   "create -f FILENAME",
		Short: "Create objects from manifests or from the command line",
		Long: "Create the objects of the manifests; it is an error if one exists already.\n" +
			"The subcommands create one object from their arguments.",
		Example: "  skiff create -f web.yaml\n  skiff create job backup-now --from=cronjob/backup\n" +
			"  skiff create deployment web --image=nginx:1.25 --replicas=3\n  skiff create namespace staging\n" +
			"  skiff create configmap settings --from-literal=mode=fast\n" +
			"  skiff create secret generic db --from-literal=password=s3cret",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(f.files) == 0 {
				return usageError(cmd, "must specify -f, or one of the subcommands")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			ms, err := r.readAndPrepare("create", f.files, f.recursive, namespaceFlagSet(cmd))
			if err != nil {
				return err
			}
			if _, err := r.clientDryRun(); err != nil {
				return usageError(cmd, "%v", err)
			}
			if err := checkOutput(r.createOutput, "", outputJSON, outputYAML, outputName); err != nil {
				return err
			}
			var errs []error
			for _, m := range ms {
				if err := r.createObject(cmd, c, m.obj); err != nil {
					errs = append(errs, &sourceError{"creating", m.source, err})
				}
			}
			return r.reportErrors(errs)
		},
	}
	f.add(cmd, "to create")
	r.addCreateOutputFlags(cmd, true)
	cmd.AddCommand(r.createJobCommand(), r.createDeploymentCommand(), r.createNamespaceCommand(),
		r.createConfigMapCommand(), r.createSecretCommand())
	return cmd
}

// createObject creates obj and prints "<kind>/<name> created", or with -o the object as
// created. With --dry-run=client it creates nothing and prints the object as it would be sent
// ("... created (dry run)" without -o), as kubectl does to write manifests:
// `skiff create deployment web --image=nginx --dry-run=client -o yaml`.
func (r *root) createObject(cmd *cobra.Command, c client.Client, obj meta.Object) error {
	return r.createObjectAs(cmd, c, obj, "created")
}

// createObjectAs is createObject reporting with verb ("exposed") instead of "created".
func (r *root) createObjectAs(cmd *cobra.Command, c client.Client, obj meta.Object, verb string) error {
	info, err := c.Scheme().ForObject(obj)
	if err != nil {
		return err
	}
	dry, err := r.clientDryRun()
	if err != nil {
		return usageError(cmd, "%v", err)
	}
	if err := checkOutput(r.createOutput, "", outputJSON, outputYAML, outputName); err != nil {
		return err
	}
	out := obj
	if !dry {
		if out, err = c.Create(cmd.Context(), obj, store.CreateOptions{}); err != nil {
			return err
		}
	}
	if r.createOutput != "" {
		return printObjects(r.opts.Out, r.scheme, r.createOutput, []meta.Object{out}, true)
	}
	msg := objectName(info, out.GetName()) + " " + verb
	if dry {
		msg += " (dry run)"
	}
	fmt.Fprintln(r.opts.Out, msg)
	return nil
}

// addCreateOutputFlags adds --dry-run and -o to create (persistent, for its subcommands too)
// and run.
func (r *root) addCreateOutputFlags(cmd *cobra.Command, persistent bool) {
	fl := cmd.Flags()
	if persistent {
		fl = cmd.PersistentFlags()
	}
	fl.StringVar(&r.dryRun, "dry-run", "none", "none, or client to print the object instead of creating it (skiff has no server-side dry run)")
	fl.Lookup("dry-run").NoOptDefVal = "client"
	fl.StringVarP(&r.createOutput, "output", "o", "", "print the created object: json, yaml or name")
}

// clientDryRun parses --dry-run: true for client, false for none.
func (r *root) clientDryRun() (bool, error) {
	switch r.dryRun {
	case "", "none":
		return false, nil
	case "client":
		return true, nil
	case "server":
		return false, errors.New("--dry-run=server is not supported: skiff has no server-side dry run; use --dry-run=client")
	}
	return false, fmt.Errorf("invalid dry-run value (%s). Must be \"none\", \"server\", or \"client\"", r.dryRun)
}

func (r *root) createJobCommand() *cobra.Command {
	var from, image string
	cmd := &cobra.Command{
		Use:   "job NAME (--from=cronjob/NAME | --image=IMAGE) [-- COMMAND [ARG...]]",
		Short: "Create a job, from a cron job's template or with one container",
		Example: "  skiff create job backup-now --from=cronjob/backup\n" +
			"  skiff create job pi --image=perl -- perl -Mbignum=bpi -wle 'print bpi(100)'",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError(cmd, "NAME is required")
			}
			name, command := args[0], args[1:]
			if (from == "") == (image == "") {
				return usageError(cmd, "either --image or --from must be specified")
			}
			if from != "" && len(command) > 0 {
				return usageError(cmd, "cannot specify --from and command")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			ns := r.namespace
			var job *batch.Job
			if from != "" {
				typ, cjName, ok := strings.Cut(from, "/")
				if !ok || cjName == "" {
					return usageError(cmd, "--from must be of the form cronjob/NAME")
				}
				info, err := r.resolve(typ)
				if err != nil {
					return err
				}
				if info.GVK != scheme.CronJobGVK {
					return fmt.Errorf("from must be an existing cronjob: %s", kindString(info))
				}
				cj, err := client.For[*batch.CronJob](c).Get(cmd.Context(), ns, cjName)
				if err != nil {
					return err
				}
				job = jobFromCronJob(name, cj)
			} else {
				job = &batch.Job{
					ObjectMeta: meta.ObjectMeta{Name: name, Namespace: ns},
					Spec: batch.JobSpec{Template: core.PodTemplateSpec{Spec: core.PodSpec{
						RestartPolicy: core.RestartPolicyNever,
						Containers:    []core.Container{{Name: name, Image: image, Command: command}},
					}}},
				}
			}
			return r.createObject(cmd, c, job)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the cron job to copy the job template of, as cronjob/NAME")
	cmd.Flags().StringVar(&image, "image", "", "the image of the job's container")
	return cmd
}

// jobFromCronJob returns the job kubectl's `create job --from=cronjob/...` makes: the cron
// job's job template, labels and annotations, the instantiate=manual annotation and the cron
// job as its controller.
func jobFromCronJob(name string, cj *batch.CronJob) *batch.Job {
	ann := map[string]string{instantiateAnnotation: "manual"}
	for k, v := range cj.Spec.JobTemplate.Annotations {
		ann[k] = v
	}
	controller := true
	return &batch.Job{
		ObjectMeta: meta.ObjectMeta{
			Name:        name,
			Namespace:   cj.Namespace,
			Labels:      cj.Spec.JobTemplate.Labels,
			Annotations: ann,
			OwnerReferences: []meta.OwnerReference{{
				APIVersion: batch.GroupVersion, Kind: "CronJob", Name: cj.Name, UID: cj.UID, Controller: &controller,
			}},
		},
		Spec: *cj.Spec.JobTemplate.Spec.DeepCopy(),
	}
}

func (r *root) createDeploymentCommand() *cobra.Command {
	var images []string
	var replicas int32
	cmd := &cobra.Command{
		Use:     "deployment NAME --image=IMAGE [--replicas=N]",
		Aliases: []string{"deploy"},
		Short:   "Create a deployment of the given images",
		Example: "  skiff create deployment web --image=nginx:1.25 --replicas=3",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError(cmd, "NAME is required")
			}
			if len(images) == 0 {
				return usageError(cmd, "required flag(s) \"image\" not set")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			name := args[0]
			lbl := map[string]string{"app": name}
			var containers []core.Container
			for _, im := range images {
				containers = append(containers, core.Container{Name: containerName(im), Image: im})
			}
			d := &apps.Deployment{
				ObjectMeta: meta.ObjectMeta{Name: name, Namespace: r.namespace, Labels: lbl},
				Spec: apps.DeploymentSpec{
					Replicas: &replicas,
					Selector: &meta.LabelSelector{MatchLabels: lbl},
					Template: core.PodTemplateSpec{
						ObjectMeta: meta.ObjectMeta{Labels: lbl},
						Spec:       core.PodSpec{Containers: containers},
					},
				},
			}
			return r.createObject(cmd, c, d)
		},
	}
	cmd.Flags().StringSliceVar(&images, "image", nil, "the image of a container (repeat for several)")
	cmd.Flags().Int32Var(&replicas, "replicas", 1, "the number of replicas")
	return cmd
}

// containerName derives a container's name from its image, as kubectl does: the last path
// element without tag or digest, underscores made dashes.
func containerName(image string) string {
	name := image[strings.LastIndex(image, "/")+1:]
	name, _, _ = strings.Cut(name, "@")
	name, _, _ = strings.Cut(name, ":")
	return strings.ReplaceAll(name, "_", "-")
}

func (r *root) createNamespaceCommand() *cobra.Command {
	return &cobra.Command{
		Use:     "namespace NAME",
		Aliases: []string{"ns"},
		Short:   "Create a namespace",
		Example: "  skiff create namespace staging",
		Args:    cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError(cmd, "NAME is required")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			return r.createObject(cmd, c, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: args[0]}})
		},
	}
}
