package apiserver

import (
	"context"
	"fmt"
	"net/http"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// subresourceScale is the scale subresource of deployments, replica sets and stateful sets.
const subresourceScale = "scale"

// ScaleGVK is the kind of the scale subresource's objects: autoscaling/v1 Scale.
var ScaleGVK = scheme.GroupVersionKind{Group: "autoscaling", Version: "v1", Kind: "Scale"}

// Scale is the autoscaling/v1 Scale object of the scale subresource
// (.../deployments/<name>/scale, and the same for replicasets and statefulsets): the desired
// replicas, which a PUT or PATCH of it changes, and the observed replicas with the selector
// of the pods. Its metadata is the scaled object's name, namespace, uid, resourceVersion and
// creationTimestamp.
type Scale struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the scaled object's identity and resourceVersion.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the desired scale.
	Spec ScaleSpec `json:"spec,omitzero"`
	// Status is the observed scale; it is read-only.
	Status ScaleStatus `json:"status,omitzero"`
}

// ScaleSpec is the desired scale.
type ScaleSpec struct {
	// Replicas is the desired number of pods.
	Replicas int32 `json:"replicas,omitempty"`
}

// ScaleStatus is the observed scale.
type ScaleStatus struct {
	// Replicas is the number of pods the object's status reports.
	Replicas int32 `json:"replicas"`
	// Selector is the object's pod selector in the string syntax (labels.Parse).
	Selector string `json:"selector,omitempty"`
}

var _ meta.Object = (*Scale)(nil)

// DeepCopyObject returns a deep copy of s.
func (s *Scale) DeepCopyObject() meta.Object { return s.DeepCopy() }

// DeepCopy returns a deep copy of s.
func (s *Scale) DeepCopy() *Scale {
	if s == nil {
		return nil
	}
	out := *s
	s.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	return &out
}

// scaleScheme decodes and patches Scale objects. It is private to the server: Scale is not
// a stored kind.
var scaleScheme = func() *scheme.Scheme {
	sch := scheme.New()
	scheme.MustRegister(sch, scheme.Kind[*Scale]{GVK: ScaleGVK, Plural: "scales", Namespaced: true})
	return sch
}()

// scaler reads and writes the replicas of one scalable kind.
type scaler struct {
	// read returns the desired and observed replicas and the selector of obj; ok is false
	// when obj is not of the kind's Go type.
	read func(obj meta.Object) (spec, status int32, sel *meta.LabelSelector, ok bool)
	// set sets the desired replicas of obj, which read accepted.
	set func(obj meta.Object, replicas int32)
}

// scalers are the kinds with a scale subresource.
var scalers = map[scheme.GroupVersionKind]*scaler{
	scheme.DeploymentGVK: {
		read: func(o meta.Object) (int32, int32, *meta.LabelSelector, bool) {
			d, ok := o.(*apps.Deployment)
			if !ok {
				return 0, 0, nil, false
			}
			return deref(d.Spec.Replicas), d.Status.Replicas, d.Spec.Selector, true
		},
		set: func(o meta.Object, n int32) { o.(*apps.Deployment).Spec.Replicas = &n },
	},
	scheme.ReplicaSetGVK: {
		read: func(o meta.Object) (int32, int32, *meta.LabelSelector, bool) {
			rs, ok := o.(*apps.ReplicaSet)
			if !ok {
				return 0, 0, nil, false
			}
			return deref(rs.Spec.Replicas), rs.Status.Replicas, rs.Spec.Selector, true
		},
		set: func(o meta.Object, n int32) { o.(*apps.ReplicaSet).Spec.Replicas = &n },
	},
	scheme.StatefulSetGVK: {
		read: func(o meta.Object) (int32, int32, *meta.LabelSelector, bool) {
			ss, ok := o.(*apps.StatefulSet)
			if !ok {
				return 0, 0, nil, false
			}
			return deref(ss.Spec.Replicas), ss.Status.Replicas, ss.Spec.Selector, true
		},
		set: func(o meta.Object, n int32) { o.(*apps.StatefulSet).Spec.Replicas = &n },
	},
}

func deref(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}

// scaleOf returns the Scale of obj.
func scaleOf(sc *scaler, obj meta.Object) (*Scale, error) {
	spec, status, sel, ok := sc.read(obj)
	if !ok {
		return nil, store.NewInternalError(fmt.Errorf("%w: the scale subresource got %T", client.ErrUnexpectedType, obj))
	}
	selector := ""
	if s, err := labels.FromLabelSelector(sel); err == nil {
		selector = s.String()
	}
	m := obj.GetObjectMeta()
	return &Scale{
		TypeMeta: meta.TypeMeta{APIVersion: ScaleGVK.APIVersion(), Kind: ScaleGVK.Kind},
		ObjectMeta: meta.ObjectMeta{Name: m.Name, Namespace: m.Namespace, UID: m.UID,
			ResourceVersion: m.ResourceVersion, CreationTimestamp: m.CreationTimestamp},
		Spec:   ScaleSpec{Replicas: spec},
		Status: ScaleStatus{Replicas: status, Selector: selector},
	}, nil
}

