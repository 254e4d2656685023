package resource

import "errors"

// Errors returned by ParseQuantity, wrapped with the offending input; test with errors.Is.
var (
	// ErrFormatWrong means the string does not have the shape of a quantity at all.
	ErrFormatWrong = errors.New("quantities must match the regular expression '" + quantityRegexp + "'")
	// ErrNumeric means the numeric part could not be read.
	ErrNumeric = errors.New("unable to parse numeric part of quantity")
	// ErrSuffix means the suffix is not one of the known units or exponents.
	ErrSuffix = errors.New("unable to parse quantity's suffix")
	// ErrTooLarge means the value's exponent is beyond what skiff accepts (see the package doc).
	ErrTooLarge = errors.New("quantity is too large")
)

// quantityRegexp is the shape Kubernetes documents for quantities, quoted in ErrFormatWrong.
const quantityRegexp = `^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$`
