// Package filter decides which objects a List or Watch selects: namespace, label selector and
// field selector. It is shared by the store backends.
package filter
