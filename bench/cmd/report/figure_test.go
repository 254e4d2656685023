package main

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{5}, 5},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{10, 1, 1000, 2, 3}, 3},
	} {
		in := slices.Clone(tc.in)
		if got := Median(in); got != tc.want {
			t.Errorf("Median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("Median modified its input: %v", in)
		}
	}
	if got := Median(nil); !math.IsNaN(got) {
		t.Errorf("Median(nil) = %v, want NaN", got)
	}
}

// results builds Results for run "r" from benchmark name → unit → values (one Result per
// value, as repeated runs give).
func results(vals map[string]map[string][]float64) Results {
	r := make(Results)
	for name, units := range vals {
		for unit, vs := range units {
			for _, v := range vs {
				r.Add("r", Result{Name: name, N: 1, Metrics: map[string]float64{unit: v}})
			}
		}
	}
	return r
}

func TestEvaluate(t *testing.T) {
	res := results(map[string]map[string][]float64{
		"BenchmarkQ/impl=skiff":     {"ns/op": {200, 190, 900}, "allocs/op": {0, 0, 0}, "ops/s": {5000, 5200, 4800}},
		"BenchmarkQ/impl=client-go": {"ns/op": {600, 650, 640}, "allocs/op": {2, 2, 2}, "ops/s": {2000, 2000, 2000}},
		"BenchmarkScale":            {"s-up": {12.5}, "ns/op": {1.5e6}},
	})
	sk := func(unit string) Metric { return m("r", "BenchmarkQ/impl=skiff", unit) }
	cg := func(unit string) Metric { return m("r", "BenchmarkQ/impl=client-go", unit) }
	for _, tc := range []struct {
		name              string
		fig               Figure
		skiff, peer, rati float64 // NaN: not measured
		verdict           string
	}{
		{"lower is better, ratio met", Figure{Skiff: sk("ns/op"), Peer: cg("ns/op"), Targets: []Target{{RatioAtLeast, 1.5}}},
			200, 640, 3.2, "yes"},
		{"lower is better, ratio not met", Figure{Skiff: sk("ns/op"), Peer: cg("ns/op"), Targets: []Target{{RatioAtLeast, 4}}},
			200, 640, 3.2, "**no**"},
		{"higher is better", Figure{Skiff: sk("ops/s"), Peer: cg("ops/s"), Higher: true, Targets: []Target{{RatioAtLeast, 2}}},
			5000, 2000, 2.5, "yes"},
		{"two targets, one missed", Figure{Skiff: sk("ops/s"), Peer: cg("ops/s"), Higher: true,
			Targets: []Target{{AtLeast, 6000}, {RatioAtLeast, 2}}}, 5000, 2000, 2.5, "**no**"},
		{"fewer than peer from zero", Figure{Skiff: sk("allocs/op"), Peer: cg("allocs/op"), Targets: []Target{{FewerThanPeer, 0}}},
			0, 2, math.Inf(1), "yes"},
		{"fewer than peer, equal", Figure{Skiff: cg("allocs/op"), Peer: cg("allocs/op"), Targets: []Target{{FewerThanPeer, 0}}},
			2, 2, 1, "**no**"},
		{"below, not met", Figure{Skiff: m("r", "BenchmarkScale", "s-up"), Targets: []Target{{Below, 10}}},
			12.5, math.NaN(), math.NaN(), "**no**"},
		{"below, met", Figure{Skiff: m("r", "BenchmarkScale", "s-up"), Targets: []Target{{Below, 20}}},
			12.5, math.NaN(), math.NaN(), "yes"},
		{"scaled to ms, at least", Figure{Skiff: m("r", "BenchmarkScale", "ns/op"), Scale: 1e-6, Targets: []Target{{AtLeast, 1.5}}},
			1.5, math.NaN(), math.NaN(), "yes"},
		{"no target", Figure{Skiff: sk("ns/op")}, 200, math.NaN(), math.NaN(), "—"},
		{"skiff missing", Figure{Skiff: sk("bogus/op"), Peer: cg("ns/op"), Targets: []Target{{RatioAtLeast, 1}}},
			math.NaN(), 640, math.NaN(), "no result"},
		{"peer missing", Figure{Skiff: sk("ns/op"), Peer: m("r", "BenchmarkNone", "ns/op"), Targets: []Target{{RatioAtLeast, 1}}},
			200, math.NaN(), math.NaN(), "no result"},
		{"other run", Figure{Skiff: m("other", "BenchmarkQ/impl=skiff", "ns/op")}, math.NaN(), math.NaN(), math.NaN(), "no result"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			row := Evaluate(tc.fig, res)
			if !sameFloat(row.SkiffValue, tc.skiff) || !sameFloat(row.PeerValue, tc.peer) || !sameFloat(row.Ratio, tc.rati) {
				t.Errorf("skiff %v peer %v ratio %v, want %v %v %v", row.SkiffValue, row.PeerValue, row.Ratio, tc.skiff, tc.peer, tc.rati)
			}
			if got := row.verdict(); got != tc.verdict {
				t.Errorf("verdict %q, want %q", got, tc.verdict)
			}
		})
	}
}

