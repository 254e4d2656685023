package validation

import (
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
)

func TestPathString(t *testing.T) {
	tests := []struct {
		p    *Path
		want string
	}{
		{NewPath("spec"), "spec"},
		{NewPath("spec", "template", "spec"), "spec.template.spec"},
		{NewPath("spec").Child("containers").Index(0).Child("image"), "spec.containers[0].image"},
		{NewPath("metadata", "labels").Key("app"), "metadata.labels[app]"},
		{NewPath("a").Index(1).Index(2), "a[1][2]"},
		{nil, "<nil>"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	p := NewPath("spec", "replicas")
	tests := []struct {
		err  *Error
		want string
	}{
		{Invalid(p, int32(-1), "must be greater than or equal to 0"), "spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
		{Invalid(p, "x", "bad"), `spec.replicas: Invalid value: "x": bad`},
		{Invalid(p, map[string]string{"app": "web"}, "no"), `spec.replicas: Invalid value: map[string]string{"app":"web"}: no`},
		{Required(p, ""), "spec.replicas: Required value"},
		{Required(p, "name or generateName is required"), "spec.replicas: Required value: name or generateName is required"},
		{Forbidden(p, "not allowed"), "spec.replicas: Forbidden: not allowed"},
		{Duplicate(p, "a"), `spec.replicas: Duplicate value: "a"`},
		{NotSupported(p, "Sometimes", []string{"Always", "Never"}), `spec.replicas: Unsupported value: "Sometimes": supported values: "Always", "Never"`},
		{TooLong(p, "", 5), `spec.replicas: Too long: "": must have at most 5 bytes`},
		{TooMany(p, 7, 5), "spec.replicas: Too many: 7: must have at most 5 items"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
	if ErrorList(nil).ToAggregate() != nil {
		t.Fatal("empty list must aggregate to nil")
	}
	agg := ErrorList{Required(p, ""), Forbidden(p, "x")}.ToAggregate()
	if !strings.HasPrefix(agg.Error(), "[") || !strings.Contains(agg.Error(), ", ") {
		t.Fatalf("aggregate of two: %s", agg)
	}
}

func TestNameRules(t *testing.T) {
	tests := []struct {
		name      string
		fn        func(string) []string
		value     string
		wantValid bool
	}{
		{"label ok", IsDNS1123Label, "web-1", true},
		{"label upper", IsDNS1123Label, "Web", false},
		{"label underscore", IsDNS1123Label, "my_app", false},
		{"label dot", IsDNS1123Label, "a.b", false},
		{"label too long", IsDNS1123Label, strings.Repeat("a", 64), false},
		{"label 63", IsDNS1123Label, strings.Repeat("a", 63), true},
		{"label trailing dash", IsDNS1123Label, "a-", false},
		{"subdomain dots", IsDNS1123Subdomain, "a.b.c", true},
		{"subdomain My_App", IsDNS1123Subdomain, "My_App", false},
		{"subdomain 254", IsDNS1123Subdomain, strings.Repeat("a", 254), false},
		{"1035 leading digit", IsDNS1035Label, "1abc", false},
		{"1035 ok", IsDNS1035Label, "abc-1", true},
		{"qualified simple", IsQualifiedName, "app", true},
		{"qualified prefix", IsQualifiedName, "example.com/App_1", true},
		{"qualified two slashes", IsQualifiedName, "a/b/c", false},
		{"qualified empty prefix", IsQualifiedName, "/a", false},
		{"qualified empty name", IsQualifiedName, "a/", false},
		{"qualified bad prefix", IsQualifiedName, "Example.com/a", false},
		{"label value empty", IsValidLabelValue, "", true},
		{"label value ok", IsValidLabelValue, "v1.2_3-x", true},
		{"label value space", IsValidLabelValue, "a b", false},
		{"label value too long", IsValidLabelValue, strings.Repeat("a", 64), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := tt.fn(tt.value)
			if (len(errs) == 0) != tt.wantValid {
				t.Fatalf("%q: errs %v, want valid=%v", tt.value, errs, tt.wantValid)
			}
		})
	}
	if msg := strings.Join(IsDNS1123Subdomain("My_App"), ";"); !strings.Contains(msg, "lowercase RFC 1123 subdomain") || !strings.Contains(msg, "regex used for validation") {
		t.Fatalf("message does not name the rule: %s", msg)
	}
}

func TestGenerateNamePrefixMayEndInDash(t *testing.T) {
	if errs := NameIsDNSSubdomain("web-", true); len(errs) != 0 {
		t.Fatal(errs)
	}
	if errs := NameIsDNSSubdomain("web-", false); len(errs) == 0 {
		t.Fatal("a name may not end in a dash")
	}
	if errs := NameIsDNSLabel("a-", true); len(errs) != 0 {
		t.Fatal(errs)
	}
}

func TestValidateObjectMeta(t *testing.T) {
	tr := true
	tests := []struct {
		name       string
		m          meta.ObjectMeta
		namespaced bool
		want       []string
	}{
		{"ok", meta.ObjectMeta{Name: "a", Namespace: "ns"}, true, nil},
		{"no name", meta.ObjectMeta{Namespace: "ns"}, true, []string{"metadata.name: Required value: name or generateName is required"}},
		{"generateName only", meta.ObjectMeta{GenerateName: "web-", Namespace: "ns"}, true, nil},
		{"missing namespace", meta.ObjectMeta{Name: "a"}, true, []string{"metadata.namespace: Required value"}},
		{"namespace on cluster kind", meta.ObjectMeta{Name: "a", Namespace: "ns"}, false, []string{"metadata.namespace: Forbidden: not allowed on this type"}},
		{"bad label", meta.ObjectMeta{Name: "a", Namespace: "ns", Labels: map[string]string{"a b": "c"}}, true, []string{`metadata.labels: Invalid value: "a b"`}},
		{"bad label value", meta.ObjectMeta{Name: "a", Namespace: "ns", Labels: map[string]string{"a": "b c"}}, true, []string{`metadata.labels[a]: Invalid value: "b c"`}},
		{"two controllers", meta.ObjectMeta{Name: "a", Namespace: "ns", OwnerReferences: []meta.OwnerReference{
			{APIVersion: "v1", Kind: "X", Name: "x", UID: "1", Controller: &tr},
			{APIVersion: "v1", Kind: "Y", Name: "y", UID: "2", Controller: &tr},
		}}, true, []string{"Only one reference can have Controller set to true"}},
		{"incomplete owner", meta.ObjectMeta{Name: "a", Namespace: "ns", OwnerReferences: []meta.OwnerReference{{Kind: "X"}}}, true,
			[]string{"metadata.ownerReferences[0].apiVersion", "metadata.ownerReferences[0].uid"}},
		{"orphan and foreground", meta.ObjectMeta{Name: "a", Namespace: "ns", Finalizers: []string{"orphan", "foregroundDeletion"}}, true, []string{"cannot be both set"}},
		{"bad finalizer", meta.ObjectMeta{Name: "a", Namespace: "ns", Finalizers: []string{"a/b/c"}}, true, []string{"metadata.finalizers[0]"}},
		{"annotations too big", meta.ObjectMeta{Name: "a", Namespace: "ns", Annotations: map[string]string{"a": strings.Repeat("x", TotalAnnotationSizeLimit)}}, true, []string{"metadata.annotations: Too long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := ValidateObjectMeta(&tt.m, tt.namespaced, NameIsDNSSubdomain, NewPath("metadata"))
			if len(tt.want) == 0 {
				if len(errs) != 0 {
					t.Fatalf("unexpected errors: %v", errs.ToAggregate())
				}
				return
			}
			if len(errs) == 0 {
				t.Fatalf("want errors %v, got none", tt.want)
			}
			msg := errs.ToAggregate().Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("missing %q in %s", w, msg)
				}
			}
		})
	}
}

func TestValidateObjectMetaUpdate(t *testing.T) {
	now := meta.Now()
	old := meta.ObjectMeta{Name: "a", Namespace: "ns", UID: "u", Generation: 3, CreationTimestamp: now}
	tests := []struct {
		name   string
		mutate func(m *meta.ObjectMeta)
		want   string
	}{
		{"unchanged", func(*meta.ObjectMeta) {}, ""},
		{"rename", func(m *meta.ObjectMeta) { m.Name = "b" }, `metadata.name: Invalid value: "b": field is immutable`},
		{"uid", func(m *meta.ObjectMeta) { m.UID = "v" }, "metadata.uid: Invalid value"},
		{"generation down", func(m *meta.ObjectMeta) { m.Generation = 2 }, "must not be decremented"},
		{"creation time", func(m *meta.ObjectMeta) { m.CreationTimestamp = meta.Time{} }, "metadata.creationTimestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := old
			tt.mutate(&m)
			errs := ValidateObjectMetaUpdate(&m, &old, true, NameIsDNSSubdomain, NewPath("metadata"))
			if tt.want == "" {
				if len(errs) != 0 {
					t.Fatal(errs.ToAggregate())
				}
				return
			}
			if len(errs) == 0 || !strings.Contains(errs.ToAggregate().Error(), tt.want) {
				t.Fatalf("want %q, got %v", tt.want, errs.ToAggregate())
			}
		})
	}
	deleting := old
	deleting.DeletionTimestamp = &now
	deleting.Finalizers = []string{"a"}
	upd := deleting
	upd.Finalizers = []string{"a", "b"}
	errs := ValidateObjectMetaUpdate(&upd, &deleting, true, NameIsDNSSubdomain, NewPath("metadata"))
	if len(errs) == 0 || !strings.Contains(errs.ToAggregate().Error(), `no new finalizers can be added if the object is being deleted, found new finalizer "b"`) {
		t.Fatalf("adding a finalizer while deleting: %v", errs.ToAggregate())
	}
}
