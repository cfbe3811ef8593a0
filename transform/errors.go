package transform

import "errors"

// Sentinel errors for records a mapper reports to a Skipper (checked with errors.Is).
var (
	// ErrMalformed: a document's body (or one of its parts) is not the JSON expected.
	ErrMalformed = errors.New("malformed document")
	// ErrMissingKey: a document or item lacks a key the mapping needs (e.g. a job without id).
	ErrMissingKey = errors.New("missing required key")
	// ErrUnknownKind: a document kind the mapper does not know.
	ErrUnknownKind = errors.New("unknown document kind")
)
