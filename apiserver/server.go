package apiserver

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Server is the HTTP API over a client.Client. It is an http.Handler, safe for concurrent
// use; Serve and ListenAndServe run it on a listener until a context ends. Build it with New.
type Server struct {
	opts   Options // defaults filled in
	c      client.Client
	sch    *scheme.Scheme
	log    logr.Logger
	tokens []tokenDigest // empty: authentication is off
	disc   *discovery
}

var _ http.Handler = (*Server)(nil)

// New returns a Server over opts.Client. It reads the token file, if any, and computes the
// discovery documents from the client's scheme; it starts nothing.
func New(opts Options) (*Server, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	tokens, err := loadTokens(opts)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, c: opts.Client, sch: opts.Client.Scheme(), log: opts.Logger, tokens: tokens}
	s.disc = newDiscovery(s.sch)
	if s.opts.Ready == nil {
		s.opts.Ready = s.storeReady
	}
	return s, nil
}

// storeReady is the default readiness check: a one-item list of the scheme's first kind.
func (s *Server) storeReady(ctx context.Context) error {
	kinds := s.sch.Kinds()
	if len(kinds) == 0 {
		return nil
	}
	_, err := s.c.List(ctx, kinds[0].GVK, store.ListOptions{Limit: 1})
	return err
}

// ServeHTTP serves one request. A panic in a handler is logged and answered with 500.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rw := &responseWriter{ResponseWriter: w}
	start := s.opts.Clock.Now()
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.Error(fmt.Errorf("panic: %v", p), "Request handler panicked", "method", r.Method, "path", r.URL.Path, "stack", string(debug.Stack()))
			if !rw.wroteHeader {
				s.writeError(rw, r, store.NewInternalError(fmt.Errorf("panic: %v", p)))
			}
		}
		s.log.V(4).Info("Request", "method", r.Method, "uri", r.URL.RequestURI(), "code", rw.code, "duration", s.opts.Clock.Since(start))
	}()
	s.serve(rw, r)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/healthz", "/readyz":
		s.serveReady(w, r)
		return
	case "/livez":
		writeText(w, http.StatusOK, "ok")
		return
	case "/version":
		if r.Method != http.MethodGet {
			s.writeMethodNotAllowed(w, r, http.MethodGet)
			return
		}
		writeJSON(w, http.StatusOK, s.opts.Version)
		return
	}
	if !s.authorized(r) {
		s.writeError(w, r, errUnauthorized())
		return
	}
	if accept := r.Header.Get("Accept"); !acceptsJSON(accept) {
		s.writeError(w, r, errNotAcceptable(accept))
		return
	}
	rt := parsePath(r.URL.Path)
	switch rt.kind {
	case routeNone:
		s.writeError(w, r, errPathNotFound())
	case routeResource:
		s.serveResource(w, r, rt)
	default:
		s.serveDiscovery(w, r, rt)
	}
}

// serveReady answers /readyz and /healthz with the readiness check. Why the server is not
// ready is told only to authenticated requests, as kube-apiserver withholds it.
func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	if err := s.opts.Ready(r.Context()); err != nil {
		s.log.V(1).Info("Not ready", "err", err.Error())
		msg := "not ready: reason withheld"
		if s.authenticated(r) {
			msg = "not ready: " + err.Error()
		}
		writeText(w, http.StatusServiceUnavailable, msg)
		return
	}
	writeText(w, http.StatusOK, "ok")
}

// watchStopKey is the context key of the channel that Serve closes to end every watch when
// it shuts down: http.Server.Shutdown waits for handlers, and a watch would never end.
type watchStopKey struct{}

// watchStop returns the channel that ends r's watch at shutdown (nil outside Serve).
func watchStop(r *http.Request) <-chan struct{} {
	ch, _ := r.Context().Value(watchStopKey{}).(<-chan struct{})
	return ch
}

// Serve serves HTTP on l until ctx ends, then shuts down gracefully: watches end at once,
// other requests in flight get up to Options.ShutdownTimeout to finish, and the connections
// that remain are closed. It closes l, and returns nil after a shutdown caused by ctx, or
// the error that stopped the listener.
func (s *Server) Serve(ctx context.Context, l net.Listener) error {
	return s.serveOn(ctx, l, nil)
}

