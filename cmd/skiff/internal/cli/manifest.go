package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

// manifest is one object of a manifest file, as written and as decoded.
type manifest struct {
	source string           // the file it came from, "STDIN" for -
	doc    map[string]any   // the object as written (JSON form), namespace filled in
	obj    meta.Object      // decoded strictly from doc
	info   *scheme.KindInfo // its kind
}

// manifestExts are the extensions of the files a directory given to -f contributes.
var manifestExts = []string{".json", ".yaml", ".yml"}

// readManifests reads every object of the files, directories (their .json, .yaml and .yml
// files, in name order; subdirectories too when recursive) and "-" (in) that paths name.
// Each object is decoded strictly; an error names the file and document.
func readManifests(sch *scheme.Scheme, in io.Reader, paths []string, recursive bool) ([]manifest, error) {
	var out []manifest
	for _, p := range paths {
		if p == "-" {
			data, err := io.ReadAll(in)
			if err != nil {
				return nil, err
			}
			ms, err := decodeManifests(sch, "STDIN", data)
			if err != nil {
				return nil, err
			}
			out = append(out, ms...)
			continue
		}
		files, err := manifestFiles(p, recursive)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			ms, err := decodeManifests(sch, f, data)
			if err != nil {
				return nil, err
			}
			out = append(out, ms...)
		}
	}
	return out, nil
}

// manifestFiles returns p if it is a file, or the manifest files of directory p.
func manifestFiles(p string, recursive bool) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("the path %q does not exist", p)
		}
		return nil, err
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != p && !recursive {
				return filepath.SkipDir
			}
			return nil
		}
		if slices.Contains(manifestExts, strings.ToLower(filepath.Ext(path))) {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

// decodeManifests decodes the documents of one file (YAML separated by "---", or JSON),
// expanding "kind: List" documents into their items.
func decodeManifests(sch *scheme.Scheme, source string, data []byte) ([]manifest, error) {
	var out []manifest
	for i, raw := range scheme.SplitDocuments(data) {
		fail := func(err error) error { return fmt.Errorf("error parsing %s: document %d: %w", source, i+1, err) }
		j := bytes.TrimSpace(raw)
		if len(j) == 0 || j[0] != '{' {
			var err error
			if j, err = yaml.YAMLToJSON(raw); err != nil {
				return nil, fail(err)
			}
		}
		var doc map[string]any
		if err := json.Unmarshal(j, &doc); err != nil {
			return nil, fail(fmt.Errorf("not an object: %w", err))
		}
		if doc == nil {
			continue
		}
		kind, _ := doc["kind"].(string)
		if items, ok := doc["items"].([]any); ok && strings.HasSuffix(kind, "List") {
			for _, it := range items {
				m, ok := it.(map[string]any)
				if !ok {
					return nil, fail(fmt.Errorf("a List item is not an object"))
				}
				mf, err := decodeManifest(sch, source, m)
				if err != nil {
					return nil, fail(err)
				}
				out = append(out, mf)
			}
			continue
		}
		mf, err := decodeManifest(sch, source, doc)
		if err != nil {
			return nil, fail(err)
		}
		out = append(out, mf)
	}
	return out, nil
}

// decodeManifest decodes one object strictly.
func decodeManifest(sch *scheme.Scheme, source string, doc map[string]any) (manifest, error) {
	data, err := json.Marshal(doc)
	if err != nil {
		return manifest{}, err
	}
	apiVersion, _ := doc["apiVersion"].(string)
	kind, _ := doc["kind"].(string)
	if apiVersion == "" || kind == "" {
		return manifest{}, fmt.Errorf("apiVersion and kind are required (got apiVersion %q, kind %q)", apiVersion, kind)
	}
	info, err := sch.ForGVK(scheme.FromAPIVersionAndKind(apiVersion, kind))
	if err != nil {
		return manifest{}, fmt.Errorf("no matches for kind %q in version %q", kind, apiVersion)
	}
	obj, err := sch.Decode(data)
	if err != nil {
		return manifest{}, err
	}
	return manifest{source: source, doc: doc, obj: obj, info: info}, nil
}

// setNamespace gives m the namespace of the request: the one of -n for a namespaced object
// without one (an error if it names another and -n was given explicitly), none for a
// cluster-scoped object.
func (m *manifest) setNamespace(ns string, explicit bool) error {
	md, _ := m.doc["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		m.doc["metadata"] = md
	}
	if !m.info.Namespaced {
		delete(md, "namespace")
		m.obj.SetNamespace("")
		return nil
	}
	cur, _ := md["namespace"].(string)
	switch {
	case cur == "":
		md["namespace"] = ns
		m.obj.SetNamespace(ns)
	case explicit && cur != ns:
		return messagef("the namespace from the provided object %q does not match the namespace %q. You must pass '--namespace=%s' to perform this operation.", cur, ns, cur)
	}
	return nil
}

// readAndPrepare reads the manifests of -f for the command verb and sets their namespaces.
func (r *root) readAndPrepare(verb string, paths []string, recursive, explicitNS bool) ([]manifest, error) {
	ms, err := readManifests(r.scheme, r.opts.In, paths, recursive)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("no objects passed to %s", verb)
	}
	for i := range ms {
		if err := ms[i].setNamespace(r.namespace, explicitNS); err != nil {
			return nil, err
		}
	}
	return ms, nil
}
