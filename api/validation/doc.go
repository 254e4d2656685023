// Package validation holds the building blocks every kind's validation uses: field paths, field
// errors with Kubernetes' wording ("spec.replicas: Invalid value: -1: must be greater than or
// equal to 0"), and the name rules of ../shared/spec/objects.md §1 (DNS-1123 labels and
// subdomains, DNS-1035 labels, qualified names, label values).
//
// It plays the part of k8s.io/apimachinery's util/validation and util/validation/field in one
// small package. Messages follow Kubernetes' closely so that users see familiar errors.
package validation
