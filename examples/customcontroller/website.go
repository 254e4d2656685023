package main

import (
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/scheme"
)

// WebsiteGVK names the Website kind: apiVersion example.skiff.dev/v1, kind Website.
var WebsiteGVK = scheme.GroupVersionKind{Group: "example.skiff.dev", Version: "v1", Kind: "Website"}

// Website is a user-defined kind: a site served by a Deployment of its image. Its
// controller (WebsiteReconciler) owns that Deployment and reports on it in the status.
type Website struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is what the user wants.
	Spec WebsiteSpec `json:"spec"`
	// Status is what the controller observed.
	Status WebsiteStatus `json:"status,omitzero"`
}

// WebsiteSpec is the desired state of a Website.
type WebsiteSpec struct {
	// Image is the container image serving the site. Required.
	Image string `json:"image"`
	// Replicas is how many pods serve it. Default 1.
	Replicas *int32 `json:"replicas,omitempty"`
}

// WebsiteStatus is the observed state of a Website.
type WebsiteStatus struct {
	// ObservedGeneration is the generation of the spec the status describes.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Deployment is the name of the Deployment serving the site.
	Deployment string `json:"deployment,omitempty"`
	// ReadyReplicas is the number of ready pods of the Deployment.
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`
	// Conditions: Ready (all replicas ready) and, when the controller cannot do its job,
	// the reason why.
	Conditions []meta.Condition `json:"conditions,omitempty"`
}

// ConditionReady is the condition type saying all replicas are ready.
const ConditionReady = "Ready"

// DeepCopyObject returns a deep copy (what deepcopy-gen would generate).
func (w *Website) DeepCopyObject() meta.Object {
	out := *w
	out.ObjectMeta = *w.ObjectMeta.DeepCopy()
	if w.Spec.Replicas != nil {
		r := *w.Spec.Replicas
		out.Spec.Replicas = &r
	}
	if w.Status.Conditions != nil {
		out.Status.Conditions = append([]meta.Condition(nil), w.Status.Conditions...)
	}
	return &out
}

// AddToScheme registers Website on s: namespaced, with a status subresource, defaulting
// and validation.
func AddToScheme(s *scheme.Scheme) error {
	return scheme.Register(s, scheme.Kind[*Website]{
		GVK:        WebsiteGVK,
		Plural:     "websites",
		ShortNames: []string{"ws"},
		Namespaced: true,
		HasStatus:  true,
		Default:    defaultWebsite,
		Validate:   validateWebsite,
	})
}

func defaultWebsite(w *Website) {
	if w.Spec.Replicas == nil {
		one := int32(1)
		w.Spec.Replicas = &one
	}
}

func validateWebsite(w *Website) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&w.ObjectMeta, true, validation.NameIsDNSLabel, validation.NewPath("metadata"))
	spec := validation.NewPath("spec")
	if w.Spec.Image == "" {
		errs = append(errs, validation.Required(spec.Child("image"), ""))
	}
	if r := w.Spec.Replicas; r != nil {
		errs = append(errs, validation.ValidateNonnegative(*r, spec.Child("replicas"))...)
	}
	return errs
}
