package history

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

func TestSafeEncodeString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"0", "4"},   // '0' is 48, 48 % 27 = 21
		{"1", "5"},   // 49 % 27 = 22
		{"9", "f"},   // 57 % 27 = 3
		{"10", "54"}, // each byte on its own
	} {
		if got := SafeEncodeString(tc.in); got != tc.want {
			t.Errorf("SafeEncodeString(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	for _, c := range SafeEncodeString("0123456789") {
		if strings.ContainsRune("aeiou013", c) {
			t.Errorf("encoded %q contains %q", SafeEncodeString("0123456789"), c)
		}
	}
}

func TestName(t *testing.T) {
	long := strings.Repeat("a", 300)
	for _, tc := range []struct{ prefix, hash, want string }{
		{"web", "5d4b", "web-5d4b"},
		{long, "x", long[:223] + "-x"},
	} {
		if got := Name(tc.prefix, tc.hash); got != tc.want {
			t.Errorf("Name(%d chars, %q) = %q, want %q", len(tc.prefix), tc.hash, got, tc.want)
		}
	}
}

func TestHashes(t *testing.T) {
	zero, one := int32(0), int32(1)
	data := []byte(`{"spec":{}}`)
	tmplA := &core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "a"}}}
	tmplB := &core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "b"}}}
	tests := []struct {
		name   string
		a, b   string
		differ bool
	}{
		{"data is deterministic", HashData(data, nil), HashData(slices.Clone(data), nil), false},
		{"data: a collision count changes the hash", HashData(data, nil), HashData(data, &one), true},
		{"data: a zero count is not no count", HashData(data, nil), HashData(data, &zero), true},
		{"data: other data", HashData(data, nil), HashData([]byte(`{"spec":{"x":1}}`), nil), true},
		{"template is deterministic", HashTemplate(tmplA, nil), HashTemplate(tmplA.DeepCopy(), nil), false},
		{"template: other template", HashTemplate(tmplA, nil), HashTemplate(tmplB, nil), true},
		{"template: a collision count changes the hash", HashTemplate(tmplA, &zero), HashTemplate(tmplA, &one), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if (tc.a != tc.b) != tc.differ {
				t.Errorf("hashes %q and %q: differ = %v, want %v", tc.a, tc.b, tc.a != tc.b, tc.differ)
			}
			for _, h := range []string{tc.a, tc.b} {
				if h == "" || strings.ContainsAny(h, "aeiou013") {
					t.Errorf("hash %q is not safe-encoded", h)
				}
			}
		})
	}
}

func TestTemplatePatch(t *testing.T) {
	full := &core.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "c", Image: "nginx:1"}}},
	}
	tests := []struct {
		name     string
		template *core.PodTemplateSpec
		want     string // exact bytes, when set
	}{
		{"empty", &core.PodTemplateSpec{}, `{"spec":{"template":{"$patch":"replace"}}}`},
		{"full", full, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := TemplatePatch(tc.template)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want != "" && string(data) != tc.want {
				t.Errorf("patch = %s, want %s", data, tc.want)
			}
			if !json.Valid(data) || !strings.HasPrefix(string(data), `{"spec":{"template":{"$patch":"replace"`) {
				t.Errorf("patch %s is not a template replacement", data)
			}
			again, _ := TemplatePatch(tc.template.DeepCopy())
			if string(again) != string(data) {
				t.Errorf("patch is not deterministic: %s then %s", data, again)
			}
			back, err := TemplateFromPatch(data)
			if err != nil {
				t.Fatal(err)
			}
			b1, _ := json.Marshal(back)
			b2, _ := json.Marshal(tc.template)
			if string(b1) != string(b2) {
				t.Errorf("round trip: got %s, want %s", b1, b2)
			}
		})
	}
	if _, err := TemplateFromPatch([]byte(`not json`)); err == nil {
		t.Error("TemplateFromPatch accepted invalid JSON")
	}
}

func rev(name string, n int64, data string, created time.Time) *apps.ControllerRevision {
	return &apps.ControllerRevision{
		ObjectMeta: meta.ObjectMeta{Name: name, CreationTimestamp: meta.NewTime(created)},
		Data:       apps.RawExtension{Raw: []byte(data)},
		Revision:   n,
	}
}

func names(revs []*apps.ControllerRevision) []string {
	out := []string{}
	for _, r := range revs {
		out = append(out, r.Name)
	}
	return out
}

