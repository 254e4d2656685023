package manager

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Checker is a health or readiness check: nil means healthy.
type Checker func(req *http.Request) error

// AddHealthzCheck adds a check to /healthz, replacing one of the same name. The manager has
// "ping", which always passes.
func (m *Manager) AddHealthzCheck(name string, c Checker) { m.addCheck("healthz", name, c) }

// AddReadyzCheck adds a check to /readyz, replacing one of the same name. The manager has
// "informers", which passes once the caches have synced, until the manager stops.
func (m *Manager) AddReadyzCheck(name string, c Checker) { m.addCheck("readyz", name, c) }

func (m *Manager) addCheck(endpoint, name string, c Checker) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.checks[endpoint][name] = c
}

// informersSynced is the "informers" readiness check.
func (m *Manager) informersSynced(*http.Request) error {
	if !m.synced.Load() {
		return errors.New("informer caches have not synced, or the manager is stopping")
	}
	return nil
}

// checkHandler serves /healthz or /readyz as the Kubernetes API server does: 200 "ok" when
// every check passes, else 503 with one "[+]name ok" or "[-]name failed: reason" line per
// check (also with ?verbose on success).
func (m *Manager) checkHandler(endpoint string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		m.mu.Lock()
		checks := make(map[string]Checker, len(m.checks[endpoint]))
		for k, v := range m.checks[endpoint] {
			checks[k] = v
		}
		m.mu.Unlock()
		names := make([]string, 0, len(checks))
		for n := range checks {
			names = append(names, n)
		}
		slices.Sort(names)
		var b strings.Builder
		failed := false
		for _, n := range names {
			if err := checks[n](req); err != nil {
				failed = true
				fmt.Fprintf(&b, "[-]%s failed: %v\n", n, err)
			} else {
				fmt.Fprintf(&b, "[+]%s ok\n", n)
			}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		switch {
		case failed:
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(&b, "%s check failed\n", endpoint)
			_, _ = w.Write([]byte(b.String()))
		case req.URL.Query().Has("verbose"):
			fmt.Fprintf(&b, "%s check passed\n", endpoint)
			_, _ = w.Write([]byte(b.String()))
		default:
			_, _ = w.Write([]byte("ok"))
		}
	})
}

// servers are the manager's HTTP servers.
type servers []*http.Server

func (s servers) close() {
	for _, srv := range s {
		_ = srv.Close()
	}
}

// serve binds MetricsAddr and HealthAddr (one server when they name the same fixed address)
// and serves them on goroutines tracked by bg, until close.
func (m *Manager) serve(bg *sync.WaitGroup) (servers, error) {
	type listener struct {
		addr string
		mux  *http.ServeMux
	}
	var ls []*listener
	// mux returns the mux of addr, shared by both endpoints when they name the same fixed
	// address; an address with port 0 means "any free port": one each.
	mux := func(addr string) *listener {
		if _, port, _ := net.SplitHostPort(addr); port != "0" {
			for _, l := range ls {
				if l.addr == addr {
					return l
				}
			}
		}
		l := &listener{addr: addr, mux: http.NewServeMux()}
		ls = append(ls, l)
		return l
	}
	var metricsL, healthL *listener
	if a := m.opts.MetricsAddr; a != "" {
		metricsL = mux(a)
		metricsL.mux.Handle("/metrics", promhttp.HandlerFor(m.opts.Registry, promhttp.HandlerOpts{Registry: m.opts.Registry}))
	}
	if a := m.opts.HealthAddr; a != "" {
		healthL = mux(a)
		healthL.mux.Handle("/healthz", m.checkHandler("healthz"))
		healthL.mux.Handle("/readyz", m.checkHandler("readyz"))
	}
	var srvs servers
	bound := map[*listener]string{}
	for _, l := range ls {
		ln, err := net.Listen("tcp", l.addr)
		if err != nil {
			srvs.close()
			return nil, fmt.Errorf("manager: listening on %s: %w", l.addr, err)
		}
		bound[l] = ln.Addr().String()
		srv := &http.Server{Handler: l.mux, ReadHeaderTimeout: 10 * time.Second}
		srvs = append(srvs, srv)
		bg.Go(func() { _ = srv.Serve(ln) })
	}
	m.mu.Lock()
	m.metricsAddr, m.healthAddr = bound[metricsL], bound[healthL]
	m.mu.Unlock()
	return srvs, nil
}

// newRegistry returns a registry with the Go runtime and process collectors.
func newRegistry() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return r
}
