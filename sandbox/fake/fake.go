package fake

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
)

// Faker draws fake values from a deterministic PCG source.
type Faker struct {
	// R is the underlying generator; draw from it directly for plain numbers.
	R *rand.Rand
}

// New returns a Faker seeded with (seed, stream). Different streams of one
// seed are independent.
func New(seed int64, stream uint64) *Faker {
	return &Faker{R: rand.New(rand.NewPCG(uint64(seed), stream^0x9e3779b97f4a7c15))}
}

// Intn returns a number in [0, n) (0 when n <= 0).
func (f *Faker) Intn(n int) int {
	if n <= 0 {
		return 0
	}
	return f.R.IntN(n)
}

// Between returns a number in [lo, hi].
func (f *Faker) Between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + f.R.IntN(hi-lo+1)
}

// Chance reports true with probability p.
func (f *Faker) Chance(p float64) bool { return f.R.Float64() < p }

// Pick returns a random element of xs (the zero value when xs is empty).
func Pick[T any](f *Faker, xs []T) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	return xs[f.R.IntN(len(xs))]
}

// Sample returns k distinct random elements of xs in random order (all of
// them when k >= len(xs)). It costs O(k), whatever the length of xs.
func Sample[T any](f *Faker, xs []T, k int) []T {
	n := len(xs)
	if k > n {
		k = n
	}
	if k <= 0 {
		return nil
	}
	// Partial Fisher-Yates over a sparse permutation of 0..n-1.
	swapped := make(map[int]int, k)
	at := func(i int) int {
		if v, ok := swapped[i]; ok {
			return v
		}
		return i
	}
	out := make([]T, k)
	for i := 0; i < k; i++ {
		j := i + f.R.IntN(n-i)
		vi, vj := at(i), at(j)
		swapped[i], swapped[j] = vj, vi
		out[i] = xs[vj]
	}
	return out
}

const hexDigits = "0123456789abcdef"

// Hex returns n random lower-case hex digits.
func (f *Faker) Hex(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = hexDigits[f.R.IntN(16)]
	}
	return string(b)
}

// Digits returns n random decimal digits (the first one not 0).
func (f *Faker) Digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + f.R.IntN(10))
	}
	if n > 0 && b[0] == '0' {
		b[0] = '1' + byte(f.R.IntN(9))
	}
	return string(b)
}

