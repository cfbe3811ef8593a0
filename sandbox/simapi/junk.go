package simapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Junk is a kind of hostile reply body: what a broken proxy, a buggy source
// release or an attacker might send with status 200. Junk replaces the body
// of a successful GET reply (never a token reply or an error reply); which
// replies get junk, and which kind, is decided like the other faults (see
// Faults.Decide and Faults.DecideJunk).
//
// Ids are members named "id" or ending in "Id" or "ID". Only JunkMissingIDs
// touches them: the other kinds keep every id as it is, so the records a
// client could still key are the records the sandbox has.
type Junk int

// Junk kinds.
const (
	// JunkNotJSON replaces the body with an HTML error page (Content-Type text/html).
	JunkNotJSON Junk = iota + 1
	// JunkWrongTypes replaces every string value that is not an id with a
	// number (a number where a string is expected).
	JunkWrongTypes
	// JunkMissingIDs removes every id member, at every depth (missing
	// required fields).
	JunkMissingIDs
	// JunkHugeString makes the first string value two or more levels deep
	// that is not an id HugeStringSize bytes long (FaultConfig.HugeString) (in a page: inside its
	// first record; in a detail: in its first nested value), or adds one
	// when there is none.
	JunkHugeString
	// JunkDeepNesting replaces the first array or object below the top
	// level (a page's records, a detail's first nested value) with arrays
	// nested DeepNesting levels deep (or adds such a value when there is
	// none): valid JSON syntax that no sane decoder accepts.
	JunkDeepNesting
)

// AllJunk lists every junk kind, in order.
var AllJunk = []Junk{JunkNotJSON, JunkWrongTypes, JunkMissingIDs, JunkHugeString, JunkDeepNesting}

// Sizes of the junk that grows a body.
const (
	HugeStringSize = 9 << 20 // bytes of a JunkHugeString string (more than a record may hold, less than a body may)
	DeepNesting    = 100_000 // levels of a JunkDeepNesting value (encoding/json stops at 10,000)
)

var junkNames = [...]string{
	JunkNotJSON:     "not-json",
	JunkWrongTypes:  "wrong-types",
	JunkMissingIDs:  "missing-ids",
	JunkHugeString:  "huge-string",
	JunkDeepNesting: "deep-nesting",
}

// String returns the kind's name ("not-json", "wrong-types", ...).
func (j Junk) String() string {
	if j > 0 && int(j) < len(junkNames) {
		return junkNames[j]
	}
	return "junk(" + strconv.Itoa(int(j)) + ")"
}

// ErrJunkKind reports an unknown junk kind name.
var ErrJunkKind = errors.New("unknown junk kind")

// ParseJunk reads a comma-separated list of junk kind names ("" or "all":
// every kind).
func ParseJunk(s string) ([]Junk, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "all" {
		return append([]Junk(nil), AllJunk...), nil
	}
	var out []Junk
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		found := false
		for _, j := range AllJunk {
			if j.String() == name {
				out, found = append(out, j), true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("%w %q (known: %s)", ErrJunkKind, name, junkList())
		}
	}
	return out, nil
}

func junkList() string {
	names := make([]string, len(AllJunk))
	for i, j := range AllJunk {
		names[i] = j.String()
	}
	return strings.Join(names, ", ")
}

