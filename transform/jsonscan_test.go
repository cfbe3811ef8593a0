package transform

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func TestMemberAndElements(t *testing.T) {
	obj := []byte(` { "a" : 1, "b":{"x":[1,{"y":"}]"}]}, "c" : "s\"q", "a":[ ], "\/d":null, "e":true } `)
	for _, c := range []struct{ key, want string }{
		{"a", "[ ]"}, // last wins, as encoding/json
		{"b", `{"x":[1,{"y":"}]"}]}`},
		{"c", `"s\"q"`},
		{"/d", "null"},
		{"e", "true"},
		{"zz", ""},
	} {
		if got := string(Member(obj, c.key)); got != c.want {
			t.Errorf("Member(%q) = %q, want %q", c.key, got, c.want)
		}
	}
	var keys []string
	if !EachMember(obj, func(k, _ []byte) bool { keys = append(keys, string(k)); return len(keys) < 3 }) || len(keys) != 3 {
		t.Errorf("EachMember stop: keys %q", keys)
	}
	els, ok := AppendElements(nil, []byte(` [ 1 , "a,b" , {"k":[2]}, [ ], null ] `))
	want := []string{"1", `"a,b"`, `{"k":[2]}`, "[ ]", "null"}
	if !ok || len(els) != len(want) {
		t.Fatalf("AppendElements = %q, %v", els, ok)
	}
	for i := range want {
		if string(els[i]) != want[i] {
			t.Errorf("element %d = %q, want %q", i, els[i], want[i])
		}
	}
	for _, bad := range []string{``, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":1 "b":2}`, `[1`, `[1,]`, `"x"`, `{"a":"unterminated}`, `[{]`} {
		if _, ok := AppendElements(nil, []byte(bad)); ok && bad[0] == '[' {
			t.Errorf("AppendElements(%q) ok", bad)
		}
		if bad != "" && bad[0] == '{' && EachMember([]byte(bad), func(_, _ []byte) bool { return true }) {
			t.Errorf("EachMember(%q) ok", bad)
		}
	}
	var seen []string
	if !EachElement([]byte(`[1, [2,3], "x"]`), func(v []byte) bool { seen = append(seen, string(v)); return len(seen) < 2 }) || len(seen) != 2 || seen[1] != "[2,3]" {
		t.Errorf("EachElement stop: %q", seen)
	}
	if EachElement([]byte(`[1,`), func([]byte) bool { return true }) || EachElement([]byte(`{}`), func([]byte) bool { return true }) {
		t.Error("EachElement accepts a bad array")
	}
	if MemberKey([]byte(`aA`)) != "aA" || MemberKey([]byte("plain")) != "plain" {
		t.Error("MemberKey")
	}
	if els, ok := AppendElements([][]byte{[]byte("keep")}, []byte("[]")); !ok || len(els) != 1 {
		t.Errorf("AppendElements on empty array: %q %v", els, ok)
	}
}

func compact(t *testing.T, b []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatalf("compact %q: %v", b, err)
	}
	return buf.String()
}

func FuzzJSONScan(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":[1,2,{"c":"]"}]}`, `[1,"x",{"y":null},[]]`, `{"\u0041":2,"A":3}`, `{}`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		// Never panics, whatever the input.
		EachMember(b, func(_, _ []byte) bool { return true })
		els, okArr := AppendElements(nil, b)
		n := 0
		if okEach := EachElement(b, func([]byte) bool { n++; return true }); okEach != okArr || (okArr && n != len(els)) {
			t.Fatalf("EachElement(%q) = %d,%v; AppendElements %d,%v", b, n, okEach, len(els), okArr)
		}
		if !json.Valid(b) || !utf8.Valid(b) { // invalid UTF-8 keys decode to U+FFFD: not comparable
			return
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(b, &m) == nil && m != nil {
			n := 0
			if !EachMember(b, func(_, _ []byte) bool { n++; return true }) {
				t.Fatalf("EachMember rejects valid object %q", b)
			}
			if n < len(m) {
				t.Fatalf("EachMember saw %d members, encoding/json %d", n, len(m))
			}
			for k, v := range m {
				if got := Member(b, k); compact(t, got) != compact(t, v) {
					t.Fatalf("Member(%q) = %q, encoding/json %q in %q", k, got, v, b)
				}
			}
		}
		var a []json.RawMessage
		if json.Unmarshal(b, &a) == nil && a != nil {
			if !okArr || len(els) != len(a) {
				t.Fatalf("AppendElements(%q) = %d,%v; encoding/json %d", b, len(els), okArr, len(a))
			}
			for i := range a {
				if compact(t, els[i]) != compact(t, a[i]) {
					t.Fatalf("element %d = %q, encoding/json %q", i, els[i], a[i])
				}
			}
		}
	})
}
