package apiserver_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// newAPIServer returns a Server over a fresh store, without serving it.
func newAPIServer(t *testing.T, opts apiserver.Options) *apiserver.Server {
	t.Helper()
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	opts.Client = client.NewLocal(st, sch)
	opts.Logger = logr.FromSlogHandler(slog.DiscardHandler)
	srv, err := apiserver.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// TestServeShutdown checks that Serve ends watches and returns once its context ends.
func TestServeShutdown(t *testing.T) {
	srv := newAPIServer(t, apiserver.Options{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, l) }()

	hc := &http.Client{Transport: &http.Transport{}}
	defer hc.CloseIdleConnections()
	base := "http://" + l.Addr().String()
	resp, err := hc.Post(base+"/api/v1/namespaces/default/configmaps", "application/json", strings.NewReader(`{"metadata":{"name":"a"}}`))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %v %v", err, resp)
	}
	resp.Body.Close()
	w, err := hc.Get(base + "/api/v1/configmaps?watch=true")
	if err != nil || w.StatusCode != http.StatusOK {
		t.Fatalf("watch: %v %v", err, w)
	}
	defer w.Body.Close()
	dec := json.NewDecoder(w.Body)
	var ev struct{ Type string }
	if err := dec.Decode(&ev); err != nil || ev.Type != "ADDED" {
		t.Fatalf("first event %+v: %v", ev, err)
	}

	cancel()
	if err := dec.Decode(&ev); !errors.Is(err, io.EOF) {
		t.Fatalf("after shutdown the watch read %+v, %v; want EOF", ev, err)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(eventTimeout):
		t.Fatal("Serve did not return after its context ended")
	}
	if _, err := hc.Get(base + "/version"); err == nil {
		t.Fatal("the server still answers after Serve returned")
	}
}

// TestListenAndServeTLS serves HTTPS with a certificate from files, to an HTTP/2 client.
func TestListenAndServeTLS(t *testing.T) {
	certFile, keyFile, pool := writeCert(t)
	cfg, err := apiserver.TLSConfigFromFiles(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apiserver.TLSConfigFromFiles(keyFile, certFile); err == nil {
		t.Fatal("TLSConfigFromFiles accepted swapped files")
	}
	srv := newAPIServer(t, apiserver.Options{Token: "t0ken"})
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- srv.ListenAndServe(ctx, addr, cfg) }()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("ListenAndServe: %v", err)
		}
	}()

	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	var resp *http.Response
	deadline := time.Now().Add(eventTimeout)
	for { // the listener is opened by the goroutine above
		hr, _ := http.NewRequest("GET", "https://"+addr+"/api/v1/pods", nil)
		hr.Header.Set("Authorization", "Bearer t0ken")
		if resp, err = hc.Do(hr); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond) // bounded polling for the listener
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.ProtoMajor != 2 {
		t.Fatalf("GET over TLS: %d over %s", resp.StatusCode, resp.Proto)
	}
}

func TestListenAndServeFails(t *testing.T) {
	srv := newAPIServer(t, apiserver.Options{})
	if err := srv.ListenAndServe(t.Context(), "256.0.0.1:1", nil); err == nil {
		t.Fatal("ListenAndServe on an impossible address returned nil")
	}
}

// freeAddr returns a loopback address with a port nobody listens on (for now).
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// writeCert writes a self-signed certificate for 127.0.0.1 and its key to files, and
// returns them with a pool that trusts the certificate.
func writeCert(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "skiff test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	return certFile, keyFile, pool
}
