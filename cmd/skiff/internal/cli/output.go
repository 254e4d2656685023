package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

// The output formats of -o.
const (
	outputTable = ""
	outputWide  = "wide"
	outputJSON  = "json"
	outputYAML  = "yaml"
	outputName  = "name"
)

// checkOutput rejects an -o value that is not one of allowed.
func checkOutput(o string, allowed ...string) error {
	for _, a := range allowed {
		if o == a {
			return nil
		}
	}
	var list []string
	for _, a := range allowed {
		if a != "" {
			list = append(list, a)
		}
	}
	return fmt.Errorf("unable to match a printer suitable for the output format %q, allowed formats are: %s", o, strings.Join(list, ","))
}

// objectJSON returns obj as a generic JSON value with its apiVersion and kind, without
// modifying obj (which may be shared). Numbers stay as written (json.Number), so that
// templates and printers show them exactly.
func objectJSON(sch *scheme.Scheme, obj meta.Object) (any, error) {
	data, err := sch.Encode(obj.DeepCopyObject())
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	err = d.Decode(&v)
	return v, err
}

// listJSON is the List kubectl prints for several objects.
func listJSON(items []any) map[string]any {
	if items == nil {
		items = []any{}
	}
	return map[string]any{
		"apiVersion": "v1",
		"kind":       "List",
		"items":      items,
		"metadata":   map[string]any{"resourceVersion": ""},
	}
}

// writeJSON writes v as kubectl's JSON printer does: indented by four spaces, keys sorted.
func writeJSON(w io.Writer, v any) error {
	data, err := json.MarshalIndent(v, "", "    ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// writeYAML writes v as YAML, keys sorted.
func writeYAML(w io.Writer, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	y, err := yaml.JSONToYAML(data)
	if err != nil {
		return err
	}
	_, err = w.Write(y)
	return err
}

// printObjects writes objs in format (json, yaml or name). single says the user asked for
// exactly one object by name: JSON and YAML print it alone rather than in a List.
func printObjects(w io.Writer, sch *scheme.Scheme, format string, objs []meta.Object, single bool) error {
	switch format {
	case outputName:
		for _, o := range objs {
			info, err := sch.ForObject(o)
			if err != nil {
				return err
			}
			fmt.Fprintln(w, objectName(info, o.GetName()))
		}
		return nil
	case outputJSON, outputYAML:
		items := make([]any, 0, len(objs))
		for _, o := range objs {
			v, err := objectJSON(sch, o)
			if err != nil {
				return err
			}
			items = append(items, v)
		}
		var v any = listJSON(items)
		if single && len(items) == 1 {
			v = items[0]
		}
		if format == outputJSON {
			return writeJSON(w, v)
		}
		return writeYAML(w, v)
	}
	return fmt.Errorf("unknown output format %q", format)
}
