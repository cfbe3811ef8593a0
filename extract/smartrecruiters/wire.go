package smartrecruiters

// Parsers of source bytes. Bodies are kept exactly as received; these
// functions only check their shape and pull out the few fields the extractor
// needs to make further calls. Every failure wraps extract.ErrMalformed.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/atslake/atslake/extract"
)

// malformed returns an error wrapping extract.ErrMalformed.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", extract.ErrMalformed, fmt.Sprintf(format, args...))
}

// firstByte returns the first non-space byte of a JSON value (0 when none).
func firstByte(raw []byte) byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// checkObject reports whether raw is a JSON object.
func checkObject(raw []byte) error {
	if firstByte(raw) != '{' || !json.Valid(raw) {
		return malformed("not a JSON object")
	}
	return nil
}

// checkRecord returns a check that raw is a JSON object whose "id" is id: a
// detail reply about another record, or about none (a proxy's or cache's
// mix-up, a reply missing its fields), must not be mapped as this record.
func checkRecord(id string) func([]byte) error {
	return func(raw []byte) error {
		got, err := idField(raw, "id")
		if err != nil {
			return err
		}
		if got != id {
			return malformed("the reply is about %q, not %q", got, id)
		}
		return nil
	}
}

// checkArray reports whether raw is a JSON array.
func checkArray(raw []byte) error {
	if firstByte(raw) != '[' || !json.Valid(raw) {
		return malformed("not a JSON array")
	}
	return nil
}

// checkContentObject reports whether raw is a JSON object whose "content",
// when present, is an array (an absent content reads as empty downstream).
func checkContentObject(raw []byte) error {
	var m map[string]json.RawMessage
	if firstByte(raw) != '{' || json.Unmarshal(raw, &m) != nil {
		return malformed("not a JSON object")
	}
	if c, ok := m["content"]; ok && firstByte(c) != '[' {
		return malformed(`"content" is not an array`)
	}
	return nil
}

// scalarID reads a JSON string (non-empty) or number as an id.
func scalarID(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	switch c := firstByte(raw); {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) != nil || s == "" {
			return "", false
		}
		return s, true
	case c == '-' || (c >= '0' && c <= '9'):
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return "", false
		}
		if _, err := strconv.ParseFloat(n.String(), 64); err != nil {
			return "", false
		}
		return n.String(), true
	}
	return "", false
}

// field returns the named member of a JSON object.
func field(raw []byte, name string) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if firstByte(raw) != '{' || json.Unmarshal(raw, &m) != nil {
		return nil, malformed("not a JSON object")
	}
	v, ok := m[name]
	if !ok {
		return nil, malformed("no %q", name)
	}
	return v, nil
}

// idField reads the named id member (string or number) of a JSON object.
func idField(raw []byte, name string) (string, error) {
	v, err := field(raw, name)
	if err != nil {
		return "", err
	}
	id, ok := scalarID(v)
	if !ok {
		return "", malformed("%q is not an id", name)
	}
	return id, nil
}

// itemID reads the "id" of a list item.
func itemID(raw []byte) (string, error) { return idField(raw, "id") }

// candidateJobs returns the job ids of a C2 reply's assignments: the primary
// assignment first, then the secondary ones in order; a job named twice is
// kept at its first place.
func candidateJobs(raw []byte) ([]string, error) {
	var m map[string]json.RawMessage
	if firstByte(raw) != '{' || json.Unmarshal(raw, &m) != nil {
		return nil, malformed("not a JSON object")
	}
	var assignments []json.RawMessage
	if p, ok := m[assumedPrimaryAssignmentField]; ok && !isNull(p) {
		assignments = append(assignments, p)
	}
	if s, ok := m[assumedSecondaryAssignmentsField]; ok && !isNull(s) {
		var list []json.RawMessage
		if json.Unmarshal(s, &list) != nil {
			return nil, malformed("%q is not an array", assumedSecondaryAssignmentsField)
		}
		assignments = append(assignments, list...)
	}
	jobs := make([]string, 0, len(assignments))
	seen := make(map[string]bool, len(assignments))
	for i, a := range assignments {
		job, err := field(a, "job")
		if err != nil {
			return nil, malformed("assignment %d: %v", i+1, err)
		}
		id, err := idField(job, "id")
		if err != nil {
			return nil, malformed("assignment %d job: %v", i+1, err)
		}
		if !seen[id] {
			seen[id] = true
			jobs = append(jobs, id)
		}
	}
	return jobs, nil
}

// isNull reports whether a JSON value is null.
func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// part is one member of a document body: a key and a raw JSON value.
type part struct {
	key string
	raw []byte
}

// docBody assembles {"<key>": <raw>, ...} in the order given.
func docBody(parts ...part) []byte {
	n := 2
	for _, p := range parts {
		n += len(p.key) + len(p.raw) + 8
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, p := range parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, p.key)
		b = append(b, ':')
		b = append(b, p.raw...)
	}
	return append(b, '}')
}

// appendString appends s as a JSON string.
func appendString(b []byte, s string) []byte {
	q, _ := json.Marshal(s) // a string always marshals
	return append(b, q...)
}

// jsonString returns s as a JSON string value.
func jsonString(s string) []byte { return appendString(nil, s) }