func TestSortAndNumbers(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		revs []*apps.ControllerRevision
		want []string
		max  int64
	}{
		{"empty", nil, []string{}, 0},
		{"by number", []*apps.ControllerRevision{rev("c", 3, "{}", t0), rev("a", 1, "{}", t0), rev("b", 2, "{}", t0)}, []string{"a", "b", "c"}, 3},
		{"then by creation", []*apps.ControllerRevision{rev("x", 1, "{}", t0.Add(time.Second)), rev("y", 1, "{}", t0)}, []string{"y", "x"}, 1},
		{"then by name", []*apps.ControllerRevision{rev("b", 5, "{}", t0), rev("a", 5, "{}", t0)}, []string{"a", "b"}, 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			revs := slices.Clone(tc.revs)
			Sort(revs)
			if got := names(revs); !slices.Equal(got, tc.want) {
				t.Errorf("Sort = %v, want %v", got, tc.want)
			}
			if got := MaxRevision(revs); got != tc.max {
				t.Errorf("MaxRevision = %d, want %d", got, tc.max)
			}
			if got := NextRevision(revs); got != tc.max+1 {
				t.Errorf("NextRevision = %d, want %d", got, tc.max+1)
			}
		})
	}
}

func TestEqualAndFindEqual(t *testing.T) {
	t0 := time.Time{}
	a1, a2, b := rev("a1", 1, `{"x":1}`, t0), rev("a2", 3, `{"x":1}`, t0), rev("b", 2, `{"x":2}`, t0)
	if !Equal(a1, a2) || Equal(a1, b) || !Equal(nil, nil) || Equal(a1, nil) {
		t.Error("Equal compares data wrongly")
	}
	if got := names(FindEqual([]*apps.ControllerRevision{a1, b, a2}, rev("n", 9, `{"x":1}`, t0))); !slices.Equal(got, []string{"a1", "a2"}) {
		t.Errorf("FindEqual = %v", got)
	}
}

func TestToTruncate(t *testing.T) {
	t0 := time.Time{}
	var revs []*apps.ControllerRevision
	for i, n := range []string{"r1", "r2", "r3", "r4", "r5"} {
		revs = append(revs, rev(n, int64(i+1), "{}", t0))
	}
	liveSet := func(live ...string) func(*apps.ControllerRevision) bool {
		return func(r *apps.ControllerRevision) bool { return slices.Contains(live, r.Name) }
	}
	tests := []struct {
		name  string
		live  []string
		limit int
		want  []string
	}{
		{"under the limit", []string{"r5"}, 10, []string{}},
		{"keep the newest", []string{"r5"}, 2, []string{"r1", "r2"}},
		{"live revisions are never deleted nor counted", []string{"r1", "r5"}, 1, []string{"r2", "r3"}},
		{"limit zero keeps only live ones", []string{"r3"}, 0, []string{"r1", "r2", "r4", "r5"}},
		{"negative keeps all", nil, -1, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := names(ToTruncate(revs, liveSet(tc.live...), tc.limit))
			if !slices.Equal(got, tc.want) {
				t.Errorf("ToTruncate = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNew(t *testing.T) {
	owner := &apps.StatefulSet{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "web", UID: "u1", Annotations: map[string]string{"a": "b"}}}
	ref := meta.OwnerReference{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "web", UID: "u1", Controller: new(true), BlockOwnerDeletion: new(true)}
	labels := map[string]string{"app": "web"}
	data := []byte(`{"spec":{}}`)
	r := New(owner, ref, apps.ControllerRevisionHashLabel, "h4sh", labels, data, 7)
	if r.Name != "web-h4sh" || r.Namespace != "ns" || r.Revision != 7 {
		t.Errorf("New = %s/%s revision %d", r.Namespace, r.Name, r.Revision)
	}
	if r.Labels["app"] != "web" || r.Labels[apps.ControllerRevisionHashLabel] != "h4sh" || r.Annotations["a"] != "b" {
		t.Errorf("labels %v annotations %v", r.Labels, r.Annotations)
	}
	if !meta.IsControlledBy(r, owner) {
		t.Errorf("owner references %v", r.OwnerReferences)
	}
	labels["app"], data[0], owner.Annotations["a"] = "changed", 'X', "changed"
	if r.Labels["app"] != "web" || r.Data.Raw[0] != '{' || r.Annotations["a"] != "b" {
		t.Error("New shares memory with its arguments")
	}
}

// TestHashTemplateGolden pins HashTemplate's values: they are the Deployment controller's
// pod-template-hash values for the same template (deployment.ComputeHash), as the spec asks.
func TestHashTemplateGolden(t *testing.T) {
	tmpl := &core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec: core.PodSpec{Containers: []core.Container{{Name: "nginx", Image: "nginx:1.27"}}}}
	for _, tc := range []struct {
		cc   *int32
		want string
	}{
		{nil, "564f6bc4cf"},
		{new(int32(0)), "95f7bb59"},
		{new(int32(5)), "d4d99f486"},
	} {
		if got := HashTemplate(tmpl, tc.cc); got != tc.want {
			t.Errorf("HashTemplate(collisionCount %v) = %q, want %q", tc.cc, got, tc.want)
		}
	}
}
