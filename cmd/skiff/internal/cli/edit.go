package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/skiff-dev/skiff/client"
)

// editHeader opens the file edit hands to the editor.
const editHeader = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`

func (r *root) editCommand() *cobra.Command {
	var sel selection
	var output string
	cmd := &cobra.Command{
		Use:   "edit (TYPE NAME | TYPE/NAME | -f FILENAME) [-o yaml|json]",
		Short: "Edit objects in your editor",
		Long: "Open each object in the editor named by SKIFF_EDITOR, KUBE_EDITOR or EDITOR (default vi),\n" +
			"then save the changes made as a JSON merge patch with the object's resourceVersion as its\n" +
			"precondition: if the object changed meanwhile, nothing is written. A file that fails (an\n" +
			"invalid object, a conflict) is reopened with the error at the top; closing it unchanged\n" +
			"gives up and keeps a copy of the edit. Objects are edited one at a time.",
		Example: "  skiff edit deployment/web\n  KUBE_EDITOR=nano skiff edit cm settings -o json",
		RunE: func(cmd *cobra.Command, args []string) error {
			if output != outputYAML && output != outputJSON {
				return usageError(cmd, "the edit format must be yaml or json, not %q", output)
			}
			if len(args) == 0 && len(sel.file.files) == 0 {
				return usageError(cmd, "one or more resources must be specified as <resource> <name> or <resource>/<name>")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			targets, err := r.targets(cmd, c, args, sel)
			if err != nil {
				return err
			}
			for _, t := range targets {
				if err := r.editOne(cmd, c, t, output); err != nil {
					return err
				}
			}
			return nil
		},
	}
	sel.addFlags(cmd, "of the objects to edit", "edit", false)
	cmd.Flags().StringVarP(&output, "output", "o", outputYAML, "the format to edit in: yaml or json")
	return cmd
}

// editOne edits one object until its changes are saved, it is left unchanged, or the editor
// fails.
func (r *root) editOne(cmd *cobra.Command, c client.Client, t target, format string) error {
	ctx := cmd.Context()
	obj, err := c.Get(ctx, t.info.GVK, t.ns, t.name)
	if err != nil {
		return err
	}
	original, err := r.scheme.Encode(obj.DeepCopyObject())
	if err != nil {
		return err
	}
	body, err := editFormat(original, format)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp("", "skiff-edit-*."+format)
	if err != nil {
		return err
	}
	path := f.Name()
	f.Close()
	defer os.Remove(path)

	header := editHeader
	text := header + string(body)
	for {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			return err
		}
		if err := r.runEditor(path); err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		edited := string(data)
		content := stripComments(edited)
		if strings.TrimSpace(content) == "" {
			fmt.Fprintln(r.opts.ErrOut, "Edit cancelled, saved file was empty.")
			return nil
		}
		if edited == text && header != editHeader {
			// Reopened after a failure and closed unchanged: give up, keeping the edit.
			keep, err := os.CreateTemp("", "skiff-edit-*."+format)
			if err == nil {
				_, err = keep.WriteString(edited)
				keep.Close()
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(r.opts.ErrOut, "A copy of your changes has been stored to %q\n", keep.Name())
			return messagef("Edit cancelled, no valid changes were saved.")
		}
		modified, err := yaml.YAMLToJSON([]byte(content))
		saveErr := err
		if err == nil {
			saveErr = r.saveEdit(cmd, c, t, obj.GetResourceVersion(), original, modified)
		}
		switch {
		case saveErr == nil:
			return nil
		case saveErr == errNoEdit:
			fmt.Fprintln(r.opts.ErrOut, "Edit cancelled, no changes made.")
			return nil
		}
		// Reopen with the error on top, as comments, above what was written.
		var b strings.Builder
		b.WriteString(editHeader)
		for _, line := range strings.Split(formatError(saveErr, r.server), "\n") {
			b.WriteString("# " + line + "\n")
		}
		b.WriteString("#\n")
		header = b.String()
		text = header + content
	}
}

// errNoEdit says the edited object is the original one.
var errNoEdit = errors.New("no changes")

// saveEdit writes the difference between original and modified (both JSON) as a merge
// patch, preconditioned on resourceVersion rv, and prints "<kind>/<name> edited".
func (r *root) saveEdit(cmd *cobra.Command, c client.Client, t target, rv string, original, modified []byte) error {
	patch, err := jsonpatch.CreateMergePatch(original, modified)
	if err != nil {
		return err
	}
	var p map[string]any
	if err := json.Unmarshal(patch, &p); err != nil {
		return err
	}
	if len(p) == 0 {
		return errNoEdit
	}
	md, _ := p["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		p["metadata"] = md
	}
	if _, set := md["resourceVersion"]; !set {
		md["resourceVersion"] = rv
	}
	if patch, err = json.Marshal(p); err != nil {
		return err
	}
	if _, err := c.Patch(cmd.Context(), t.info.GVK, t.ns, t.name, client.MergePatchType, patch, client.PatchOptions{}); err != nil {
		return err
	}
	fmt.Fprintln(r.opts.Out, objectName(t.info, t.name), "edited")
	return nil
}

// editFormat renders an object's JSON in the edit format.
func editFormat(data []byte, format string) ([]byte, error) {
	if format == outputYAML {
		return yaml.JSONToYAML(data)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := writeJSON(&buf, v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// stripComments drops the lines that begin with '#'.
func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(s, "\n") {
		if !strings.HasPrefix(line, "#") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// runEditor runs the user's editor on path, through the shell so that the variable may carry
// arguments ("code --wait"), connected to the command's standard streams.
func (r *root) runEditor(path string) error {
	editor := "vi"
	for _, v := range []string{"SKIFF_EDITOR", "KUBE_EDITOR", "EDITOR"} {
		if e := strings.TrimSpace(r.opts.Getenv(v)); e != "" {
			editor = e
			break
		}
	}
	cmd := exec.Command("sh", "-c", editor+` "$1"`, "skiff-edit", path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = r.opts.In, r.opts.Out, r.opts.ErrOut
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("the editor %q failed: %v", editor, err)
	}
	return nil
}
