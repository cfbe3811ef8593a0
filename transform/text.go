package transform

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// AppendEnumKey appends the enum-matching form of s to dst: lower-case, every
// run of non-letters replaced by one space, trimmed ("Full-Time " -> "full time",
// "PER_HOUR" -> "per hour"). Letters are Unicode letters.
func AppendEnumKey(dst []byte, s string) []byte {
	pendingSpace := false
	wrote := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				pendingSpace = true
				continue
			}
			if pendingSpace && wrote {
				dst = append(dst, ' ')
			}
			pendingSpace = false
			wrote = true
			dst = append(dst, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if !unicode.IsLetter(r) {
			pendingSpace = true
			continue
		}
		if pendingSpace && wrote {
			dst = append(dst, ' ')
		}
		pendingSpace = false
		wrote = true
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// EnumKey returns the enum-matching form of s (see AppendEnumKey).
func EnumKey(s string) string {
	var buf [64]byte
	return string(AppendEnumKey(buf[:0], s))
}

// Enum maps source text to the listed values of a unified enum column by the
// model's text-matching rule (EnumKey of the source text compared with the
// EnumKey of each listed spelling). An Enum is immutable and safe for
// concurrent use.
type Enum struct {
	open   bool
	values map[string]string
}

// NewClosedEnum returns an Enum for a closed enum column: Map yields a listed
// value or nothing. spellings maps each listed value to the source spellings
// that mean it (a value is not its own spelling unless listed).
func NewClosedEnum(spellings map[string][]string) *Enum { return newEnum(false, spellings) }

// NewOpenEnum returns an Enum for an open enum column: Map yields a listed
// value when the source text matches one of its spellings, else the source
// text exactly as received.
func NewOpenEnum(spellings map[string][]string) *Enum { return newEnum(true, spellings) }

func newEnum(open bool, spellings map[string][]string) *Enum {
	e := &Enum{open: open, values: make(map[string]string)}
	for value, ss := range spellings {
		for _, s := range ss {
			k := EnumKey(s)
			if prev, ok := e.values[k]; ok && prev != value {
				panic("transform: enum spelling " + s + " means both " + prev + " and " + value)
			}
			e.values[k] = value
		}
	}
	return e
}

// Lookup returns the listed value the source text s matches, if any.
func (e *Enum) Lookup(s string) (string, bool) {
	var buf [64]byte
	k := AppendEnumKey(buf[:0], s)
	v, ok := e.values[string(k)]
	return v, ok
}

// Map returns the column value for the source text s. Closed enums: the
// listed value, or ok=false (NULL). Open enums: the listed value, else s as
// received; ok=false only when s is empty (the source gave nothing).
func (e *Enum) Map(s string) (string, bool) {
	if v, ok := e.Lookup(s); ok {
		return v, true
	}
	if e.open && s != "" {
		return s, true
	}
	return "", false
}

// Open reports whether e is an open enum.
func (e *Enum) Open() bool { return e.open }

// ValidEmail reports whether s is a valid e-mail address by the model's rule
// and returns it trimmed: after trimming white space, exactly one '@', no
// blank (white space) inside, and a '.' in the domain (the part after '@').
// No other check is made (the rule is deliberately the model's, not RFC 5322).
func ValidEmail(s string) (string, bool) {
	s = strings.TrimSpace(s)
	at := -1
	for i, r := range s {
		switch {
		case r == '@':
			if at >= 0 {
				return "", false
			}
			at = i
		case unicode.IsSpace(r):
			return "", false
		}
	}
	if at < 0 || strings.IndexByte(s[at+1:], '.') < 0 {
		return "", false
	}
	return s, true
}

// Country returns the location country: upper(code) when code is two ASCII
// letters; else the ISO 3166-1 alpha-2 code of name when name is an English
// country name (see CountryCode) or two letters; else name as received; else ""
// (NULL). Sources with a single country field pass it as name.
func Country(code, name string) string {
	if c := strings.TrimSpace(code); isAlpha2(c) {
		return upper2(c)
	}
	if iso, ok := CountryCode(name); ok {
		return iso
	}
	return name
}

// CountryCode resolves one country text to its ISO 3166-1 alpha-2 code: an
// English country name (short, official or common form, case, punctuation and
// a leading "the" ignored; the table is countries_table.go, generated from ISO
// 3166-1 as shipped in Debian iso-codes and tzdata's iso3166.tab), else two
// ASCII letters, upper-cased. Names win over the two-letter rule, so "UK"
// resolves to GB.
func CountryCode(s string) (string, bool) {
	var buf [96]byte
	k := AppendEnumKey(buf[:0], s)
	if len(k) == 0 {
		return "", false
	}
	if code, ok := countryByName[string(k)]; ok {
		return code, true
	}
	if len(k) > 4 && string(k[:4]) == "the " {
		if code, ok := countryByName[string(k[4:])]; ok {
			return code, true
		}
	}
	if t := strings.TrimSpace(s); isAlpha2(t) {
		return upper2(t), true
	}
	return "", false
}

var countryByName = func() map[string]string {
	m := make(map[string]string, 4*len(countryNames))
	for _, c := range countryNames {
		for _, n := range c.names {
			m[EnumKey(n)] = c.code
		}
	}
	return m
}()

func isAlpha2(s string) bool {
	return len(s) == 2 && isASCIILetter(s[0]) && isASCIILetter(s[1])
}

func isASCIILetter(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

func upper2(s string) string {
	if 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z' {
		return s
	}
	return strings.ToUpper(s)
}

// FirstNonEmpty returns the first of vs that is not empty.
func FirstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
