package deepcopytest_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/internal/deepcopytest"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/internal/cmd/deepcopy-gen/testdata/fixture"
)

// recorder is a testing.TB that records failures instead of failing, so that tests can assert
// that the checks catch broken types. Only the methods the package calls are implemented.
type recorder struct {
	testing.TB
	msgs  []string
	fatal bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.msgs = append(r.msgs, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.fatal = true
	runtime.Goexit()
}

// record runs fn with a recorder on its own goroutine, so that Fatalf can stop it.
func record(fn func(t testing.TB)) *recorder {
	r := &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(r)
	}()
	<-done
	return r
}

func fillObject(n int) meta.Object {
	return &fixture.Widget{ObjectMeta: meta.ObjectMeta{Name: fmt.Sprintf("w%d", n), Labels: map[string]string{"n": "1"}}}
}

// TestCheckGenerated runs Check over the generator's fixture: every field shape the generator
// supports, copied by generated code.
func TestCheckGenerated(t *testing.T) {
	objs := []any{
		&fixture.Widget{},
		&fixture.WidgetList{},
		&fixture.WidgetSpec{},
		&fixture.WidgetStatus{},
		&fixture.Volume{},
		&fixture.Part{},
		&fixture.Port{},
		&fixture.Node{},
		&fixture.ResourceList{},
		&fixture.Tolerations{},
		&fixture.Custom{},
	}
	for _, obj := range objs {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) {
			deepcopytest.Check(t, obj)
		})
	}
	t.Run("Envelope", func(t *testing.T) {
		deepcopytest.Check(t, &fixture.Envelope{}, deepcopytest.FillWith(fillObject))
	})
}

func TestCheckJSONRoundTripGenerated(t *testing.T) {
	for _, obj := range []any{&fixture.Widget{}, &fixture.WidgetList{}} {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) {
			deepcopytest.CheckJSONRoundTrip(t, obj)
		})
	}
}

func TestCheckFillsEverything(t *testing.T) {
	w := &fixture.Widget{}
	deepcopytest.Check(t, w)
	s := w.Spec
	switch {
	case w.Name == "", w.CreationTimestamp.IsZero(), w.DeletionTimestamp == nil, len(w.ManagedFields) != 2:
		t.Errorf("metadata not filled: %+v", w.ObjectMeta)
	case s.Replicas == nil, !s.Paused, s.Weight == 0, s.Selector == nil, len(s.Selector.MatchExpressions[1].Values) != 2:
		t.Errorf("spec scalars or selector not filled")
	case len(s.Limits) != 2, len(s.Deep) != 2, s.Extra == nil, len(s.List) != 2, s.Config == nil:
		t.Errorf("maps or JSON values not filled")
	case s.Tree == nil, len(s.Tree.Children) != 2, s.Tree.Children[0] == nil, s.Tree.Children[0].Children != nil:
		t.Errorf("recursive type not filled two levels deep: %+v", s.Tree)
	case s.Renewed.Nanosecond()%1000 != 0, s.Renewed.Nanosecond() == 0, s.Seen.Nanosecond() != 0:
		t.Errorf("times not filled with JSON precision: %v %v", s.Renewed, s.Seen)
	case s.Windows[1] == nil, s.Inline.Note == nil, s.Ref == nil, s.Hidden.Values == nil:
		t.Errorf("arrays, anonymous structs or named pointers not filled")
	}
}

func TestSkipFields(t *testing.T) {
	w := &fixture.Widget{}
	deepcopytest.Fill(t, w, deepcopytest.SkipFields("ObjectMeta.Labels", "Spec.Volumes.Options", "Spec.Tree"))
	if w.Labels != nil || w.Spec.Tree != nil {
		t.Errorf("skipped fields filled: labels %v, tree %v", w.Labels, w.Spec.Tree)
	}
	if len(w.Spec.Volumes) != 2 || w.Spec.Volumes[0].Options != nil || w.Spec.Volumes[0].Size == nil {
		t.Errorf("SkipFields through a slice: %+v", w.Spec.Volumes)
	}
	if w.Annotations == nil {
		t.Errorf("a field next to a skipped one was left zero")
	}
}

// Broken types, each with a deep-copy bug Check must report.
type (
	sharesMap   struct{ M map[string]string }
	sharesSlice struct{ S []int }
	sharesPtr   struct{ P *int }
	sharesDeep  struct{ V []sharesMap }
	losesField  struct{ A, B string }
	emptyNil    struct{ S []string }
	nilPanics   struct{ A string }
	promoted    struct{ meta.LabelSelector }
	noMethods   struct{ A string }
	returnsSelf struct{ A string }
	badIface    struct{ O meta.Object }
)

