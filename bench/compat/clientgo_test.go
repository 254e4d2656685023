package compat

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"

	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/controlplane"
)

// startSkiff runs a control plane (real clock, zero container start-up delay) with its API
// server on a random loopback port, and returns a client-go config for it.
func startSkiff(t *testing.T) *rest.Config {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log := logr.FromSlogHandler(slog.DiscardHandler)
	plane, err := controlplane.Start(ctx, controlplane.Config{
		DataDir: t.TempDir(),
		Logger:  log,
		Nodes:   controlplane.NodesConfig{StartupDelay: -1},
	})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	srv, err := apiserver.New(apiserver.Options{Client: plane.Client(), Logger: log})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() { _ = srv.Serve(ctx, ln) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		_ = plane.Stop()
	})
	return &rest.Config{
		Host:          "http://" + ln.Addr().String(),
		ContentConfig: rest.ContentConfig{ContentType: "application/json"},
		QPS:           1000,
		Burst:         1000,
	}
}

func waitFor(t *testing.T, what string, within time.Duration, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, err := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s (last error: %v)", within, what, err)
		}
		time.Sleep(20 * time.Millisecond) // real server, real clock: bounded polling
	}
}

func TestClientGoDrivesSkiff(t *testing.T) {
	cfg := startSkiff(t)
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	v, err := cs.Discovery().ServerVersion()
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	t.Logf("server version %s", v.GitVersion)

	// A client-go informer on pods, as a controller built on client-go would run it.
	factory := informers.NewSharedInformerFactory(cs, 0)
	podInformer := factory.Core().V1().Pods().Informer()
	var mu sync.Mutex
	seen := map[string]bool{}
	if _, err := podInformer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			p := obj.(*corev1.Pod)
			mu.Lock()
			seen[p.Name] = true
			mu.Unlock()
		},
	}); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	defer close(stop)
	factory.Start(stop)
	if !cache.WaitForCacheSync(stop, podInformer.HasSynced) {
		t.Fatal("client-go informer did not sync")
	}

	replicas := int32(3)
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "web", Image: "nginx:1.27"}}},
			},
		},
	}
	if _, err := cs.AppsV1().Deployments("default").Create(ctx, dep, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create deployment: %v", err)
	}
	if _, err := cs.AppsV1().Deployments("default").Create(ctx, dep, metav1.CreateOptions{}); !apierrors.IsAlreadyExists(err) {
		t.Fatalf("second create: want AlreadyExists, got %v", err)
	}

	countSeen := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(seen)
	}
	waitFor(t, "3 pods in the client-go informer", 30*time.Second, func() (bool, error) { return countSeen() >= 3, nil })
	waitFor(t, "deployment available", 30*time.Second, func() (bool, error) {
		d, err := cs.AppsV1().Deployments("default").Get(ctx, "web", metav1.GetOptions{})
		return err == nil && d.Status.AvailableReplicas == 3, err
	})

	// Scale through the scale subresource, as kubectl scale does.
	sc, err := cs.AppsV1().Deployments("default").GetScale(ctx, "web", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("get scale: %v", err)
	}
	sc.Spec.Replicas = 5
	if _, err := cs.AppsV1().Deployments("default").UpdateScale(ctx, "web", sc, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("update scale: %v", err)
	}
	waitFor(t, "5 pods in the client-go informer", 30*time.Second, func() (bool, error) {
		return len(podInformer.GetStore().List()) == 5, nil
	})

	// Foreground deletion: the Deployment waits for its dependents, then disappears, and the
	// informer sees every pod go.
	fg := metav1.DeletePropagationForeground
	if err := cs.AppsV1().Deployments("default").Delete(ctx, "web", metav1.DeleteOptions{PropagationPolicy: &fg}); err != nil {
		t.Fatalf("delete: %v", err)
	}
	waitFor(t, "deployment gone", 60*time.Second, func() (bool, error) {
		_, err := cs.AppsV1().Deployments("default").Get(ctx, "web", metav1.GetOptions{})
		return apierrors.IsNotFound(err), err
	})
	waitFor(t, "pods gone from the informer", 60*time.Second, func() (bool, error) {
		return len(podInformer.GetStore().List()) == 0, fmt.Errorf("%d pods left", len(podInformer.GetStore().List()))
	})
}
