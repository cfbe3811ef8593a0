package fake

import (
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"
)

func draw(seed int64, stream uint64) []string {
	f := New(seed, stream)
	var out []string
	for i := 0; i < 200; i++ {
		p := f.Person()
		a := f.AddressIn(p.Country)
		out = append(out, p.First, p.Last, f.Email(p, "example.com"), f.Phone(p.Country), a.Street, a.City, a.PostalCode,
			f.Company(), f.JobTitle(), f.HTMLParagraphs(1), f.HTMLList(2), f.UUID(), f.Hex(24), f.Word(),
			f.Time(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).String())
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a, b := draw(42, 1), draw(42, 1)
	if strings.Join(a, "\x00") != strings.Join(b, "\x00") {
		t.Fatal("same seed and stream gave different values")
	}
	if strings.Join(a, "\x00") == strings.Join(draw(42, 2), "\x00") || strings.Join(a, "\x00") == strings.Join(draw(43, 1), "\x00") {
		t.Fatal("different seed or stream gave the same values")
	}
}

func TestValues(t *testing.T) {
	f := New(1, 1)
	email := regexp.MustCompile(`^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]+$`)
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	var accents, cjk, emoji bool
	for i := 0; i < 2000; i++ {
		p := f.Person()
		if e := f.Email(p, "mail.example.com"); !email.MatchString(e) {
			t.Fatalf("bad e-mail %q for %+v", e, p)
		}
		if u := f.UUID(); !uuid.MatchString(u) {
			t.Fatalf("bad uuid %q", u)
		}
		for _, r := range p.First + p.Last + f.Sentence() + f.Word() {
			switch {
			case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
				cjk = true
			case r > 0x1F000:
				emoji = true
			case r > 127 && unicode.IsLetter(r):
				accents = true
			}
		}
	}
	if !accents || !cjk || !emoji {
		t.Fatalf("accents %v cjk %v emoji %v", accents, cjk, emoji)
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, sep, want string }{
		{"Élodie Müller", "-", "elodie-muller"},
		{"Groß", "", "gross"},
		{"O'Connor", "", "oconnor"},
		{"  José María ", ".", "jose.maria"},
		{"佐藤", "", "x"},
	} {
		if got := Slug(tc.in, tc.sep); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
