package transform

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode"
)

// Seeds live in testdata/fuzz/<FuzzName>/ (go test runs them as regression cases).

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2024-02-01T08:54:57.000Z", "2024-05-17T22:00:00.000+0000", "1706777697000", "2024-02-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ts, ok := ParseTimestamp(s)
		if !ok {
			return
		}
		// Round trip through the canonical form.
		back, ok2 := ParseTimestamp(FormatTimestamp(ts))
		if !ok2 || back != ts {
			t.Fatalf("%q -> %d -> %s -> %d,%v", s, ts, FormatTimestamp(ts), back, ok2)
		}
		// Where the standard library reads the same text as RFC 3339, it must agree.
		if ref, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s)); err == nil {
			if want := ref.UnixMicro(); int64(ts) != want {
				t.Fatalf("%q: got %s, time.Parse %s", s, FormatTimestamp(ts), ref.UTC().Format(time.RFC3339Nano))
			}
		}
	})
}

func emailOracle(s string) bool {
	s = strings.TrimSpace(s)
	if strings.Count(s, "@") != 1 || strings.ContainsFunc(s, unicode.IsSpace) {
		return false
	}
	return strings.Contains(s[strings.Index(s, "@")+1:], ".")
}

func FuzzValidEmail(f *testing.F) {
	for _, s := range []string{"ann@example.com", " a b@c.d", "x@@y.z", "no-at.example.com", "a@b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := ValidEmail(s)
		if ok != emailOracle(s) {
			t.Fatalf("ValidEmail(%q) ok=%v, rule says %v", s, ok, !ok)
		}
		if ok {
			if got != strings.TrimSpace(s) {
				t.Fatalf("ValidEmail(%q) = %q, not the trimmed input", s, got)
			}
			if again, ok2 := ValidEmail(got); !ok2 || again != got {
				t.Fatalf("not idempotent on %q", got)
			}
		}
	})
}

func FuzzCountryCode(f *testing.F) {
	for _, s := range []string{"United States", "de", "Côte d'Ivoire", "The Netherlands", "UK", "xyz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := CountryCode(s)
		if !ok {
			if code != "" {
				t.Fatalf("CountryCode(%q) = %q with ok=false", s, code)
			}
			if got := Country("", s); got != s {
				t.Fatalf("Country(\"\", %q) = %q, want the input", s, got)
			}
			return
		}
		if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
			t.Fatalf("CountryCode(%q) = %q, not two upper-case letters", s, code)
		}
		if again, ok := CountryCode(code); !ok || again != code {
			t.Fatalf("CountryCode(%q) = %q but CountryCode(%q) = %q", s, code, code, again)
		}
		if got := Country("", s); got != code {
			t.Fatalf("Country(\"\", %q) = %q, want %q", s, got, code)
		}
	})
}

func enumKeyOracle(s string) string {
	m := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return ' '
	}, s)
	return strings.Join(strings.Fields(m), " ")
}

func FuzzEnumKey(f *testing.F) {
	for _, s := range []string{"FULL_TIME", " Part-time ", "bi-weekly", "ÉTÉ 2", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := EnumKey(s)
		if want := enumKeyOracle(s); got != want {
			t.Fatalf("EnumKey(%q) = %q, want %q", s, got, want)
		}
		if EnumKey(got) != got {
			t.Fatalf("EnumKey not idempotent on %q", got)
		}
	})
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"a<b>&c", "\x00\u2028", "\xff", `"\`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := AppendJSONString(nil, s)
		if want := encoderString(t, s); string(got) != want {
			t.Fatalf("AppendJSONString(%q) = %s, encoding/json %s", s, got, want)
		}
	})
}

func FuzzAppendCompactJSON(f *testing.F) {
	for _, s := range []string{`{ "a" : [1, "x y"] }`, `"\" "`, ` null `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if !json.Valid(src) {
			return
		}
		var ref bytes.Buffer
		if err := json.Compact(&ref, src); err != nil {
			t.Fatal(err)
		}
		if got := AppendCompactJSON(nil, src); !bytes.Equal(got, ref.Bytes()) {
			t.Fatalf("AppendCompactJSON(%q) = %q, json.Compact %q", src, got, ref.Bytes())
		}
	})
}
