package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// rolloutReplicas is the size of the Deployment the restart test rolls out.
const rolloutReplicas = 4

// rolloutManifest is the Deployment of the restart test, with image and the time its
// containers take to become ready. With maxSurge 1 and maxUnavailable 0 the rollout replaces
// one pod at a time, each step waiting for a new pod to be ready: readyAfter sets how long a
// step lasts, so that the test can stop the plane between two steps.
func rolloutManifest(image, readyAfter string) string {
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: %d
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
      annotations:
        sim.skiff.dev/startup: "0s"
        sim.skiff.dev/ready-after: %q
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: nginx
        image: %s
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: v1
kind: Secret
metadata:
  name: password
stringData:
  password: hunter2
`, rolloutReplicas, readyAfter, image)
}

// TestRolloutSurvivesSIGKILL is the restart acceptance of issue 11: `skiff up` killed with
// SIGKILL in the middle of a rolling update, then started again on the same data, finishes
// the rollout, and every write it acknowledged before the kill is still there.
//
// The plane is a real process running in real time, concurrently with the test: the test
// waits for it by polling the API with a deadline (pollAPI), never by sleeping, and a deadline
// that expires is a failure.
func TestRolloutSurvivesSIGKILL(t *testing.T) {
	bin := buildSkiff(t)
	dir := t.TempDir()
	p := startPlane(t, bin, dir)
	api := newAPIClient(t)

	run := func(in string, args ...string) string {
		t.Helper()
		out, errOut, code := p.run(t, bin, in, args...)
		if code != 0 {
			t.Fatalf("skiff %s: exit %d: %s%s\nplane log:\n%s", strings.Join(args, " "), code, out, errOut, p.log())
		}
		return out
	}
	run(rolloutManifest("nginx:1.25", "0s"), "apply", "-f", "-")
	pollAPI(t, p, "the first revision to be available", func() (bool, string) {
		d := getDeployment(t, api, p)
		return rolloutComplete(d), deploymentSummary(d)
	})

	// The rolling update: a new image, and containers that take a while to be ready.
	if out := run(rolloutManifest("nginx:1.26", "1s"), "apply", "-f", "-"); !strings.Contains(out, "deployment.apps/web configured") {
		t.Fatalf("apply of the new template: %q", out)
	}
	// Mid-rollout: at least one step done (a new pod available, an old one scaled down),
	// and not all of them.
	pollAPI(t, p, "the rollout to be under way", func() (bool, string) {
		d := getDeployment(t, api, p)
		return d.Status.ObservedGeneration == d.Generation && d.Status.UpdatedReplicas >= 2 &&
			d.Status.UpdatedReplicas < rolloutReplicas, deploymentSummary(d)
	})
	before := snapshot(t, api, p)
	// A write acknowledged just before the kill.
	last := createConfigMap(t, api, p, "last")

	if err := p.cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	<-p.done
	_ = p.cmd.Wait()
	if st := p.cmd.ProcessState; st == nil || st.Success() {
		t.Fatalf("skiff up was not killed: %v", st)
	}

	// What the killed plane left on disk: a rollout that had started and not finished.
	oldReplicas, newReplicas := onDisk(t, dir)
	if oldReplicas == 0 || newReplicas == 0 {
		t.Fatalf("killed outside the rollout: old ReplicaSet %d replicas, new %d", oldReplicas, newReplicas)
	}
	t.Logf("killed mid-rollout: old ReplicaSet at %d replicas, new at %d", oldReplicas, newReplicas)
	restarted := time.Now()

	p = startPlane(t, bin, dir)
	pollAPI(t, p, "the rollout to finish after the restart", func() (bool, string) {
		d := getDeployment(t, api, p)
		if !rolloutComplete(d) {
			return false, deploymentSummary(d)
		}
		pods := podsOf(t, api, p)
		if len(pods) != rolloutReplicas {
			return false, fmt.Sprintf("%d pods", len(pods))
		}
		for _, pod := range pods {
			if pod.Spec.Containers[0].Image != "nginx:1.26" || pod.DeletionTimestamp != nil || !core.IsPodReady(pod) {
				return false, fmt.Sprintf("pod %s: image %s, phase %s, ready %v", pod.Name,
					pod.Spec.Containers[0].Image, pod.Status.Phase, core.IsPodReady(pod))
			}
		}
		return true, ""
	})
	t.Logf("rollout finished %v after the restart", time.Since(restarted).Round(time.Millisecond))
	if out := run("", "rollout", "status", "deployment/web"); !strings.Contains(out, `deployment "web" successfully rolled out`) {
		t.Errorf("rollout status: %q", out)
	}

	// Nothing acknowledged was lost: every object is still there with its UID, and those
	// that nobody wrote since have their resourceVersion too.
	after := snapshot(t, api, p)
	for key, b := range before {
		a, ok := after[key]
		switch {
		case !ok:
			t.Errorf("%s (uid %s) lost in the restart", key, b.UID)
		case a.UID != b.UID:
			t.Errorf("%s: uid %s before the kill, %s after", key, b.UID, a.UID)
		case strings.HasPrefix(key, "configmaps/") || strings.HasPrefix(key, "secrets/"):
			if a.ResourceVersion != b.ResourceVersion {
				t.Errorf("%s: resourceVersion %s before the kill, %s after", key, b.ResourceVersion, a.ResourceVersion)
			}
		}
	}
	if a, ok := after["configmaps/last"]; !ok || a.UID != last.UID || a.ResourceVersion != last.ResourceVersion {
		t.Errorf("the ConfigMap created just before the kill: %+v, want uid %s resourceVersion %s", a, last.UID, last.ResourceVersion)
	}
	// The history of the rollout survived as well: both revisions' ReplicaSets.
	if n := countPrefix(after, "replicasets/"); n != 2 {
		t.Errorf("%d ReplicaSets after the restart, want 2", n)
	}
	p.stop(t)
}

// rolloutComplete reports whether d's latest generation is rolled out to every replica and
// its conditions say so.
func rolloutComplete(d *apps.Deployment) bool {
	s := d.Status
	if s.ObservedGeneration != d.Generation || s.Replicas != rolloutReplicas || s.UpdatedReplicas != rolloutReplicas ||
		s.ReadyReplicas != rolloutReplicas || s.AvailableReplicas != rolloutReplicas || s.UnavailableReplicas != 0 {
		return false
	}
	var progressing, available bool
	for _, c := range s.Conditions {
		switch c.Type {
		case apps.DeploymentProgressing:
			progressing = c.Status == meta.ConditionTrue && c.Reason == apps.NewRSAvailableReason
		case apps.DeploymentAvailable:
			available = c.Status == meta.ConditionTrue
		}
	}
	return progressing && available
}

func deploymentSummary(d *apps.Deployment) string {
	b, _ := json.Marshal(d.Status)
	return fmt.Sprintf("generation %d, status %s", d.Generation, b)
}

// apiClient talks to the plane's API server directly, without keeping connections open
// across the kill.
type apiClient struct{ http *http.Client }

func newAPIClient(t *testing.T) *apiClient {
	tr := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	return &apiClient{http: &http.Client{Transport: tr, Timeout: commandTimeout}}
}

// do sends a request to the plane and decodes a 2xx answer into out.
func (c *apiClient) do(t *testing.T, p *plane, method, path, body string, out any) {
	t.Helper()
	req, err := http.NewRequest(method, p.server+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v\nplane log:\n%s", method, path, err, p.log())
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %s: %s", method, path, resp.Status, data)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("%s %s: %v: %s", method, path, err, data)
	}
}

func getDeployment(t *testing.T, c *apiClient, p *plane) *apps.Deployment {
	t.Helper()
	var d apps.Deployment
	c.do(t, p, http.MethodGet, "/apis/apps/v1/namespaces/default/deployments/web", "", &d)
	return &d
}

func podsOf(t *testing.T, c *apiClient, p *plane) []*core.Pod {
	t.Helper()
	var l struct{ Items []*core.Pod }
	c.do(t, p, http.MethodGet, "/api/v1/namespaces/default/pods?labelSelector=app%3Dweb", "", &l)
	return l.Items
}

func createConfigMap(t *testing.T, c *apiClient, p *plane, name string) meta.ObjectMeta {
	t.Helper()
	var cm core.ConfigMap
	c.do(t, p, http.MethodPost, "/api/v1/namespaces/default/configmaps",
		`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"`+name+`"},"data":{"k":"v"}}`, &cm)
	if cm.UID == "" || cm.ResourceVersion == "" {
		t.Fatalf("created ConfigMap %s has no uid or resourceVersion: %+v", name, cm.ObjectMeta)
	}
	return cm.ObjectMeta
}

// snapshot lists the Deployments, ReplicaSets, ConfigMaps and Secrets of the default
// namespace, keyed by "<resource>/<name>".
func snapshot(t *testing.T, c *apiClient, p *plane) map[string]meta.ObjectMeta {
	t.Helper()
	out := map[string]meta.ObjectMeta{}
	for _, path := range []string{
		"/apis/apps/v1/namespaces/default/deployments",
		"/apis/apps/v1/namespaces/default/replicasets",
		"/api/v1/namespaces/default/configmaps",
		"/api/v1/namespaces/default/secrets",
	} {
		var l struct {
			Items []struct {
				Metadata meta.ObjectMeta `json:"metadata"`
			} `json:"items"`
		}
		c.do(t, p, http.MethodGet, path, "", &l)
		resource := path[strings.LastIndex(path, "/")+1:]
		for _, it := range l.Items {
			out[resource+"/"+it.Metadata.Name] = it.Metadata
		}
	}
	return out
}

func countPrefix(m map[string]meta.ObjectMeta, prefix string) int {
	n := 0
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			n++
		}
	}
	return n
}

// onDisk opens the store the killed plane left in dir and returns the desired replicas of
// the Deployment's old and new ReplicaSets (by image).
func onDisk(t *testing.T, dir string) (oldReplicas, newReplicas int32) {
	t.Helper()
	st, err := boltstore.Open(dir, boltstore.Options{Scheme: scheme.NewBuiltin()})
	if err != nil {
		t.Fatalf("opening the killed plane's store: %v", err)
	}
	defer st.Close()
	res, err := st.List(context.Background(), scheme.ReplicaSetGVK, store.ListOptions{Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Items {
		rs := o.(*apps.ReplicaSet)
		n := int32(1)
		if rs.Spec.Replicas != nil {
			n = *rs.Spec.Replicas
		}
		switch rs.Spec.Template.Spec.Containers[0].Image {
		case "nginx:1.25":
			oldReplicas += n
		case "nginx:1.26":
			newReplicas += n
		default:
			t.Fatalf("unexpected ReplicaSet %s", rs.Name)
		}
	}
	return oldReplicas, newReplicas
}

// pollAPI calls cond until it reports true, failing the test with cond's last description
// after commandTimeout. The plane works concurrently with the test, in real time: this
// bounded polling is the only way to wait for it.
func pollAPI(t *testing.T, p *plane, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(commandTimeout)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: %s\nplane log:\n%s", what, state, p.log())
		}
		<-time.After(10 * time.Millisecond)
	}
}
