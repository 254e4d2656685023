// Package labels selects objects by their labels: it parses selector strings
// ("app=web,tier in (fe,be),!canary"), converts API LabelSelectors, matches label sets and
// validates selectors, with the semantics of ../shared/spec/objects.md §3.
//
// # Basics
//
// A Selector is a list of Requirements that must all hold. Build one with Parse (the string
// syntax of kubectl -l and the labelSelector API parameter), FromLabelSelector (the
// selector field of a Deployment, ReplicaSet, Job, ...), SelectorFromSet (exact labels), or
// Everything/Nothing, and grow it with Add. Match it against a Set (or anything implementing
// Labels) with Matches:
//
//	sel, err := labels.Parse("app=web,tier in (backend,frontend)")
//	if err != nil { ... }
//	if sel.Matches(labels.Set(pod.Labels)) { ... }
//
// Selectors and Requirements are immutable values, safe to share between goroutines and to
// keep in caches. Matches does not allocate: the store and the informer caches call it once
// per object on every List and every watch event. RequiresExactMatch lets a cache answer
// "app=web" from an index instead of scanning.
//
// String is canonical — requirements sorted by key (keeping their order for the same key),
// set values sorted without duplicates — and Parse(sel.String()) gives back an equal
// selector, so the string can be used as a cache key or sent to a server.
//
// # Semantics worth knowing
//
//   - A nil *meta.LabelSelector matches nothing; an empty one ({}) matches everything.
//   - != and notin match objects that do not have the label at all; > and < never do.
//   - "key=" and "key in ()" require the label with the empty value.
//   - Keys and values are checked with the label rules of api/validation when a selector is
//     parsed or built with NewRequirement or FromLabelSelector; SelectorFromSet trusts its
//     input.
//
// # Differences from Kubernetes, on purpose
//
//   - Nothing().String() is "<nothing>", which Parse rejects, instead of "" (which parses to
//     Everything): a "match nothing" selector sent to a server as a string fails loudly rather
//     than listing everything. FormatLabelSelector still prints "<none>" for a nil selector,
//     as kubectl does.
//   - Sorting is stable, so the String of a selector with several requirements on one key is
//     deterministic; the values of in and notin are kept sorted and unique from construction,
//     not only when printed.
//   - RequiresExactMatch looks at every requirement on the key, so "a!=x,a=y" still reports y.
//   - NewRequirement returns a Requirement value, not a pointer, and the error of a bad
//     selector is a *ParseError with the byte position of the offending token.
//   - LabelSelectorAsMap rejects a selector that requires two different values for one key
//     instead of silently keeping one of them.
//   - A NUL byte in a selector string is an ordinary (invalid) character, not the end of input.
//   - There is no map-backed ValidatedSetSelector: a key-sorted list of requirements matches
//     faster than ranging over a map, so SelectorFromSet and SelectorFromValidatedSet both
//     build one.
package labels