// serveScale serves GET, PUT and PATCH on a scale subresource.
func (s *Server) serveScale(q *request) {
	sc := scalers[q.info.GVK]
	ctx := q.r.Context()
	var out *Scale
	var err error
	switch q.r.Method {
	case http.MethodGet:
		var obj meta.Object
		if obj, err = s.c.Get(ctx, q.info.GVK, q.rt.namespace, q.rt.name); err == nil {
			out, err = scaleOf(sc, obj)
		}
	case http.MethodPut:
		var want *Scale
		if want, err = s.readScale(q); err == nil {
			out, err = s.updateScale(ctx, q, sc, true, func(*Scale) (*Scale, error) { return want, nil })
		}
	case http.MethodPatch:
		var data []byte
		var pt client.PatchType
		if data, pt, err = s.readPatch(q); err == nil {
			out, err = s.updateScale(ctx, q, sc, false, func(cur *Scale) (*Scale, error) {
				p, err := client.ApplyPatch(scaleScheme, cur, pt, data)
				if err != nil {
					return nil, err
				}
				return p.(*Scale), nil
			})
		}
	default:
		s.writeMethodNotAllowed(q.w, q.r, http.MethodGet, http.MethodPut, http.MethodPatch)
		return
	}
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	writeJSON(q.w, http.StatusOK, out)
}

// readScale reads the Scale body of a PUT: strictly decoded, autoscaling/v1, named as the URL.
func (s *Server) readScale(q *request) (*Scale, error) {
	if err := checkDryRun(q.r.URL.Query()); err != nil {
		return nil, err
	}
	body, err := s.readBody(q)
	if err != nil {
		return nil, err
	}
	j, err := objectJSON(q.r.Header.Get("Content-Type"), body)
	if err != nil {
		return nil, err
	}
	sc := &Scale{}
	if err := scaleScheme.DecodeInto(j, sc); err != nil {
		return nil, store.NewBadRequest(fmt.Sprintf("Scale in version %q cannot be handled as a Scale: %v", ScaleGVK.Version, err))
	}
	if (sc.APIVersion != "" && sc.APIVersion != ScaleGVK.APIVersion()) || (sc.Kind != "" && sc.Kind != ScaleGVK.Kind) {
		return nil, store.NewBadRequest(fmt.Sprintf("the request body is a %s %s, want an %s Scale", sc.APIVersion, sc.Kind, ScaleGVK.APIVersion()))
	}
	if sc.Name != q.rt.name {
		return nil, store.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", sc.Name, q.rt.name))
	}
	if sc.Namespace != "" && sc.Namespace != q.rt.namespace {
		return nil, store.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
	}
	return sc, nil
}

// maxScaleAttempts bounds the retries of a scale write that keeps losing races.
const maxScaleAttempts = 32

// updateScale reads the object, computes the wanted Scale from its current one, and writes
// the wanted replicas with the read resourceVersion. A resourceVersion or uid in the wanted
// Scale is a precondition (Conflict when it does not hold, and no retry); without one, a
// write that loses a race starts over from a fresh read. put says whether the wanted Scale
// came from a PUT body (its resourceVersion is then the caller's) rather than a patch of the
// current one (which carries the current resourceVersion unless the patch changed it).
func (s *Server) updateScale(ctx context.Context, q *request, sc *scaler, put bool, wanted func(cur *Scale) (*Scale, error)) (*Scale, error) {
	gr := q.info.GroupResource()
	var err error
	for range maxScaleAttempts {
		var obj meta.Object
		if obj, err = s.c.Get(ctx, q.info.GVK, q.rt.namespace, q.rt.name); err != nil {
			return nil, err
		}
		var cur, want *Scale
		if cur, err = scaleOf(sc, obj); err != nil {
			return nil, err
		}
		if want, err = wanted(cur.DeepCopy()); err != nil {
			return nil, err
		}
		ownRV := want.ResourceVersion != "" && (put || want.ResourceVersion != cur.ResourceVersion)
		switch {
		case ownRV && want.ResourceVersion != cur.ResourceVersion:
			return nil, store.NewModifiedConflict(gr, q.rt.name)
		case want.UID != "" && want.UID != cur.UID:
			return nil, store.NewConflict(gr, q.rt.name, fmt.Sprintf("Precondition failed: UID in precondition: %s, UID in object meta: %s", want.UID, cur.UID))
		case want.Spec.Replicas < 0:
			return nil, store.NewInvalid(ScaleGVK, q.rt.name, validation.ErrorList{
				validation.Invalid(validation.NewPath("spec", "replicas"), want.Spec.Replicas, "must be greater than or equal to 0")})
		}
		sc.set(obj, want.Spec.Replicas)
		var out meta.Object
		out, err = s.c.Update(ctx, obj, store.UpdateOptions{})
		if err == nil {
			return scaleOf(sc, out)
		}
		if !store.IsConflict(err) || ownRV || ctx.Err() != nil {
			return nil, err
		}
	}
	return nil, err
}