// ListenAndServe listens on addr (DefaultAddr when "") and serves until ctx ends, as Serve
// does. With a non-nil tlsConfig it serves HTTPS (HTTP/2 included); see TLSConfigFromFiles.
func (s *Server) ListenAndServe(ctx context.Context, addr string, tlsConfig *tls.Config) error {
	if addr == "" {
		addr = DefaultAddr
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("apiserver: %w", err)
	}
	return s.serveOn(ctx, l, tlsConfig)
}

// TLSConfigFromFiles returns a server TLS configuration with the PEM certificate (chain) and
// key of the given files, and TLS 1.2 at least.
func TLSConfigFromFiles(certFile, keyFile string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("apiserver: load TLS key pair: %w", err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

func (s *Server) serveOn(ctx context.Context, l net.Listener, tlsConfig *tls.Config) error {
	stop := make(chan struct{})
	var stopOnce sync.Once
	closeStop := func() { stopOnce.Do(func() { close(stop) }) }
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    1 << 20,
		TLSConfig:         tlsConfig,
		ErrorLog:          log.New(logWriter{s.log}, "", 0),
		BaseContext: func(net.Listener) context.Context {
			return context.WithValue(context.Background(), watchStopKey{}, (<-chan struct{})(stop))
		},
	}
	hs.RegisterOnShutdown(closeStop)
	if len(s.tokens) == 0 && !isLoopback(l.Addr()) {
		s.log.Info("WARNING: serving without authentication on a non-loopback address; set a token", "addr", l.Addr().String())
	}
	s.log.Info("Serving the API", "addr", l.Addr().String(), "tls", tlsConfig != nil, "auth", len(s.tokens) > 0)
	errc := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			errc <- hs.ServeTLS(l, "", "")
		} else {
			errc <- hs.Serve(l)
		}
	}()
	select {
	case err := <-errc:
		closeStop()
		return fmt.Errorf("apiserver: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	timer := s.opts.Clock.AfterFunc(s.opts.ShutdownTimeout, cancel)
	defer timer.Stop()
	if err := hs.Shutdown(sctx); err != nil {
		s.log.Info("Graceful shutdown timed out; closing the remaining connections", "timeout", s.opts.ShutdownTimeout)
		hs.Close()
	}
	<-errc // http.ErrServerClosed
	s.log.Info("Stopped serving the API", "addr", l.Addr().String())
	return nil
}

func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// logWriter sends the http.Server's own messages (TLS handshake errors, ...) to the logger.
type logWriter struct{ log logr.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	w.log.V(1).Info(strings.TrimSpace(string(p)))
	return len(p), nil
}

// responseWriter records the status code of a response for the request log, and unwraps
// for http.ResponseController (flushes, read deadlines).
type responseWriter struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
}

func (w *responseWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// writeJSON writes v as a JSON response with the given status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		code = http.StatusInternalServerError
		data, _ = json.Marshal(store.NewInternalError(err).Status())
	}
	w.Header().Set("Content-Type", mediaJSON)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(code)
	_, _ = w.Write(data)
}

// writeText writes a plain-text response, for the probes.
func writeText(w http.ResponseWriter, code int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(text))
}

// writeError writes err as a Status with its HTTP code. Server errors (5xx but timeouts and
// unavailability, which are the client's to retry) are logged.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	se := toStatusError(err)
	if se.Code >= 500 && se.Reason == store.ReasonInternalError {
		s.log.Error(err, "Request failed", "method", r.Method, "path", r.URL.Path)
	}
	if se.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(se.RetryAfterSeconds)))
	}
	writeJSON(w, int(se.Code), se.Status())
}

// writeMethodNotAllowed writes the 405 of a method outside allowed.
func (s *Server) writeMethodNotAllowed(w http.ResponseWriter, r *http.Request, allowed ...string) {
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	s.writeError(w, r, errMethodNotAllowed(r.Method))
}
