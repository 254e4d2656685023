package apiserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"os"
	"strings"
)

// tokenDigest is the SHA-256 of an accepted token. Comparing digests in constant time
// hides both the tokens and their lengths from timing.
type tokenDigest = [sha256.Size]byte

// loadTokens returns the digests of the tokens o accepts: Token, and each token of
// TokenFile. No tokens means authentication is off.
func loadTokens(o Options) ([]tokenDigest, error) {
	var tokens []tokenDigest
	if o.Token != "" {
		tokens = append(tokens, sha256.Sum256([]byte(o.Token)))
	}
	if o.TokenFile == "" {
		return tokens, nil
	}
	data, err := os.ReadFile(o.TokenFile)
	if err != nil {
		return nil, fmt.Errorf("apiserver: read token file: %w", err)
	}
	found := false
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		tok, _, _ := strings.Cut(line, ",")
		if tok = strings.TrimSpace(tok); tok != "" {
			tokens = append(tokens, sha256.Sum256([]byte(tok)))
			found = true
		}
	}
	if !found {
		return nil, fmt.Errorf("%w: %s", ErrNoToken, o.TokenFile)
	}
	return tokens, nil
}

// openPaths are served without a token, as kube-apiserver serves them to anonymous users:
// probes and the version.
var openPaths = map[string]bool{"/healthz": true, "/livez": true, "/readyz": true, "/version": true}

// authorized reports whether r may be served: the path is open, or r is authenticated.
func (s *Server) authorized(r *http.Request) bool {
	return openPaths[r.URL.Path] || s.authenticated(r)
}

// authenticated reports whether authentication is off or r carries an accepted bearer token.
func (s *Server) authenticated(r *http.Request) bool {
	if len(s.tokens) == 0 {
		return true
	}
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	got := sha256.Sum256([]byte(strings.TrimSpace(token)))
	match := 0
	for i := range s.tokens {
		match |= subtle.ConstantTimeCompare(got[:], s.tokens[i][:])
	}
	return match == 1
}
