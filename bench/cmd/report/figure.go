package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Metric names one value a benchmark reports: the run that produces it (Run.Name), the
// benchmark's full name without the -GOMAXPROCS suffix, and the unit.
type Metric struct {
	Run, Bench, Unit string
}

// IsZero reports whether m names nothing (a figure without a peer).
func (m Metric) IsZero() bool { return m == Metric{} }

func (m Metric) String() string { return m.Run + ": " + m.Bench + " " + m.Unit }

// Figure is one row of the report: a skiff value, optionally a peer's value measured in the
// same process run (client-go, or a ceiling such as raw bbolt), and the targets the issues
// set.
type Figure struct {
	Name     string  // what is measured, as the row shows it
	Skiff    Metric  // skiff's value
	Peer     Metric  // the peer's value; zero if there is none
	PeerName string  // who the peer is, when it is not client-go
	Higher   bool    // higher values are better (rates); otherwise lower is (times, bytes)
	Show     string  // unit shown in the table
	Scale    float64 // multiplies the reported value to give Show units; 0 means 1
	Targets  []Target
}

// TargetKind says how a Target judges a figure.
type TargetKind int

// The kinds of target.
const (
	// AtLeast: skiff's value ≥ Value (in Show units).
	AtLeast TargetKind = iota + 1
	// Below: skiff's value < Value (in Show units).
	Below
	// RatioAtLeast: skiff's advantage over the peer (see Row.Ratio) ≥ Value.
	RatioAtLeast
	// FewerThanPeer: skiff's value < the peer's.
	FewerThanPeer
)

// Target is one goal an issue sets for a figure.
type Target struct {
	Kind  TargetKind
	Value float64
}

// Row is a Figure evaluated against the medians of its measurements.
type Row struct {
	Figure
	SkiffValue   float64 // median in Show units; NaN when not measured
	PeerValue    float64 // the peer's median in Show units; NaN without a peer or a result
	SkiffN       int     // how many runs the skiff median is over
	Ratio        float64 // skiff's advantage over the peer (>1: skiff is better); NaN without a peer
	Missing      []Metric
	Met          bool // every target met (false when there is no target)
	HasTarget    bool
	TargetsKnown bool // every target could be judged (all its values were measured)
}

