package labels

import (
	"errors"
	"strconv"
)

// ErrNotSelectable is returned by LabelSelectorAsMap for a selector that no map of labels can
// express: NotIn, Exists and DoesNotExist expressions, In with other than one value, or two
// different values required for one key.
var ErrNotSelectable = errors.New("labels: selector cannot be expressed as a map of labels")

// ParseError is the error Parse returns for a selector string it cannot accept. Pos points at
// the token where the problem was found, so a caller can underline it.
type ParseError struct {
	// Input is the selector string as given to Parse.
	Input string
	// Pos is the byte offset in Input of the offending token (len(Input) at the end).
	Pos int
	// Msg says what was found and what was expected, or which rule a key or value breaks.
	Msg string
}

// Error renders the error on one line, e.g.
// `labels: cannot parse selector "a=b,": at position 4: found end of string, expected a key`.
func (e *ParseError) Error() string {
	return "labels: cannot parse selector " + strconv.Quote(e.Input) + ": at position " + strconv.Itoa(e.Pos) + ": " + e.Msg
}
