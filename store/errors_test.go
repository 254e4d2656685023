package store_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

var deployments = scheme.GroupResource{Group: "apps", Resource: "deployments"}

func TestMessagesAndHelpers(t *testing.T) {
	errs := validation.ErrorList{validation.Invalid(validation.NewPath("spec", "replicas"), -1, "must be greater than or equal to 0")}
	tests := []struct {
		err    error
		msg    string
		code   int32
		is     func(error) bool
		reason store.Reason
	}{
		{store.NewNotFound(deployments, "web"), `deployments.apps "web" not found`, 404, store.IsNotFound, store.ReasonNotFound},
		{store.NewNotFound(scheme.GroupResource{Resource: "pods"}, "p"), `pods "p" not found`, 404, store.IsNotFound, store.ReasonNotFound},
		{store.NewAlreadyExists(deployments, "web"), `deployments.apps "web" already exists`, 409, store.IsAlreadyExists, store.ReasonAlreadyExists},
		{store.NewModifiedConflict(deployments, "web"), `Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again`, 409, store.IsConflict, store.ReasonConflict},
		{store.NewInvalid(scheme.DeploymentGVK, "web", errs), `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`, 422, store.IsInvalid, store.ReasonInvalid},
		{store.NewInvalid(scheme.PodGVK, "p", errs), `Pod "p" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`, 422, store.IsInvalid, store.ReasonInvalid},
		{store.NewTooOldResourceVersion(5, 10), `too old resource version: 5 (10)`, 410, store.IsGone, store.ReasonExpired},
		{store.NewForbidden(deployments, "web", "no"), `deployments.apps "web" is forbidden: no`, 403, store.IsForbidden, store.ReasonForbidden},
		{store.NewBadRequest("bad"), "bad", 400, store.IsBadRequest, store.ReasonBadRequest},
		{store.NewTooLargeResourceVersion(20, 10), "Too large resource version: 20, current: 10", 504, store.IsTooLargeResourceVersion, store.ReasonTimeout},
		{store.NewServerTimeout(deployments, "web", "update"), "The update operation against deployments.apps could not be completed at this time, please try again.", 500, store.IsTimeout, store.ReasonServerTimeout},
		{store.NewTooManyRequests("slow down", 2), "slow down", 429, store.IsTooManyRequests, store.ReasonTooManyRequests},
		{store.NewInternalError(errors.New("disk on fire")), "Internal error occurred: disk on fire", 500, store.IsInternalError, store.ReasonInternalError},
		{store.ErrClosed, "store: closed", 503, store.IsUnavailable, store.ReasonServiceUnavailable},
	}
	for _, tc := range tests {
		t.Run(string(tc.reason), func(t *testing.T) {
			if tc.err.Error() != tc.msg {
				t.Errorf("message %q, want %q", tc.err, tc.msg)
			}
			wrapped := fmt.Errorf("while syncing: %w", tc.err)
			if !tc.is(wrapped) {
				t.Error("Is helper does not see through wrapping")
			}
			if got := store.ReasonOf(wrapped); got != tc.reason {
				t.Errorf("ReasonOf = %q", got)
			}
			st := tc.err.(*store.StatusError).Status()
			if st.Code != tc.code || st.Reason != string(tc.reason) || st.Message != tc.msg || st.Status != "Failure" || st.Kind != "Status" {
				t.Errorf("Status() = %+v", st)
			}
		})
	}
	if store.IsNotFound(store.NewAlreadyExists(deployments, "web")) || store.IsNotFound(errors.New("x")) || store.IsNotFound(nil) {
		t.Error("IsNotFound matches other errors")
	}
}

func TestInvalidCarriesFieldErrors(t *testing.T) {
	errs := validation.ErrorList{
		validation.Required(validation.NewPath("spec", "selector"), ""),
		validation.Invalid(validation.NewPath("spec", "replicas"), -1, "must be greater than or equal to 0"),
	}
	err := fmt.Errorf("wrapped: %w", store.NewInvalid(scheme.DeploymentGVK, "web", errs))
	got := store.FieldErrors(err)
	if len(got) != 2 || got[0].Field != "spec.selector" || got[1].Field != "spec.replicas" {
		t.Fatalf("FieldErrors = %v", got)
	}
	var se *store.StatusError
	errors.As(err, &se)
	st := se.Status()
	if st.Details == nil || st.Details.Kind != "Deployment" || st.Details.Group != "apps" || st.Details.Name != "web" || len(st.Details.Causes) != 2 ||
		st.Details.Causes[1].Field != "spec.replicas" || st.Details.Causes[0].Type != "FieldValueRequired" {
		t.Fatalf("Details = %+v", st.Details)
	}
	if store.FieldErrors(store.NewNotFound(deployments, "x")) != nil {
		t.Fatal("FieldErrors of a NotFound")
	}
}

func TestIsRetryable(t *testing.T) {
	for _, err := range []error{store.NewModifiedConflict(deployments, "a"), store.NewServerTimeout(deployments, "a", "create"), store.NewTooManyRequests("x", 1), store.NewInternalError(errors.New("x"))} {
		if !store.IsRetryable(err) {
			t.Errorf("%v not retryable", err)
		}
	}
	for _, err := range []error{store.ErrClosed, store.NewNotFound(deployments, "a"), store.NewInvalid(scheme.PodGVK, "p", nil), errors.New("x")} {
		if store.IsRetryable(err) {
			t.Errorf("%v retryable", err)
		}
	}
}

func TestResourceVersions(t *testing.T) {
	for rv, want := range map[string]uint64{"": 0, "0": 0, "17": 17, "18446744073709551615": 1<<64 - 1} {
		if got, err := store.ParseResourceVersion(rv); err != nil || got != want {
			t.Errorf("ParseResourceVersion(%q) = %d, %v", rv, got, err)
		}
	}
	for _, rv := range []string{"abc", "-1", "1.5", " 1"} {
		if _, err := store.ParseResourceVersion(rv); !store.IsBadRequest(err) {
			t.Errorf("ParseResourceVersion(%q): %v, want BadRequest", rv, err)
		}
	}
	if store.FormatResourceVersion(42) != "42" {
		t.Fatal("FormatResourceVersion")
	}
}
