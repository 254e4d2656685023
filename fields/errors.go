package fields

import "strconv"

// ParseError is the error ParseSelector returns for a selector string it cannot accept. Pos
// points at the problem, so a caller can underline it.
type ParseError struct {
	// Input is the selector string as given to ParseSelector.
	Input string
	// Pos is the byte offset in Input where the problem was found.
	Pos int
	// Msg says what is wrong.
	Msg string
}

// Error renders the error on one line, e.g.
// `fields: cannot parse selector "a=b,c": at position 4: term "c" has no operator ...`.
func (e *ParseError) Error() string {
	return "fields: cannot parse selector " + strconv.Quote(e.Input) + ": at position " + strconv.Itoa(e.Pos) + ": " + e.Msg
}
