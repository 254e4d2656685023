package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/jsonpath"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/printers"
	"github.com/skiff-dev/skiff/scheme"
)

// The output formats of -o that carry an argument after "=".
const (
	outputJSONPath      = "jsonpath"       // -o jsonpath='{.items[*].metadata.name}'
	outputCustomColumns = "custom-columns" // -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName
)

// outputMode is a parsed -o value: the format, and the template or table it carries.
type outputMode struct {
	format string             // outputTable, outputJSON, ..., outputJSONPath, outputCustomColumns
	tmpl   *jsonpath.Template // jsonpath
	table  *printers.Table    // custom-columns
}

// perObject reports whether the format prints objects rather than table rows: JSON, YAML,
// names and JSONPath templates.
func (m outputMode) perObject() bool {
	switch m.format {
	case outputJSON, outputYAML, outputName, outputJSONPath:
		return true
	}
	return false
}

// parseOutput parses -o: one of allowed, or jsonpath=TEMPLATE or custom-columns=SPEC when
// templates is true.
func (r *root) parseOutput(o string, templates bool, allowed ...string) (outputMode, error) {
	format, arg, hasArg := strings.Cut(o, "=")
	if templates && hasArg {
		switch format {
		case outputJSONPath:
			t, err := jsonpath.Parse(arg)
			if err != nil {
				return outputMode{}, fmt.Errorf("error parsing jsonpath %s, %v", arg, err)
			}
			return outputMode{format: format, tmpl: t}, nil
		case outputCustomColumns:
			t, err := r.customColumns(arg)
			if err != nil {
				return outputMode{}, err
			}
			return outputMode{format: format, table: &t}, nil
		}
	}
	if templates && (o == outputJSONPath || o == outputCustomColumns) {
		return outputMode{}, fmt.Errorf("%s format specified but no template given", o)
	}
	names := allowed
	if templates {
		names = append(slices.Clone(allowed), outputJSONPath, outputCustomColumns)
	}
	if err := checkOutput(o, names...); err != nil {
		return outputMode{}, err
	}
	return outputMode{format: o}, nil
}

// customColumns returns the table of -o custom-columns=HEADER:PATH[,HEADER:PATH...]. A cell
// holds what its path selects, several values separated by commas, or <none>.
func (r *root) customColumns(spec string) (printers.Table, error) {
	if spec == "" {
		return printers.Table{}, fmt.Errorf("custom-columns format specified but no custom columns given")
	}
	var cols []printers.Column
	var paths []*jsonpath.Path
	for _, part := range strings.Split(spec, ",") {
		header, expr, ok := strings.Cut(part, ":")
		if !ok || header == "" || expr == "" {
			return printers.Table{}, fmt.Errorf("unexpected custom-columns spec: %s, expected <header>:<json-path-expr>", part)
		}
		if !strings.HasPrefix(expr, "{") && !strings.HasPrefix(expr, ".") {
			expr = "." + expr
		}
		p, err := jsonpath.ParsePath(expr)
		if err != nil {
			return printers.Table{}, fmt.Errorf("error parsing jsonpath %s, %v", expr, err)
		}
		cols = append(cols, printers.Column{Name: header})
		paths = append(paths, p)
	}
	sch := r.scheme
	return printers.Table{
		Columns:    cols,
		NameColumn: -1,
		Cells: func(obj meta.Object, _ time.Time) []string {
			v, err := objectJSON(sch, obj)
			cells := make([]string, len(paths))
			for i, p := range paths {
				var vals []string
				if err == nil {
					for _, x := range p.Eval(v) {
						s, _ := jsonpath.Text(x)
						vals = append(vals, s)
					}
				}
				cells[i] = strings.Join(vals, ",")
				if len(vals) == 0 {
					cells[i] = "<none>"
				}
			}
			return cells
		},
	}, nil
}

// executeTemplate prints objs with a jsonpath template: the object alone when single, else
// a List of them, as kubectl does.
func executeTemplate(w io.Writer, sch *scheme.Scheme, t *jsonpath.Template, objs []meta.Object, single bool) error {
	var data any
	if single && len(objs) == 1 {
		v, err := objectJSON(sch, objs[0])
		if err != nil {
			return err
		}
		data = v
	} else {
		items := make([]any, 0, len(objs))
		for _, o := range objs {
			v, err := objectJSON(sch, o)
			if err != nil {
				return err
			}
			items = append(items, v)
		}
		data = listJSON(items)
	}
	if err := t.Execute(w, data); err != nil {
		return fmt.Errorf("error executing jsonpath: %v", err)
	}
	return nil
}
