package transform

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// JSON text rules of the model: compact, keys of objects atslake builds sorted
// (byte order), no HTML escaping. Source objects embedded as received are only
// compacted (their key order and string escapes are kept).

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string literal, escaped exactly as
// encoding/json does with SetEscapeHTML(false): '"', '\\' and control
// characters escaped, U+2028/U+2029 escaped, invalid UTF-8 replaced by U+FFFD.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendCompactJSON appends src with insignificant white space removed (like
// json.Compact, without HTML escaping). src must be valid JSON, e.g. a
// json.RawMessage from a successful decode; it is not validated again.
func AppendCompactJSON(dst, src []byte) []byte {
	inString, escaped := false, false
	start := 0
	for i := 0; i < len(src); i++ {
		c := src[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case ' ', '\t', '\n', '\r':
			dst = append(dst, src[start:i]...)
			start = i + 1
		}
	}
	return append(dst, src[start:]...)
}

// IsNullJSON reports whether raw is absent (empty) or the JSON literal null.
func IsNullJSON(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// JSONStringValue returns the string a JSON string literal holds, or ok=false
// when raw is not a JSON string.
func JSONStringValue(raw []byte) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	if bytes.IndexByte(raw[1:len(raw)-1], '\\') < 0 {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false
	}
	return s, true
}

// MarshalJSON encodes v compactly without HTML escaping (map keys sorted by
// encoding/json; struct fields in declaration order). For cold paths; hot paths
// use Object and the Append functions.
func MarshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// Object builds a JSON object whose keys are sorted by byte order when it is
// written. A key set twice keeps its first value. The zero value is ready to
// use; Reset it to reuse its buffers. Keys are kept by reference: they must
// stay unchanged until AppendTo.
type Object struct {
	members []member
	buf     []byte // values, back to back
}

type member struct {
	key        string
	start, end int
}

// Reset empties o, keeping its buffers.
func (o *Object) Reset() {
	o.members = o.members[:0]
	o.buf = o.buf[:0]
}

// Len returns the number of members set.
func (o *Object) Len() int { return len(o.members) }

func (o *Object) add(key string, start int) {
	o.members = append(o.members, member{key: key, start: start, end: len(o.buf)})
}

// String sets key to the JSON string s.
func (o *Object) String(key, s string) {
	start := len(o.buf)
	o.buf = AppendJSONString(o.buf, s)
	o.add(key, start)
}

// Raw sets key to the JSON value raw (compacted; valid JSON required). An empty
// raw is written as null.
func (o *Object) Raw(key string, raw []byte) {
	start := len(o.buf)
	if len(raw) == 0 {
		o.buf = append(o.buf, "null"...)
	} else {
		o.buf = AppendCompactJSON(o.buf, raw)
	}
	o.add(key, start)
}

// RawIfPresent sets key to raw unless raw is absent or null (for remote_data
// parts that a document may lack).
func (o *Object) RawIfPresent(key string, raw []byte) {
	if !IsNullJSON(raw) {
		o.Raw(key, raw)
	}
}

// Null sets key to null.
func (o *Object) Null(key string) { o.Raw(key, nil) }

// Bool sets key to a JSON boolean.
func (o *Object) Bool(key string, v bool) {
	start := len(o.buf)
	o.buf = strconv.AppendBool(o.buf, v)
	o.add(key, start)
}

// Int sets key to a JSON integer.
func (o *Object) Int(key string, v int64) {
	start := len(o.buf)
	o.buf = strconv.AppendInt(o.buf, v, 10)
	o.add(key, start)
}

// StringArray sets key to a JSON array of strings.
func (o *Object) StringArray(key string, vs []string) {
	start := len(o.buf)
	o.buf = append(o.buf, '[')
	for i, v := range vs {
		if i > 0 {
			o.buf = append(o.buf, ',')
		}
		o.buf = AppendJSONString(o.buf, v)
	}
	o.buf = append(o.buf, ']')
	o.add(key, start)
}

// AppendTo appends the object, keys sorted, to dst.
func (o *Object) AppendTo(dst []byte) []byte {
	slices.SortStableFunc(o.members, func(a, b member) int { return strings.Compare(a.key, b.key) })
	dst = append(dst, '{')
	for i, m := range o.members {
		if i > 0 && m.key == o.members[i-1].key {
			continue
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendJSONString(dst, m.key)
		dst = append(dst, ':')
		dst = append(dst, o.buf[m.start:m.end]...)
	}
	return append(dst, '}')
}

// ParseFloatJSON reads a JSON number (or a JSON string holding one) as a float.
func ParseFloatJSON(raw []byte) (float64, bool) {
	if IsNullJSON(raw) {
		return 0, false
	}
	s := string(raw)
	if v, ok := JSONStringValue(raw); ok {
		s = v
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

// RemotePart is one source object a row was built from: the endpoint path
// template it came from (the remote_data key) and the object as received.
type RemotePart struct {
	Path string
	Raw  []byte
}

// AppendRemoteData appends a row's remote_data to dst: a JSON object keyed by
// the parts' path templates (sorted), each value the part as received,
// compacted. Absent or null parts are left out; ok=false (dst unchanged, the
// column is NULL) when every part is. A path given twice keeps its first part.
func AppendRemoteData(dst []byte, parts ...RemotePart) (out []byte, ok bool) {
	var order [8]int // insertion-sorted indexes of the present parts
	idx := order[:0]
	for i := range parts {
		if IsNullJSON(parts[i].Raw) {
			continue
		}
		j := len(idx)
		idx = append(idx, i)
		for j > 0 && parts[idx[j-1]].Path > parts[i].Path {
			idx[j] = idx[j-1]
			j--
		}
		idx[j] = i
	}
	if len(idx) == 0 {
		return dst, false
	}
	dst = append(dst, '{')
	for k, i := range idx {
		if k > 0 && parts[i].Path == parts[idx[k-1]].Path {
			continue
		}
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = AppendJSONString(dst, parts[i].Path)
		dst = append(dst, ':')
		dst = AppendCompactJSON(dst, parts[i].Raw)
	}
	return append(dst, '}'), true
}