// notJSONBody is the body of JunkNotJSON.
const notJSONBody = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>Bad Gateway</h1><p>The upstream server returned an invalid response.</p></body></html>
`

// MakeJunk returns the junk of the given kind made from a JSON reply body,
// the Content-Type to send with it and the kind actually applied: a body
// that is not JSON, or one the kind would leave unchanged (missing-ids of a
// body without ids, wrong-types of one without strings), gets JunkNotJSON.
// seed varies the numbers of JunkWrongTypes; hugeSize is the length of the
// JunkHugeString string (<= 0: HugeStringSize).
func MakeJunk(kind Junk, body []byte, seed uint64, hugeSize int) (junk []byte, contentType string, applied Junk) {
	notJSON := func() ([]byte, string, Junk) {
		return []byte(notJSONBody), "text/html; charset=utf-8", JunkNotJSON
	}
	if kind == JunkNotJSON || !json.Valid(body) {
		return notJSON()
	}
	if hugeSize <= 0 {
		hugeSize = HugeStringSize
	}
	m := &mutator{kind: kind, seed: seed, huge: hugeSize, dec: json.NewDecoder(bytes.NewReader(body))}
	m.dec.UseNumber()
	m.out.Grow(len(body) + 64)
	if err := m.value("", 0); err != nil {
		return notJSON() // valid JSON always walks; keep the sandbox serving if it did not
	}
	out := m.out.Bytes()
	if !m.done {
		switch kind {
		case JunkHugeString:
			out = inject(out, []byte(`"`+strings.Repeat("x", hugeSize)+`"`))
		case JunkDeepNesting:
			out = inject(out, deepJunk())
		}
	}
	if bytes.Equal(out, bytes.TrimSpace(body)) {
		return notJSON()
	}
	return out, "application/json", kind
}

// inject adds v to a body that had no place for it: as the first member
// "junk" of an object, the first element of an array, or instead of a
// scalar.
func inject(body, v []byte) []byte {
	var b bytes.Buffer
	switch {
	case len(body) > 0 && body[0] == '{':
		b.WriteString(`{"junk":`)
		b.Write(v)
		if len(body) > 2 {
			b.WriteByte(',')
		}
		b.Write(body[1:])
	case len(body) > 0 && body[0] == '[':
		b.WriteByte('[')
		b.Write(v)
		if len(body) > 2 {
			b.WriteByte(',')
		}
		b.Write(body[1:])
	default:
		b.Write(v)
	}
	return b.Bytes()
}

// isID reports whether a member name names an id.
func isID(key string) bool {
	return key == "id" || strings.HasSuffix(key, "Id") || strings.HasSuffix(key, "ID")
}

func deepJunk() []byte {
	b := make([]byte, 0, 2*DeepNesting)
	b = append(b, bytes.Repeat([]byte{'['}, DeepNesting)...)
	return append(b, bytes.Repeat([]byte{']'}, DeepNesting)...)
}

// mutator rewrites a JSON value token by token.
type mutator struct {
	kind Junk
	seed uint64
	huge int // length of the JunkHugeString string
	dec  *json.Decoder
	out  bytes.Buffer
	n    uint64 // numbers written by JunkWrongTypes
	done bool   // the one-off change (huge string, deep nesting) was made
}

// value copies the next value; key is the member name it belongs to (the
// enclosing member's for array elements), depth its nesting (0 = top).
func (m *mutator) value(key string, depth int) error {
	tok, err := m.dec.Token()
	if err != nil {
		return err
	}
	return m.valueFrom(tok, key, depth)
}

func (m *mutator) valueFrom(tok json.Token, key string, depth int) error {
	switch v := tok.(type) {
	case json.Delim:
		if m.kind == JunkDeepNesting && !m.done && depth >= 1 {
			m.done = true
			m.out.Write(deepJunk())
			return m.skipRest(v)
		}
		if v == '{' {
			return m.object(depth + 1)
		}
		return m.array(key, depth+1)
	case string:
		switch {
		case m.kind == JunkWrongTypes && !isID(key):
			m.n++
			m.out.WriteString(strconv.FormatUint(mix64(m.seed+m.n)%1_000_000, 10))
		case m.kind == JunkHugeString && !m.done && depth >= 2 && !isID(key):
			m.done = true
			m.out.WriteByte('"')
			m.out.WriteString(strings.Repeat("x", m.huge))
			m.out.WriteByte('"')
		default:
			writeString(&m.out, v)
		}
	case json.Number:
		m.out.WriteString(v.String())
	case bool:
		m.out.WriteString(strconv.FormatBool(v))
	case nil:
		m.out.WriteString("null")
	}
	return nil
}

func (m *mutator) object(depth int) error {
	m.out.WriteByte('{')
	first := true
	for m.dec.More() {
		tok, err := m.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if m.kind == JunkMissingIDs && isID(key) {
			if err := m.skipValue(); err != nil {
				return err
			}
			continue
		}
		if !first {
			m.out.WriteByte(',')
		}
		first = false
		writeString(&m.out, key)
		m.out.WriteByte(':')
		if err := m.value(key, depth); err != nil {
			return err
		}
	}
	if _, err := m.dec.Token(); err != nil { // '}'
		return err
	}
	m.out.WriteByte('}')
	return nil
}

func (m *mutator) array(key string, depth int) error {
	m.out.WriteByte('[')
	first := true
	for m.dec.More() {
		if !first {
			m.out.WriteByte(',')
		}
		first = false
		if err := m.value(key, depth); err != nil {
			return err
		}
	}
	if _, err := m.dec.Token(); err != nil { // ']'
		return err
	}
	m.out.WriteByte(']')
	return nil
}

// skipValue consumes the next value without writing it.
func (m *mutator) skipValue() error {
	tok, err := m.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok {
		return m.skipRest(d)
	}
	return nil
}

// skipRest consumes the rest of a container whose opening delimiter was read.
func (m *mutator) skipRest(open json.Delim) error {
	if open != '{' && open != '[' {
		return nil
	}
	for level := 1; level > 0; {
		tok, err := m.dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				level++
			default:
				level--
			}
		}
	}
	return nil
}

// writeString writes s as a JSON string without HTML escaping.
func writeString(b *bytes.Buffer, s string) {
	q, err := Marshal(s)
	if err != nil {
		q = []byte(`""`)
	}
	b.Write(q)
}
