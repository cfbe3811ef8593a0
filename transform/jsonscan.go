package transform

import (
	"bytes"
	"encoding/json"
)

// A tiny JSON span scanner: it finds the raw bytes of object members and
// array elements without decoding or allocating, so a mapper can decode a
// document once into typed structs and still embed parts of it as received
// (remote_data). Input that is not well-formed yields ok=false or nil; the
// scanner never panics and always terminates.

func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the string literal starting at b[i] == '"', or -1.
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the index after the JSON value starting at b[i], or -1.
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = skipString(b, j)
				if j < 0 {
					return -1
				}
				j--
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	default:
		j := i
		for j < len(b) {
			switch b[j] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				if j == i {
					return -1
				}
				return j
			}
			j++
		}
		if j == i {
			return -1
		}
		return j
	}
}

// EachMember calls fn with the raw key (without quotes, escapes not decoded)
// and the raw value of every member of the JSON object obj, in order, until fn
// returns false. It reports false when obj is not a well-formed object.
func EachMember(obj []byte, fn func(key, value []byte) bool) bool {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return false
	}
	i = skipSpace(obj, i+1)
	if i < len(obj) && obj[i] == '}' {
		return true
	}
	for i < len(obj) {
		if obj[i] != '"' {
			return false
		}
		end := skipString(obj, i)
		if end < 0 {
			return false
		}
		key := obj[i+1 : end-1]
		i = skipSpace(obj, end)
		if i >= len(obj) || obj[i] != ':' {
			return false
		}
		i = skipSpace(obj, i+1)
		vend := skipValue(obj, i)
		if vend < 0 {
			return false
		}
		if !fn(key, obj[i:vend]) {
			return true
		}
		i = skipSpace(obj, vend)
		if i >= len(obj) {
			return false
		}
		switch obj[i] {
		case ',':
			i = skipSpace(obj, i+1)
		case '}':
			return true
		default:
			return false
		}
	}
	return false
}

// Member returns the raw value of the member key of the JSON object obj (the
// last one when the key repeats, as encoding/json decodes), or nil.
func Member(obj []byte, key string) []byte {
	var out []byte
	EachMember(obj, func(k, v []byte) bool {
		if string(k) == key || (bytes.IndexByte(k, '\\') >= 0 && unescapedKey(k) == key) {
			out = v
		}
		return true
	})
	return out
}

func unescapedKey(k []byte) string {
	var s string
	quoted := make([]byte, 0, len(k)+2)
	quoted = append(append(append(quoted, '"'), k...), '"')
	if json.Unmarshal(quoted, &s) != nil {
		return ""
	}
	return s
}

// AppendElements appends the raw values of the elements of the JSON array arr
// to dst. It reports false when arr is not a well-formed array (dst is then
// returned as it came).
func AppendElements(dst [][]byte, arr []byte) ([][]byte, bool) {
	n := len(dst)
	i := skipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return dst, false
	}
	i = skipSpace(arr, i+1)
	if i < len(arr) && arr[i] == ']' {
		return dst, true
	}
	for i < len(arr) {
		end := skipValue(arr, i)
		if end < 0 {
			return dst[:n], false
		}
		dst = append(dst, arr[i:end])
		i = skipSpace(arr, end)
		if i >= len(arr) {
			return dst[:n], false
		}
		switch arr[i] {
		case ',':
			i = skipSpace(arr, i+1)
		case ']':
			return dst, true
		default:
			return dst[:n], false
		}
	}
	return dst[:n], false
}

// EachElement calls fn with the raw value of every element of the JSON array
// arr, in order, until fn returns false. It reports false when arr is not a
// well-formed array (up to where fn stopped).
func EachElement(arr []byte, fn func(value []byte) bool) bool {
	i := skipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return false
	}
	i = skipSpace(arr, i+1)
	if i < len(arr) && arr[i] == ']' {
		return true
	}
	for i < len(arr) {
		end := skipValue(arr, i)
		if end < 0 {
			return false
		}
		if !fn(arr[i:end]) {
			return true
		}
		i = skipSpace(arr, end)
		if i >= len(arr) {
			return false
		}
		switch arr[i] {
		case ',':
			i = skipSpace(arr, i+1)
		case ']':
			return true
		default:
			return false
		}
	}
	return false
}

// MemberKey returns the text of a raw member key as EachMember yields it
// (escapes decoded; it allocates).
func MemberKey(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw)
	}
	return unescapedKey(raw)
}
