package job

import (
	"slices"
	"testing"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
)

func TestParseAndFormatIndexes(t *testing.T) {
	for _, tc := range []struct {
		in          string
		completions int
		want        string
		total       int
	}{
		{"", 10, "", 0},
		{"0", 10, "0", 1},
		{"0,1", 10, "0,1", 2},
		{"0-2", 10, "0-2", 3},
		{"1,3-5,7", 10, "1,3-5,7", 5},
		{"0,1,2", 10, "0-2", 3},      // adjacent indexes merge
		{"0-1,2-3", 10, "0-3", 4},    // adjacent intervals merge
		{"1,3-5,7,9", 6, "1,3-5", 4}, // indexes ≥ completions are dropped
		{"4-9", 6, "4,5", 2},         // an interval is cut at completions
		{"1,x,3", 10, "1,3", 2},      // malformed parts are skipped
		{"2-1,5", 10, "5", 1},        // so are reversed intervals
		{"1-2-3,5", 10, "5", 1},      // and intervals of three parts
		{"0-99999", 100000, "0-99999", 100000},
	} {
		oi := parseIndexes(tc.in, tc.completions)
		if got := oi.String(); got != tc.want {
			t.Errorf("parseIndexes(%q, %d) = %q, want %q", tc.in, tc.completions, got, tc.want)
		}
		if got := oi.total(); got != tc.total {
			t.Errorf("parseIndexes(%q, %d).total() = %d, want %d", tc.in, tc.completions, got, tc.total)
		}
	}
}

func TestWithIndexesAndMerge(t *testing.T) {
	for _, tc := range []struct {
		base string
		add  []int
		want string
	}{
		{"", nil, ""},
		{"", []int{3}, "3"},
		{"", []int{0, 1, 2, 5}, "0-2,5"},
		{"1,3-5,7", []int{2, 6}, "1-7"},
		{"1,3-5,7", []int{0, 9}, "0,1,3-5,7,9"},
		{"1,3-5,7", []int{4}, "1,3-5,7"}, // already in
		{"10-20", []int{9, 21}, "9-21"},
	} {
		base := parseIndexes(tc.base, 100)
		before := base.String()
		if got := base.withIndexes(tc.add).String(); got != tc.want {
			t.Errorf("%q with %v = %q, want %q", tc.base, tc.add, got, tc.want)
		}
		if base.String() != before {
			t.Errorf("withIndexes modified its receiver: %q became %q", before, base.String())
		}
	}
	a, b := parseIndexes("0-2,8", 100), parseIndexes("2-5,10,11", 100)
	if got := a.merge(b).String(); got != "0-5,8,10,11" {
		t.Errorf("merge = %q", got)
	}
}

func TestIndexesHas(t *testing.T) {
	oi := parseIndexes("1,3-5,7,20-30", 100)
	for ix := -1; ix < 35; ix++ {
		want := ix == 1 || (ix >= 3 && ix <= 5) || ix == 7 || (ix >= 20 && ix <= 30)
		if got := oi.has(ix); got != want {
			t.Errorf("has(%d) = %v, want %v", ix, got, want)
		}
	}
	if orderedIntervals(nil).has(0) {
		t.Error("the empty set has 0")
	}
}

func TestFirstPendingIndexes(t *testing.T) {
	for _, tc := range []struct {
		taken       string
		count       int
		completions int
		want        []int
	}{
		{"", 3, 10, []int{0, 1, 2}},
		{"", 0, 10, nil},
		{"", 5, 3, []int{0, 1, 2}},
		{"0-2", 2, 10, []int{3, 4}},
		{"1,3-5", 4, 10, []int{0, 2, 6, 7}},
		{"0-9", 3, 10, []int{}},
		{"2", 10, 4, []int{0, 1, 3}},
	} {
		got := firstPendingIndexes(parseIndexes(tc.taken, tc.completions), tc.count, tc.completions)
		if !slices.Equal(got, tc.want) {
			t.Errorf("firstPendingIndexes(%q, %d, %d) = %v, want %v", tc.taken, tc.count, tc.completions, got, tc.want)
		}
	}
}

func TestCompletionIndexOfPods(t *testing.T) {
	pod := func(v string, set bool) *core.Pod {
		p := &core.Pod{}
		if set {
			p.Annotations = map[string]string{batch.JobCompletionIndexAnnotation: v}
		}
		return p
	}
	for _, tc := range []struct {
		v    string
		set  bool
		want int
	}{
		{"", false, unknownCompletionIndex},
		{"3", true, 3},
		{"0", true, 0},
		{"-1", true, unknownCompletionIndex},
		{"x", true, unknownCompletionIndex},
	} {
		if got := completionIndex(pod(tc.v, tc.set)); got != tc.want {
			t.Errorf("completionIndex(%q) = %d, want %d", tc.v, got, tc.want)
		}
	}
	if got := validIndex(pod("5", true), 5); got != unknownCompletionIndex {
		t.Errorf("validIndex of 5 below 5 = %d", got)
	}
	if got := indexSet([]*core.Pod{pod("4", true), pod("1", true), pod("4", true), pod("x", true)}); !slices.Equal(got, []int{1, 4}) {
		t.Errorf("indexSet = %v", got)
	}
}

func TestPodGenerateNameWithIndex(t *testing.T) {
	long := "a-very-long-job-name-that-goes-on-and-on-and-on-and-on-and-on-x" // 63 characters
	for _, tc := range []struct {
		job  string
		ix   int
		want string
	}{
		{"pi", 0, "pi-0-"},
		{"pi", 12345, "pi-12345-"},
		{long, 7, long[:58-3] + "-7-"},
		{long, 1234, long[:58-6] + "-1234-"},
	} {
		got := podGenerateNameWithIndex(tc.job, tc.ix)
		if got != tc.want || len(got) > maxGeneratedNameLength {
			t.Errorf("podGenerateNameWithIndex(%q, %d) = %q, want %q", tc.job, tc.ix, got, tc.want)
		}
	}
}

func TestSetCompletionIndexAndEnv(t *testing.T) {
	tmpl := &core.PodTemplateSpec{Spec: core.PodSpec{
		InitContainers: []core.Container{{Name: "init"}},
		Containers:     []core.Container{{Name: "a"}, {Name: "b", Env: []core.EnvVar{{Name: completionIndexEnvName, Value: "mine"}}}},
	}}
	addCompletionIndexEnv(tmpl)
	setCompletionIndex(tmpl, "job", 7)
	if tmpl.Annotations[batch.JobCompletionIndexAnnotation] != "7" || tmpl.Labels[batch.JobCompletionIndexAnnotation] != "7" || tmpl.Spec.Hostname != "job-7" {
		t.Errorf("template = %+v", tmpl.ObjectMeta)
	}
	for _, c := range append(tmpl.Spec.InitContainers, tmpl.Spec.Containers...) {
		if len(c.Env) != 1 || c.Env[0].Name != completionIndexEnvName {
			t.Errorf("container %s: env %+v", c.Name, c.Env)
		}
	}
	if v := tmpl.Spec.Containers[1].Env[0].Value; v != "mine" {
		t.Errorf("a user's JOB_COMPLETION_INDEX was replaced by %q", v)
	}
}
