package apiserver_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// ExampleNew serves a store over HTTP and talks to it as kubectl or client-go would.
func ExampleNew() {
	dir, _ := os.MkdirTemp("", "skiff-apiserver-example")
	defer os.RemoveAll(dir)
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(dir, boltstore.Options{Scheme: sch})
	if err != nil {
		panic(err)
	}
	defer st.Close()

	srv, err := apiserver.New(apiserver.Options{
		Client: client.NewLocal(st, sch),
		Token:  "s3cret",
		Logger: logr.FromSlogHandler(slog.DiscardHandler),
	})
	if err != nil {
		panic(err)
	}
	// In a program: srv.ListenAndServe(ctx, "127.0.0.1:7070", nil).
	hs := httptest.NewServer(srv)
	defer hs.Close()

	send := func(method, path, body string) {
		req, _ := http.NewRequestWithContext(context.Background(), method, hs.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer s3cret")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, len(data) > 0)
	}
	send("POST", "/api/v1/namespaces/default/configmaps", `{"metadata":{"name":"settings"},"data":{"level":"debug"}}`)
	send("GET", "/api/v1/namespaces/default/configmaps/settings", "")
	send("GET", "/api/v1/namespaces/default/configmaps/missing", "")
	// Output:
	// 201 true
	// 200 true
	// 404 true
}
