package apps

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
)

// manifestDir holds the example manifests written from the Kubernetes documentation.
const manifestDir = "../../examples/manifests"

// readDocs returns the JSON form of each YAML document of an example manifest.
func readDocs(t *testing.T, file string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(manifestDir, file))
	if err != nil {
		t.Fatal(err)
	}
	var docs [][]byte
	for _, doc := range strings.Split(string(data), "\n---\n") {
		j, err := yaml.YAMLToJSONStrict([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		docs = append(docs, j)
	}
	return docs
}

// decodeStrict decodes doc into obj, failing on any field obj's type does not have, then
// checks that encoding obj again gives the same document: no field is lost or added.
func decodeStrict(t *testing.T, doc []byte, obj any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(obj); err != nil {
		t.Fatalf("strict decode into %T: %v", obj, err)
	}
	out, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	var want, got any
	if err := json.Unmarshal(doc, &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%T does not round trip:\n got %s\nwant %s", obj, out, doc)
	}
}

func TestManifests(t *testing.T) {
	tests := []struct {
		file     string
		new      func() meta.Object
		validate func(meta.Object) validation.ErrorList
	}{
		{"deployment.yaml", func() meta.Object { return &Deployment{} }, func(o meta.Object) validation.ErrorList {
			d := o.(*Deployment)
			DefaultDeployment(d)
			return ValidateDeployment(d)
		}},
		{"replicaset.yaml", func() meta.Object { return &ReplicaSet{} }, func(o meta.Object) validation.ErrorList {
			rs := o.(*ReplicaSet)
			DefaultReplicaSet(rs)
			return ValidateReplicaSet(rs)
		}},
		{"statefulset.yaml", func() meta.Object { return &StatefulSet{} }, func(o meta.Object) validation.ErrorList {
			ss := o.(*StatefulSet)
			DefaultStatefulSet(ss)
			return ValidateStatefulSet(ss)
		}},
		{"daemonset.yaml", func() meta.Object { return &DaemonSet{} }, func(o meta.Object) validation.ErrorList {
			ds := o.(*DaemonSet)
			DefaultDaemonSet(ds)
			return ValidateDaemonSet(ds)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			docs := readDocs(t, tt.file)
			obj := tt.new()
			// The kind is the last document; the ones before it (the StatefulSet's headless
			// Service) belong to core.
			kindDoc := docs[len(docs)-1]
			decodeStrict(t, kindDoc, obj)
			if tm := obj.GetTypeMeta(); tm.APIVersion != GroupVersion || tm.Kind != strings.TrimPrefix(reflect.TypeOf(obj).String(), "*apps.") {
				t.Errorf("typeMeta = %+v", tm)
			}
			if obj.GetNamespace() == "" {
				obj.SetNamespace("default") // the store fills it in from the request
			}
			if errs := tt.validate(obj); len(errs) > 0 {
				t.Errorf("defaulted example is invalid: %v", errs.ToAggregate())
			}
		})
	}
}

func TestStatefulSetManifestService(t *testing.T) {
	docs := readDocs(t, "statefulset.yaml")
	if len(docs) != 2 {
		t.Fatalf("statefulset.yaml has %d documents, want the Service and the StatefulSet", len(docs))
	}
	var svc core.Service
	decodeStrict(t, docs[0], &svc)
	var ss StatefulSet
	decodeStrict(t, docs[1], &ss)
	if svc.Kind != "Service" || svc.Spec.ClusterIP != "None" {
		t.Errorf("first document is not a headless Service: %+v", svc)
	}
	if ss.Spec.ServiceName != svc.Name {
		t.Errorf("serviceName %q does not name the Service %q", ss.Spec.ServiceName, svc.Name)
	}
	if len(ss.Spec.VolumeClaimTemplates) != 1 || ss.Spec.VolumeClaimTemplates[0].Name != "www" {
		t.Errorf("volumeClaimTemplates = %+v", ss.Spec.VolumeClaimTemplates)
	}
}

func TestManifestDecodeRejectsUnknownFields(t *testing.T) {
	doc := []byte(`{"apiVersion":"apps/v1","kind":"Deployment","spec":{"replica":3}}`)
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	var d Deployment
	if err := dec.Decode(&d); err == nil || !strings.Contains(err.Error(), "replica") {
		t.Errorf("decoding a misspelt field gave %v, want an unknown field error", err)
	}
}
