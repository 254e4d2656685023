package batch

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"
)

// manifestDir holds the example manifests written from the Kubernetes documentation.
const manifestDir = "../../examples/manifests"

// readManifest returns the JSON form of a one-document example manifest.
func readManifest(t *testing.T, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(manifestDir, file))
	if err != nil {
		t.Fatal(err)
	}
	j, err := yaml.YAMLToJSONStrict(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return j
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

func TestJobManifest(t *testing.T) {
	var j Job
	decodeStrict(t, readManifest(t, "job.yaml"), &j)
	if j.APIVersion != GroupVersion || j.Kind != "Job" || j.Name != "pi" || *j.Spec.BackoffLimit != 4 {
		t.Errorf("decoded %+v", j)
	}
	// What the store does on create: namespace, UID, defaults, generated selector.
	j.Namespace = "default"
	j.UID = "1b4b2f5e-0000-4000-8000-000000000001"
	DefaultJob(&j)
	GenerateJobSelector(&j)
	if errs := ValidateJob(&j); len(errs) > 0 {
		t.Errorf("defaulted example is invalid: %v", errs.ToAggregate())
	}
	if *j.Spec.BackoffLimit != 4 {
		t.Errorf("defaulting changed backoffLimit to %d", *j.Spec.BackoffLimit)
	}
}

func TestCronJobManifest(t *testing.T) {
	var cj CronJob
	decodeStrict(t, readManifest(t, "cronjob.yaml"), &cj)
	if cj.APIVersion != GroupVersion || cj.Kind != "CronJob" || cj.Name != "hello" || cj.Spec.Schedule != "* * * * *" {
		t.Errorf("decoded %+v", cj)
	}
	cj.Namespace = "default"
	DefaultCronJob(&cj)
	if errs := ValidateCronJob(&cj); len(errs) > 0 {
		t.Errorf("defaulted example is invalid: %v", errs.ToAggregate())
	}
}