func (in *sharesMap) DeepCopy() *sharesMap     { out := *in; return &out }
func (in *sharesSlice) DeepCopy() *sharesSlice { out := *in; return &out }
func (in *sharesPtr) DeepCopy() *sharesPtr     { out := *in; return &out }
func (in *sharesDeep) DeepCopy() *sharesDeep {
	out := *in
	out.V = append([]sharesMap(nil), in.V...)
	return &out
}
func (in *losesField) DeepCopy() *losesField { return &losesField{A: in.A} }
func (in *emptyNil) DeepCopy() *emptyNil {
	return &emptyNil{S: append([]string{}, in.S...)}
}
func (in *nilPanics) DeepCopy() *nilPanics     { out := *in; return &out }
func (in *returnsSelf) DeepCopy() *returnsSelf { return in }

func TestCheckCatches(t *testing.T) {
	tests := []struct {
		name  string
		obj   any
		opts  []deepcopytest.Option
		want  string
		fatal bool
	}{
		{name: "shared map", obj: &sharesMap{}, want: "sharesMap.M: copy shares the map"},
		{name: "shared slice", obj: &sharesSlice{}, want: "sharesSlice.S: copy shares the slice's backing array"},
		{name: "shared pointer", obj: &sharesPtr{}, want: "sharesPtr.P: copy shares the pointer"},
		{name: "shared deep inside", obj: &sharesDeep{}, want: "sharesDeep.V[0].M: copy shares the map"},
		{name: "lost field", obj: &losesField{}, want: `losesField.B: "s3" vs ""`},
		{name: "nil becomes empty", obj: &emptyNil{}, want: "zero value is not zero: deepcopytest_test.emptyNil.S: nil vs len 0"},
		{name: "nil receiver", obj: &nilPanics{}, want: "(*deepcopytest_test.nilPanics)(nil).DeepCopy panics"},
		{name: "promoted method", obj: &promoted{}, want: "returned a *meta.LabelSelector, want *deepcopytest_test.promoted"},
		{name: "returns receiver", obj: &returnsSelf{}, want: "returned the receiver itself"},
		{name: "no method", obj: &noMethods{}, want: "has neither a DeepCopyObject nor a DeepCopy method", fatal: true},
		{name: "not a pointer", obj: noMethods{}, want: "want a non-nil pointer", fatal: true},
		{name: "interface without filler", obj: &badIface{}, want: "O: cannot fill a meta.Object; use FillWith or SkipFields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := record(func(t testing.TB) { deepcopytest.Check(t, tt.obj, tt.opts...) })
			got := strings.Join(r.msgs, "\n")
			if !strings.Contains(got, tt.want) {
				t.Errorf("Check reported:\n%s\nwant a message containing %q", got, tt.want)
			}
			if r.fatal != tt.fatal {
				t.Errorf("fatal = %v, want %v", r.fatal, tt.fatal)
			}
		})
	}
}

// JSON shapes, each with a tag problem CheckJSONRoundTrip must report.
type (
	noTag struct {
		Name string
	}
	// dupName's B is hidden by A, which has the same JSON name at a shallower depth.
	dupName struct {
		A string `json:"x"`
		Inner
	}
	Inner struct {
		B string `json:"x"`
	}
	dashed struct {
		A string `json:"a"`
		B string `json:"-"`
	}
	goodJSON struct {
		meta.TypeMeta `json:",inline"`
		Items         map[string][]int32 `json:"items"`
		When          meta.Time          `json:"when"`
		Micro         meta.MicroTime     `json:"micro"`
	}
)

func TestCheckJSONRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		obj  any
		opts []deepcopytest.Option
		want string // "" for no failure
	}{
		{name: "good", obj: &goodJSON{}},
		{name: "missing tag", obj: &noTag{}, want: `Name: field has no JSON name`},
		{name: "duplicate name", obj: &dupName{}, want: "JSON round trip changed deepcopytest_test.dupName.Inner.B"},
		{name: "json dash", obj: &dashed{}, want: `JSON round trip changed deepcopytest_test.dashed.B: "s3" vs ""`},
		{name: "json dash skipped", obj: &dashed{}, opts: []deepcopytest.Option{deepcopytest.SkipFields("B")}},
		{name: "custom filler", obj: &noTag{}, opts: []deepcopytest.Option{deepcopytest.SkipFields("Name")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := record(func(t testing.TB) { deepcopytest.CheckJSONRoundTrip(t, tt.obj, tt.opts...) })
			got := strings.Join(r.msgs, "\n")
			if tt.want == "" && got != "" {
				t.Errorf("CheckJSONRoundTrip failed:\n%s", got)
			}
			if tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("CheckJSONRoundTrip reported:\n%s\nwant a message containing %q", got, tt.want)
			}
		})
	}
}

func TestFillWith(t *testing.T) {
	var w fixture.WidgetSpec
	deepcopytest.Fill(t, &w, deepcopytest.FillWith(func(n int) fixture.Mode { return "Fast" }))
	if w.Mode != "Fast" {
		t.Errorf("Mode = %q, want the filler's value", w.Mode)
	}
}