func sameFloat(a, b float64) bool {
	if a == b {
		return true
	}
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

func TestMarkdown(t *testing.T) {
	res := results(map[string]map[string][]float64{
		"BenchmarkA/impl=skiff":     {"ns/op": {189.7}},
		"BenchmarkA/impl=client-go": {"ns/op": {642.2}},
		"BenchmarkW":                {"creates/s": {61234.4}},
		"BenchmarkRaw":              {"puts/s": {70000}},
		"BenchmarkS":                {"s": {14.53}},
	})
	rows := []Row{
		Evaluate(Figure{Name: "queue (a)", Skiff: m("r", "BenchmarkA/impl=skiff", "ns/op"), Peer: m("r", "BenchmarkA/impl=client-go", "ns/op"),
			Show: "ns", Targets: []Target{{RatioAtLeast, 1.5}}}, res),
		Evaluate(Figure{Name: "creates | 64 writers", Skiff: m("r", "BenchmarkW", "creates/s"), Peer: m("r", "BenchmarkRaw", "puts/s"),
			PeerName: "raw bbolt", Higher: true, Show: "/s", Targets: []Target{{AtLeast, 40000}, {RatioAtLeast, 0.6}}}, res),
		Evaluate(Figure{Name: "scale-up", Skiff: m("r", "BenchmarkS", "s"), Show: "s", Targets: []Target{{Below, 10}}}, res),
		Evaluate(Figure{Name: "allocs", Skiff: m("r", "BenchmarkS", "s"), Peer: m("r", "BenchmarkA/impl=client-go", "ns/op"), Show: "x",
			Targets: []Target{{FewerThanPeer, 0}}}, res),
		Evaluate(Figure{Name: "gone", Skiff: m("r", "BenchmarkGone", "s"), Show: "s"}, res),
	}
	want := `| figure | skiff | client-go (or peer) | ratio | target | met |
|---|---:|---:|---:|---|---|
| queue (a) | 190 ns | 642 ns | 3.39× | ratio ≥ 1.5× | yes |
| creates \| 64 writers | 61,234 /s | raw bbolt: 70,000 /s | 0.875× | ≥ 40,000 /s and ratio ≥ 0.6× | yes |
| scale-up | 14.5 s |  |  | < 10 s | **no** |
| allocs | 14.5 x | 642 x | 44.2× | fewer than client-go | yes |
| gone | — |  |  |  | no result |
`
	if got := Markdown(rows); got != want {
		t.Errorf("Markdown:\n%s\nwant:\n%s", got, want)
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0.00"}, {0.9226, "0.923"}, {0.0002250, "0.000225"}, {1.036, "1.04"}, {13.5, "13.5"},
		{232.3, "232"}, {999.6, "1000"}, {1000, "1,000"}, {1653000.4, "1,653,000"}, {-12345, "-12,345"},
		{math.Inf(1), "+Inf"},
	} {
		if got := formatNumber(tc.in); got != tc.want {
			t.Errorf("formatNumber(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFigureValidate(t *testing.T) {
	ok := Figure{Name: "f", Skiff: m("r", "B", "ns/op"), Show: "ns"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid figure refused: %v", err)
	}
	for _, tc := range []struct {
		name    string
		edit    func(*Figure)
		wantErr string
	}{
		{"no name", func(f *Figure) { f.Name = "" }, "Name is empty"},
		{"no unit", func(f *Figure) { f.Skiff.Unit = "" }, "Skiff must name Run, Bench and Unit"},
		{"half a peer", func(f *Figure) { f.Peer = Metric{Run: "r"} }, "Peer must name Run, Bench and Unit"},
		{"peer name alone", func(f *Figure) { f.PeerName = "raw bbolt" }, `PeerName "raw bbolt" without a Peer`},
		{"no show", func(f *Figure) { f.Show = "" }, "Show (the unit to display) is empty"},
		{"negative scale", func(f *Figure) { f.Scale = -1 }, "Scale -1 is negative"},
		{"ratio without peer", func(f *Figure) { f.Targets = []Target{{RatioAtLeast, 2}} }, "Targets[0] compares with a peer"},
		{"unknown kind", func(f *Figure) { f.Targets = []Target{{Below, 1}, {TargetKind(99), 1}} }, "Targets[1].Kind 99"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := ok
			tc.edit(&f)
			if err := f.Validate(); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}
