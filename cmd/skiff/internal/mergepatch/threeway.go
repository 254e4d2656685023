package mergepatch

import (
	"encoding/json"
	"fmt"

	jsonpatch "github.com/evanphx/json-patch/v5"
)

// ThreeWay returns the merge patch that turns current into an object that agrees with
// modified, and deletes what original had and modified no longer has (see the package doc).
// original may be nil or empty (nothing was applied before: nothing is deleted). The result
// is "{}" when there is nothing to change.
func ThreeWay(original, modified, current []byte) ([]byte, error) {
	if len(original) == 0 {
		original = []byte("{}")
	}
	if len(current) == 0 {
		current = []byte("{}")
	}
	for _, doc := range [][]byte{original, modified, current} {
		if !json.Valid(doc) {
			return nil, fmt.Errorf("mergepatch: invalid JSON document %.40q", doc)
		}
	}
	addAndChange, err := jsonpatch.CreateMergePatch(current, modified)
	if err != nil {
		return nil, fmt.Errorf("mergepatch: comparing the configuration with the live object: %w", err)
	}
	deletions, err := jsonpatch.CreateMergePatch(original, modified)
	if err != nil {
		return nil, fmt.Errorf("mergepatch: comparing the configuration with the last applied one: %w", err)
	}
	var a, d map[string]any
	if err := json.Unmarshal(addAndChange, &a); err != nil {
		return nil, fmt.Errorf("mergepatch: %w", err)
	}
	if err := json.Unmarshal(deletions, &d); err != nil {
		return nil, fmt.Errorf("mergepatch: %w", err)
	}
	a = keepNulls(a, false)
	d = keepNulls(d, true)
	return json.Marshal(merge(d, a))
}

// keepNulls returns the part of patch m made of null values (keep) or of everything but null
// values (!keep), dropping maps that end up empty (but keeping an empty map the patch sets
// explicitly when !keep).
func keepNulls(m map[string]any, keep bool) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		switch v := v.(type) {
		case nil:
			if keep {
				out[k] = nil
			}
		case map[string]any:
			if len(v) == 0 {
				if !keep {
					out[k] = v
				}
				continue
			}
			if sub := keepNulls(v, keep); len(sub) > 0 {
				out[k] = sub
			}
		default:
			if !keep {
				out[k] = v
			}
		}
	}
	return out
}

// merge returns the union of two patches that touch disjoint leaves (one only deletes, the
// other never does); where both have a map, the maps are merged.
func merge(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if am, ok := out[k].(map[string]any); ok {
			if bm, ok := v.(map[string]any); ok {
				out[k] = merge(am, bm)
				continue
			}
		}
		out[k] = v
	}
	return out
}
