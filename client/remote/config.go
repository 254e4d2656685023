package remote

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/scheme"
)

// Defaults for the zero fields of Config.
const (
	// DefaultTimeout bounds each request but watches.
	DefaultTimeout = time.Minute
	// DefaultUserAgent is sent when Config.UserAgent is empty.
	DefaultUserAgent = "skiff-remote"
)

// Config configures New. Server is required; the zero value of every other field means its
// default.
type Config struct {
	// Server is the API server's base URL: "http://127.0.0.1:7070", or
	// "https://host:6443/some/prefix" behind a proxy. Required.
	Server string

	// Token, when set, is sent as "Authorization: Bearer <Token>" with every request.
	Token string

	// TLS is the client TLS configuration for an https Server (not copied beyond a Clone).
	// Default: the system's roots. Ignored when HTTPClient is set.
	TLS *tls.Config

	// CAFile names a PEM file of certificates to trust for the server, in addition to
	// TLS.RootCAs (or instead of the system's roots when TLS has none).
	CAFile string

	// Insecure skips the verification of the server's certificate. For tests only.
	Insecure bool

	// Scheme registers the kinds the client handles; it must agree with the server's.
	// Default scheme.NewBuiltin().
	Scheme *scheme.Scheme

	// HTTPClient, when set, sends every request; TLS, CAFile and Insecure must then be unset
	// (configure its transport instead), and its own Timeout should be 0, or watches end
	// with it. Default: a client over a clone of http.DefaultTransport.
	HTTPClient *http.Client

	// Timeout bounds each request but watches, which last until stopped. Default
	// DefaultTimeout.
	Timeout time.Duration

	// UserAgent is the User-Agent header. Default DefaultUserAgent.
	UserAgent string
}

// Validate reports a configuration that cannot work: no or a malformed Server URL, TLS
// settings next to an HTTPClient, a negative timeout.
func (c Config) Validate() error {
	var errs []error
	if c.Server == "" {
		errs = append(errs, errors.New("the server URL is required (Config.Server)"))
	} else if u, err := url.Parse(c.Server); err != nil {
		errs = append(errs, fmt.Errorf("the server URL: %w", err))
	} else if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		errs = append(errs, fmt.Errorf("the server URL %q is not of the form http(s)://host[:port][/path]", c.Server))
	}
	if c.HTTPClient != nil && (c.TLS != nil || c.CAFile != "" || c.Insecure) {
		errs = append(errs, errors.New("TLS, CAFile and Insecure cannot be used with HTTPClient: configure its transport"))
	}
	if c.Timeout < 0 {
		errs = append(errs, errors.New("the timeout must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return nil
}

// withDefaults returns c with every zero field but HTTPClient replaced by its default.
func (c Config) withDefaults() Config {
	if c.Scheme == nil {
		c.Scheme = scheme.NewBuiltin()
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	if c.UserAgent == "" {
		c.UserAgent = DefaultUserAgent
	}
	return c
}

// newHTTPClient returns the default HTTP client of c: http.DefaultTransport's settings, the
// TLS configuration of c, and enough idle connections per host for concurrent controllers.
func newHTTPClient(c Config) (*http.Client, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 64
	if c.TLS != nil || c.CAFile != "" || c.Insecure {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if c.TLS != nil {
			cfg = c.TLS.Clone()
		}
		if c.CAFile != "" {
			pem, err := os.ReadFile(c.CAFile)
			if err != nil {
				return nil, fmt.Errorf("remote: read CA file: %w", err)
			}
			if cfg.RootCAs == nil {
				cfg.RootCAs = x509.NewCertPool()
			}
			if !cfg.RootCAs.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("%w: CA file %s holds no PEM certificate", ErrInvalidConfig, c.CAFile)
			}
		}
		if c.Insecure {
			cfg.InsecureSkipVerify = true
		}
		t.TLSClientConfig = cfg
	}
	return &http.Client{Transport: t}, nil
}

// baseURL parses the server URL of a valid config, without a trailing slash in its path.
func baseURL(server string) *url.URL {
	u, _ := url.Parse(server) // Validate parsed it
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u
}
