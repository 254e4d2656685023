package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	jsonpatch "github.com/evanphx/json-patch/v5"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Limits on a JSON patch, as in the Kubernetes API server: a patch may hold at most
// maxJSONPatchOperations operations, and its copy operations may grow the document by at most
// maxJSONPatchCopyBytes (the API server's request size limit).
const (
	maxJSONPatchOperations = 10000
	maxJSONPatchCopyBytes  = 3 << 20
)

// checkPatchRequest rejects a patch type or subresource Patch does not support.
func checkPatchRequest(pt PatchType, opts PatchOptions) error {
	switch pt {
	case MergePatchType, JSONPatchType:
	default:
		return store.NewBadRequest(fmt.Sprintf("unsupported patch type %q: supported are %q and %q", pt, MergePatchType, JSONPatchType))
	}
	if opts.Subresource != "" && opts.Subresource != SubresourceStatus {
		return store.NewBadRequest(fmt.Sprintf("unsupported subresource %q: only %q can be patched", opts.Subresource, SubresourceStatus))
	}
	return nil
}

// ApplyPatch returns the object that results from applying a patch of type pt to cur, the
// object's current state, without writing anything. It is the pure part of Client.Patch, for
// servers and tests that must patch exactly as the client does. cur is not modified; the
// result is a new object of cur's kind, decoded strictly from the patched JSON.
//
// The errors are those Client.Patch documents for the patch itself: BadRequest for an
// unsupported type, a malformed patch, unknown fields, or a change of apiVersion, kind, name
// or namespace; Invalid for a JSON patch that does not apply (a failed "test", a missing
// path) or a result that does not decode. A JSON patch may hold at most 10,000 operations,
// and its copy operations may add at most 3 MiB, as in the Kubernetes API server.
func ApplyPatch(sch *scheme.Scheme, cur meta.Object, pt PatchType, data []byte) (meta.Object, error) {
	if err := checkPatchRequest(pt, PatchOptions{}); err != nil {
		return nil, err
	}
	info, err := sch.ForObject(cur)
	if err != nil {
		return nil, &store.StatusError{Reason: store.ReasonBadRequest, Code: 400, Message: err.Error(), Err: err}
	}
	doc, err := encodeCurrent(info, cur)
	if err != nil {
		return nil, store.NewInternalError(err)
	}
	name := cur.GetObjectMeta().Name
	patched, err := applyPatchJSON(info, name, doc, pt, data)
	if err != nil {
		return nil, err
	}
	obj := info.New()
	if err := sch.DecodeInto(patched, obj); err != nil {
		if scheme.IsStrictError(err) {
			return nil, store.NewBadRequest(err.Error())
		}
		return nil, store.NewInvalid(info.GVK, name, validation.ErrorList{
			validation.Invalid(validation.NewPath("patch"), nil, "the patched object does not decode: "+err.Error()),
		})
	}
	if err := checkIdentity(info, cur, obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// encodeCurrent returns cur as JSON with its apiVersion and kind, without writing to cur
// (which may be shared, read-only).
func encodeCurrent(info *scheme.KindInfo, cur meta.Object) ([]byte, error) {
	tm := cur.GetTypeMeta()
	if tm.APIVersion != info.GVK.APIVersion() || tm.Kind != info.GVK.Kind {
		cur = cur.DeepCopyObject()
		tm = cur.GetTypeMeta()
		tm.APIVersion, tm.Kind = info.GVK.APIVersion(), info.GVK.Kind
	}
	return json.Marshal(cur)
}

// applyPatchJSON applies the patch to doc, turning the patch library's errors into the
// *store.StatusError the API server would send.
func applyPatchJSON(info *scheme.KindInfo, name string, doc []byte, pt PatchType, data []byte) ([]byte, error) {
	switch pt {
	case MergePatchType:
		if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' || !json.Valid(t) {
			return nil, store.NewBadRequest("invalid merge patch: the patch must be a JSON object")
		}
		out, err := jsonpatch.MergePatch(doc, data)
		if err != nil {
			return nil, store.NewBadRequest("invalid merge patch: " + err.Error())
		}
		return out, nil
	default: // JSONPatchType; checkPatchRequest rejected the rest
		p, err := jsonpatch.DecodePatch(data)
		if err != nil {
			return nil, store.NewBadRequest("invalid JSON patch: " + err.Error())
		}
		if len(p) > maxJSONPatchOperations {
			return nil, store.NewBadRequest(fmt.Sprintf("invalid JSON patch: %d operations, at most %d are allowed", len(p), maxJSONPatchOperations))
		}
		opts := jsonpatch.NewApplyOptions()
		opts.AccumulatedCopySizeLimit = maxJSONPatchCopyBytes
		out, err := applyJSONPatch(p, doc, opts)
		if err != nil {
			var tooBig *jsonpatch.AccumulatedCopySizeError
			if errors.As(err, &tooBig) {
				return nil, store.NewBadRequest("invalid JSON patch: " + err.Error())
			}
			return nil, store.NewInvalid(info.GVK, name, validation.ErrorList{
				validation.Invalid(validation.NewPath("patch"), nil, "the JSON patch does not apply: "+err.Error()),
			})
		}
		return out, nil
	}
}

// applyJSONPatch applies p to doc, turning a panic of the patch library into an error: v5.9.11
// dereferences nil on some malformed operations, such as a "test" of the root path ("") with
// no value (found by apiserver's FuzzRequestBody).
func applyJSONPatch(p jsonpatch.Patch, doc []byte, opts *jsonpatch.ApplyOptions) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("malformed operation (%v)", r)
		}
	}()
	return p.ApplyWithOptions(doc, opts)
}

// checkIdentity rejects a patched object that is no longer the object that was patched. An
// apiVersion or kind the patch removed is put back.
func checkIdentity(info *scheme.KindInfo, cur, obj meta.Object) error {
	tm := obj.GetTypeMeta()
	if tm.APIVersion == "" && tm.Kind == "" {
		tm.APIVersion, tm.Kind = info.GVK.APIVersion(), info.GVK.Kind
	}
	if tm.APIVersion != info.GVK.APIVersion() || tm.Kind != info.GVK.Kind {
		return store.NewBadRequest(fmt.Sprintf("a patch may not change apiVersion and kind (from %s %s to %s %s)",
			info.GVK.APIVersion(), info.GVK.Kind, tm.APIVersion, tm.Kind))
	}
	cm, om := cur.GetObjectMeta(), obj.GetObjectMeta()
	if om.Name != cm.Name {
		return store.NewBadRequest(fmt.Sprintf("a patch may not change metadata.name (from %q to %q)", cm.Name, om.Name))
	}
	if om.Namespace != cm.Namespace {
		return store.NewBadRequest(fmt.Sprintf("a patch may not change metadata.namespace (from %q to %q)", cm.Namespace, om.Namespace))
	}
	return nil
}
