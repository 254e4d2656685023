package apiserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/skiff-dev/skiff/store"
)

// Media types the server reads and writes.
const (
	mediaJSON = "application/json"
	mediaYAML = "application/yaml"
	// mediaProtobuf is Kubernetes' protobuf encoding, which this server neither reads nor
	// writes.
	mediaProtobuf = "application/vnd.kubernetes.protobuf"
)

// acceptsJSON reports whether a request's Accept header allows a JSON answer. Every media
// range that JSON satisfies counts (application/json with any parameters but "as",
// application/*, */*); ranges with an "as" parameter ask for a Table or another
// transformation this server does not make, and protobuf and YAML are not written, so a
// client that lists them first (client-go does for protobuf) gets JSON from its fallback.
// An empty header accepts anything.
func acceptsJSON(accept string) bool {
	if strings.TrimSpace(accept) == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		if _, ok := params["as"]; ok {
			continue
		}
		if q, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
				continue
			}
		}
		switch mt {
		case mediaJSON, "application/*", "*/*":
			return true
		}
	}
	return false
}

// mediaType returns the media type of a Content-Type header without its parameters,
// lower-cased; "" for an empty or unparsable header.
func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return mt
}

// readBody reads a request body of at most limit bytes. A larger body is a 413 error, a body
// that cannot be read a 400.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, errTooLarge(limit)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errTooLarge(limit)
		}
		return nil, store.NewBadRequest("the request body could not be read: " + err.Error())
	}
	return body, nil
}

// objectJSON returns the JSON of an object body of the given Content-Type: JSON as it is
// (an empty Content-Type is read as JSON), YAML converted. Other media types are a 415 error;
// a body that is not one JSON or YAML object a 400.
func objectJSON(contentType string, body []byte) ([]byte, error) {
	mt := mediaType(contentType)
	switch {
	case contentType == "" || mt == mediaJSON:
		t := bytes.TrimSpace(body)
		if len(t) == 0 {
			return nil, store.NewBadRequest("the request body is empty: an object is required")
		}
		if t[0] != '{' || !json.Valid(t) {
			return nil, store.NewBadRequest("the request body is not a JSON object: " + jsonProblem(t))
		}
		return t, nil
	case mt == mediaYAML:
		j, err := yaml.YAMLToJSON(body)
		if err != nil {
			return nil, store.NewBadRequest("the request body is not valid YAML: " + err.Error())
		}
		if t := bytes.TrimSpace(j); len(t) == 0 || t[0] != '{' {
			return nil, store.NewBadRequest("the request body is not a YAML mapping")
		}
		return j, nil
	}
	err := errUnsupportedMediaType(contentType, []string{mediaJSON, mediaYAML})
	if mt == mediaProtobuf {
		// client-go's typed clients send protobuf unless told otherwise.
		err.Message += `; client-go users: set ContentType "application/json" in rest.Config`
	}
	return nil, err
}

// jsonProblem describes why t is not a JSON object.
func jsonProblem(t []byte) string {
	var v any
	if err := json.Unmarshal(t, &v); err != nil {
		return err.Error()
	}
	switch v.(type) {
	case []any:
		return "found a list"
	case string:
		return "found a string"
	case float64:
		return "found a number"
	case bool:
		return "found a boolean"
	}
	return "found null"
}