// Median returns the median of vs (the mean of the middle two for an even count), or NaN
// for none. vs is not modified.
func Median(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// Results holds every parsed result, by run name and benchmark name, in the order the
// repetitions ran.
type Results map[string]map[string][]Result

// Add files res under run.
func (r Results) Add(run string, res ...Result) {
	if r[run] == nil {
		r[run] = make(map[string][]Result)
	}
	for _, x := range res {
		r[run][x.Name] = append(r[run][x.Name], x)
	}
}

// Values returns every value m was reported with.
func (r Results) Values(m Metric) []float64 {
	var vs []float64
	for _, res := range r[m.Run][m.Bench] {
		if v, ok := res.Metrics[m.Unit]; ok {
			vs = append(vs, v)
		}
	}
	return vs
}

// Evaluate computes f's row from the results.
func Evaluate(f Figure, r Results) Row {
	scale := f.Scale
	if scale == 0 {
		scale = 1
	}
	row := Row{Figure: f, SkiffValue: math.NaN(), PeerValue: math.NaN(), Ratio: math.NaN()}
	sv := r.Values(f.Skiff)
	row.SkiffN = len(sv)
	if len(sv) == 0 {
		row.Missing = append(row.Missing, f.Skiff)
	} else {
		row.SkiffValue = Median(sv) * scale
	}
	if !f.Peer.IsZero() {
		pv := r.Values(f.Peer)
		if len(pv) == 0 {
			row.Missing = append(row.Missing, f.Peer)
		} else {
			row.PeerValue = Median(pv) * scale
		}
		row.Ratio = advantage(row.SkiffValue, row.PeerValue, f.Higher)
	}
	row.HasTarget = len(f.Targets) > 0
	row.TargetsKnown = row.HasTarget
	row.Met = row.HasTarget
	for _, t := range f.Targets {
		met, known := t.judge(row)
		row.TargetsKnown = row.TargetsKnown && known
		row.Met = row.Met && met && known
	}
	return row
}

// advantage is how many times better skiff is than the peer: peer/skiff when lower is
// better, skiff/peer when higher is. Equal values give 1; a zero skiff value against a
// non-zero peer where lower is better gives +Inf.
func advantage(skiff, peer float64, higher bool) float64 {
	if math.IsNaN(skiff) || math.IsNaN(peer) {
		return math.NaN()
	}
	if skiff == peer {
		return 1
	}
	if higher {
		return skiff / peer
	}
	return peer / skiff
}

// judge returns whether the row meets t, and whether it could be judged at all.
func (t Target) judge(r Row) (met, known bool) {
	switch t.Kind {
	case AtLeast:
		return r.SkiffValue >= t.Value, !math.IsNaN(r.SkiffValue)
	case Below:
		return r.SkiffValue < t.Value, !math.IsNaN(r.SkiffValue)
	case RatioAtLeast:
		return r.Ratio >= t.Value, !math.IsNaN(r.Ratio)
	case FewerThanPeer:
		return r.SkiffValue < r.PeerValue, !math.IsNaN(r.SkiffValue) && !math.IsNaN(r.PeerValue)
	}
	return false, false
}

// text describes t for the table, in the figure's units.
func (t Target) text(f Figure) string {
	switch t.Kind {
	case AtLeast:
		return "≥ " + formatExact(t.Value) + " " + f.Show
	case Below:
		return "< " + formatExact(t.Value) + " " + f.Show
	case RatioAtLeast:
		return "ratio ≥ " + formatExact(t.Value) + "×"
	case FewerThanPeer:
		return "fewer than " + f.peerName()
	}
	return fmt.Sprintf("unknown target kind %d", t.Kind)
}

func (f Figure) peerName() string {
	if f.PeerName != "" {
		return f.PeerName
	}
	return "client-go"
}

// Validate reports the first thing wrong with f, naming the field.
func (f Figure) Validate() error {
	if f.Name == "" {
		return fmt.Errorf("figure %v: Name is empty", f.Skiff)
	}
	if f.Skiff.Run == "" || f.Skiff.Bench == "" || f.Skiff.Unit == "" {
		return fmt.Errorf("figure %q: Skiff must name Run, Bench and Unit, got %+v", f.Name, f.Skiff)
	}
	if !f.Peer.IsZero() && (f.Peer.Run == "" || f.Peer.Bench == "" || f.Peer.Unit == "") {
		return fmt.Errorf("figure %q: Peer must name Run, Bench and Unit, got %+v", f.Name, f.Peer)
	}
	if f.Peer.IsZero() && f.PeerName != "" {
		return fmt.Errorf("figure %q: PeerName %q without a Peer", f.Name, f.PeerName)
	}
	if f.Show == "" {
		return fmt.Errorf("figure %q: Show (the unit to display) is empty", f.Name)
	}
	if f.Scale < 0 {
		return fmt.Errorf("figure %q: Scale %v is negative", f.Name, f.Scale)
	}
	for i, t := range f.Targets {
		switch t.Kind {
		case AtLeast, Below:
		case RatioAtLeast, FewerThanPeer:
			if f.Peer.IsZero() {
				return fmt.Errorf("figure %q: Targets[%d] compares with a peer, but Peer is empty", f.Name, i)
			}
		default:
			return fmt.Errorf("figure %q: Targets[%d].Kind %d is not a known kind", f.Name, i, t.Kind)
		}
	}
	return nil
}

// Markdown renders rows as one table: figure, skiff, client-go (or the named peer), ratio,
// target, met.
func Markdown(rows []Row) string {
	var b strings.Builder
	b.WriteString("| figure | skiff | client-go (or peer) | ratio | target | met |\n")
	b.WriteString("|---|---:|---:|---:|---|---|\n")
	for _, r := range rows {
		peer := ""
		if !r.Peer.IsZero() {
			peer = formatValue(r.PeerValue, r.Show)
			if r.PeerName != "" {
				peer = r.PeerName + ": " + peer
			}
		}
		ratio := ""
		if !math.IsNaN(r.Ratio) {
			ratio = formatRatio(r.Ratio)
		}
		var targets []string
		for _, t := range r.Targets {
			targets = append(targets, t.text(r.Figure))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", escape(r.Name), formatValue(r.SkiffValue, r.Show),
			escape(peer), ratio, strings.Join(targets, " and "), r.verdict())
	}
	return b.String()
}

// verdict is the "met" cell.
func (r Row) verdict() string {
	switch {
	case len(r.Missing) > 0:
		return "no result"
	case !r.HasTarget:
		return "—"
	case !r.TargetsKnown:
		return "no result"
	case r.Met:
		return "yes"
	default:
		return "**no**"
	}
}

func escape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// formatRatio prints a ratio with three significant digits and a ×.
func formatRatio(v float64) string {
	if math.IsInf(v, 1) {
		return "∞"
	}
	return formatNumber(v) + "×"
}

// formatValue prints v with about three significant digits (whole numbers above 1,000,
// with thousands separators) and its unit; NaN is "—".
func formatValue(v float64, unit string) string {
	if math.IsNaN(v) {
		return "—"
	}
	return formatNumber(v) + " " + unit
}

func formatNumber(v float64) string {
	a := math.Abs(v)
	switch {
	case math.IsInf(v, 0) || math.IsNaN(v):
		return fmt.Sprint(v)
	case a >= 1000:
		return thousands(int64(math.Round(v)))
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1 || a == 0:
		return fmt.Sprintf("%.2f", v)
	default:
		return fmt.Sprintf("%.3g", v)
	}
}

// formatExact prints a target's value as written: every digit it has, with thousands
// separators above 1,000.
func formatExact(v float64) string {
	if math.Abs(v) >= 1000 && v == math.Trunc(v) {
		return thousands(int64(v))
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// thousands prints n with commas between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
