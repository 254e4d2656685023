package printers

import (
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/labels"
)

// Column is one column of a table.
type Column struct {
	// Name is the header, upper case as kubectl prints it: "NAME", "UP-TO-DATE", "LAST SEEN".
	Name string
	// Wide marks a column printed only with -o wide.
	Wide bool
}

// Table says how objects of one kind are printed by `get`.
type Table struct {
	// Columns are the kind's columns, the -o wide ones included, in printing order.
	Columns []Column
	// NameColumn is the index in Columns of the object's name, which Options.KindPrefix
	// prefixes; -1 if the table has none (events without -o wide).
	NameColumn int
	// Cells returns one cell per column of Columns for obj, computing ages from now. obj is
	// of the kind the table is for; it is not modified.
	Cells func(obj meta.Object, now time.Time) []string
}

// Options choose the variant of a table.
type Options struct {
	// Wide prints the Wide columns too (-o wide).
	Wide bool
	// WithNamespace adds a leading NAMESPACE column (-A).
	WithNamespace bool
	// KindPrefix is put before every name, e.g. "deployment.apps/", when several kinds are
	// printed together.
	KindPrefix string
	// NoHeaders leaves out the header line.
	NoHeaders bool
	// ShowLabels adds a trailing LABELS column.
	ShowLabels bool
}

// The layout of kubectl's printers.GetNewTabWriter: every column but the last is at least 6
// wide and padded with three spaces, and widths are remembered across flushes, so that the
// rows a watch prints later stay aligned with the header (they may only widen a column).
const (
	minWidth = 6
	padding  = 3
)

// Writer prints the rows of one table, aligned in columns like kubectl's output, with a header
// before the first row. It buffers rows until Flush. It is not safe for concurrent use.
type Writer struct {
	out    io.Writer
	table  Table
	opts   Options
	header bool       // the header has been written (or is not wanted)
	rows   [][]string // buffered until Flush
	widths []int      // of every column but the last, remembered across flushes
}

// NewWriter returns a Writer of table t to out with options o.
func NewWriter(out io.Writer, t Table, o Options) *Writer {
	return &Writer{out: out, table: t, opts: o, header: o.NoHeaders}
}

// WriteHeader writes the header line, if it was not written yet and is wanted.
func (w *Writer) WriteHeader() {
	if w.header {
		return
	}
	w.header = true
	var cells []string
	if w.opts.WithNamespace {
		cells = append(cells, "NAMESPACE")
	}
	for _, c := range w.table.Columns {
		if !c.Wide || w.opts.Wide {
			cells = append(cells, c.Name)
		}
	}
	if w.opts.ShowLabels {
		cells = append(cells, "LABELS")
	}
	w.line(cells)
}

// Write writes the row of obj, preceded by the header if it is the first row.
func (w *Writer) Write(obj meta.Object, now time.Time) {
	w.WriteHeader()
	all := w.table.Cells(obj, now)
	var cells []string
	if w.opts.WithNamespace {
		cells = append(cells, obj.GetNamespace())
	}
	for i, c := range w.table.Columns {
		if c.Wide && !w.opts.Wide {
			continue
		}
		cell := ""
		if i < len(all) {
			cell = all[i]
		}
		if i == w.table.NameColumn {
			cell = w.opts.KindPrefix + cell
		}
		cells = append(cells, cell)
	}
	if w.opts.ShowLabels {
		cells = append(cells, labels.FormatLabels(obj.GetLabels()))
	}
	w.line(cells)
}

// WriteCells writes a row of precomputed cells, one per column of the table (Wide columns
// included), preceded by the header if it is the first row. The namespace and labels
// columns of Options do not apply.
func (w *Writer) WriteCells(all []string) {
	w.WriteHeader()
	var cells []string
	if w.opts.WithNamespace {
		cells = append(cells, "")
	}
	for i, c := range w.table.Columns {
		if c.Wide && !w.opts.Wide {
			continue
		}
		cell := ""
		if i < len(all) {
			cell = all[i]
		}
		cells = append(cells, cell)
	}
	w.line(cells)
}

// Flush writes out the buffered rows, aligned with every row written before.
func (w *Writer) Flush() error {
	for _, row := range w.rows {
		for i, c := range row[:len(row)-1] {
			for i >= len(w.widths) {
				w.widths = append(w.widths, minWidth)
			}
			w.widths[i] = max(w.widths[i], utf8.RuneCountInString(c)+padding)
		}
	}
	var b strings.Builder
	for _, row := range w.rows {
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", w.widths[i]-utf8.RuneCountInString(c)))
			}
		}
		b.WriteByte('\n')
	}
	w.rows = w.rows[:0]
	_, err := io.WriteString(w.out, b.String())
	return err
}

func (w *Writer) line(cells []string) {
	for i := range cells {
		cells[i] = sanitize(cells[i])
	}
	w.rows = append(w.rows, cells)
}

// sanitize keeps a cell on one line and in one column.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return ' '
		}
		return r
	}, s)
}
