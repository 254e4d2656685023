// Package fields selects objects by the values of a few of their fields — metadata.name,
// metadata.namespace, spec.nodeName, status.phase and the like — as kubectl's --field-selector
// and the API's fieldSelector parameter do. The kubelet, for instance, watches only the pods
// with spec.nodeName=<its node>.
//
// # Basics
//
// A Selector is a list of Requirements (field=value or field!=value) that must all hold. Build
// one with ParseSelector, OneTermEqualSelector, SelectorFromSet or AndSelectors, and match it
// against the fields of an object (a Set, or anything implementing Fields):
//
//	sel, err := fields.ParseSelector("spec.nodeName=node-1,status.phase!=Succeeded")
//	if err != nil { ... }
//	if sel.Matches(fields.Set{"spec.nodeName": pod.Spec.NodeName, "status.phase": string(pod.Status.Phase)}) { ... }
//
// Which fields a kind supports is decided by whoever builds its field Set, not here.
// Selectors are immutable and safe to share; Matches does not allocate. String is canonical
// (terms sorted, "==" written "=", values escaped), and ParseSelector(sel.String()) gives back
// an equal selector.
//
// Values may contain any character; ',', '=' and '\' are escaped with a backslash
// (EscapeValue, UnescapeValue). A field an object does not have reads as the empty string.
//
// # Differences from Kubernetes, on purpose
//
//   - White space around field names and values is ignored ("a=b, c = d" means what it
//     looks like), where Kubernetes keeps it and then fails to find the field " c".
//   - A field name must be non-empty and free of white space, ',', '=', '!' and '\'; Kubernetes
//     accepts "=x" (the field "") and "a!b=c".
//   - Terms are sorted by field, operator and value, not as raw strings, and "==" is shown as
//     "=", so equal selectors have equal strings.
//   - Errors are *ParseError with the byte position of the problem.
//   - There is no Transform or ParseSelectorOrDie; AndSelectors and Requirements cover their
//     uses here.
package fields