// UUID returns a random version-4 UUID in canonical form.
func (f *Faker) UUID() string {
	var b [16]byte
	x, y := f.R.Uint64(), f.R.Uint64()
	for i := 0; i < 8; i++ {
		b[i], b[8+i] = byte(x>>(8*i)), byte(y>>(8*i))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Time returns a random instant in [from, to), truncated to milliseconds, in UTC.
func (f *Faker) Time(from, to time.Time) time.Time {
	d := to.Sub(from)
	if d <= 0 {
		return from.UTC().Truncate(time.Millisecond)
	}
	return from.Add(time.Duration(f.R.Int64N(int64(d)))).UTC().Truncate(time.Millisecond)
}

// Person is a generated person.
type Person struct {
	First, Last string // as written in the person's country (may be CJK)
	// LatinFirst, LatinLast are the romanized, ASCII-folded names (for e-mails and handles).
	LatinFirst, LatinLast string
	Country               *Country
}

// Person returns a person from a random country.
func (f *Faker) Person() Person { return f.PersonIn(Pick(f, Countries)) }

// PersonIn returns a person from country c.
func (f *Faker) PersonIn(c *Country) Person {
	fn, ln := Pick(f, c.FirstNames), Pick(f, c.LastNames)
	p := Person{First: fn.Native, Last: ln.Native, LatinFirst: fn.latin(), LatinLast: ln.latin(), Country: c}
	if fn.Latin != "" && f.Chance(0.4) { // CJK names are often written romanized
		p.First, p.Last = fn.Latin, ln.Latin
	}
	return p
}

// Email returns an e-mail address for p at domain (ASCII, lower-case).
func (f *Faker) Email(p Person, domain string) string {
	first, last := Slug(p.LatinFirst, ""), Slug(p.LatinLast, "")
	var local string
	switch f.R.IntN(5) {
	case 0:
		local = first + "." + last
	case 1:
		local = first[:1] + last
	case 2:
		local = first + "_" + last + f.Digits(2)
	case 3:
		local = last + "." + first
	default:
		local = first + last + f.Digits(3)
	}
	return local + "@" + domain
}

// PersonalDomain returns a consumer mail domain.
func (f *Faker) PersonalDomain() string {
	return Pick(f, []string{"gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "gmx.de", "orange.fr", "yahoo.co.jp", "uol.com.br", "rediffmail.com", "hotmail.co.uk"})
}

// Phone returns a phone number in country c's international format.
func (f *Faker) Phone(c *Country) string {
	var b strings.Builder
	for _, r := range c.PhoneFormat {
		if r == '#' {
			b.WriteByte(byte('0' + f.R.IntN(10)))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Address is a postal address.
type Address struct {
	Street, City, Region, RegionCode, PostalCode string
	Country                                      *Country
}

// Address returns a random address in a random country.
func (f *Faker) Address() Address { return f.AddressIn(Pick(f, Countries)) }

// AddressIn returns a random address in country c.
func (f *Faker) AddressIn(c *Country) Address {
	city := Pick(f, c.Cities)
	street := Pick(f, c.Streets)
	num := fmt.Sprint(f.Between(1, 250))
	return Address{
		Street:     strings.ReplaceAll(street, "{n}", num),
		City:       city.Name,
		Region:     city.Region,
		RegionCode: city.RegionCode,
		PostalCode: f.pattern(city.Postal),
		Country:    c,
	}
}

// pattern fills '#' with digits and '@' with capital letters.
func (f *Faker) pattern(p string) string {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '#':
			b.WriteByte(byte('0' + f.R.IntN(10)))
		case '@':
			b.WriteByte(byte('A' + f.R.IntN(26)))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Company returns a company name.
func (f *Faker) Company() string { return Pick(f, companies) }

// JobTitle returns a job title (some in French, German, Japanese, Portuguese).
func (f *Faker) JobTitle() string {
	if f.Chance(0.15) {
		return Pick(f, localTitles)
	}
	return Pick(f, seniorities) + Pick(f, titles)
}

// Sentence returns one sentence of recruiting prose (may hold accents, CJK or emoji).
func (f *Faker) Sentence() string { return Pick(f, sentences) }

// Paragraph returns n sentences joined by spaces.
func (f *Faker) Paragraph(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = f.Sentence()
	}
	return strings.Join(s, " ")
}

// HTMLParagraphs returns n <p> paragraphs of prose.
func (f *Faker) HTMLParagraphs(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString("<p>")
		b.WriteString(HTMLEscape(f.Paragraph(f.Between(1, 3))))
		b.WriteString("</p>")
	}
	return b.String()
}

// HTMLList returns a <ul> with n bullet points about a role.
func (f *Faker) HTMLList(n int) string {
	var b strings.Builder
	b.WriteString("<ul>")
	for _, s := range Sample(f, bullets, n) {
		b.WriteString("<li>")
		b.WriteString(HTMLEscape(s))
		b.WriteString("</li>")
	}
	b.WriteString("</ul>")
	return b.String()
}

// Word returns a skill or keyword (used for tags).
func (f *Faker) Word() string { return Pick(f, skills) }

// Words returns k distinct keywords (see Word).
func (f *Faker) Words(k int) []string { return Sample(f, skills, k) }

// Skills is the keyword pool Word draws from.
func Skills() []string { return append([]string(nil), skills...) }

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// HTMLEscape escapes &, < and > for HTML text.
func HTMLEscape(s string) string { return htmlEscaper.Replace(s) }

// Slug folds s to lower-case ASCII letters and digits, replacing every run of
// other characters by sep (accents are dropped: "Élodie Müller" -> "elodie-muller").
func Slug(s, sep string) string {
	var b strings.Builder
	pending := false
	for _, r := range s {
		r = unicode.ToLower(r)
		out := string(r)
		if f, ok := fold[r]; ok {
			out = f
		} else if r >= 128 || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			pending = true
			continue
		}
		if pending && b.Len() > 0 {
			b.WriteString(sep)
		}
		pending = false
		b.WriteString(out)
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

// fold maps accented Latin letters to ASCII.
var fold = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ł': "l"}
	for base, accented := range map[string]string{
		"a": "àáâãäåā", "c": "çćč", "e": "èéêëēė", "i": "ìíîïī", "n": "ñń",
		"o": "òóôõöō", "u": "ùúûüū", "y": "ýÿ", "s": "śš", "z": "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()
