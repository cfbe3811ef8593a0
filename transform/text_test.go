package transform

import (
	"testing"
)

func TestEnumKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"FULL_TIME", "full time"},
		{"  Full-Time  ", "full time"},
		{"per hour", "per hour"},
		{"bi-weekly", "bi weekly"},
		{"Bi__Weekly!!", "bi weekly"},
		{"2 weeks", "weeks"},
		{"123", ""},
		{"a1b2c", "a b c"},
		{"Côte d'Ivoire", "côte d ivoire"},
		{"ÉTÉ", "été"},
		{"日本 国", "日本 国"},
		{"a\tb\nc", "a b c"},
		{"ÅLAND", "åland"},
	} {
		if got := EnumKey(c.in); got != c.want {
			t.Errorf("EnumKey(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestEnum(t *testing.T) {
	spell := map[string][]string{
		"FULL_TIME": {"full time", "permanent"},
		"PART_TIME": {"Part-Time"},
	}
	open, closed := NewOpenEnum(spell), NewClosedEnum(spell)
	for _, c := range []struct {
		in                 string
		openWant, closWant string
		openOK, closOK     bool
	}{
		{"FULL_TIME", "FULL_TIME", "FULL_TIME", true, true},
		{"Full time", "FULL_TIME", "FULL_TIME", true, true},
		{" PERMANENT ", "FULL_TIME", "FULL_TIME", true, true},
		{"part_time", "PART_TIME", "PART_TIME", true, true},
		{"Vollzeit", "Vollzeit", "", true, false},
		{" odd ", " odd ", "", true, false},
		{"", "", "", false, false},
	} {
		if got, ok := open.Map(c.in); got != c.openWant || ok != c.openOK {
			t.Errorf("open.Map(%q) = %q,%v want %q,%v", c.in, got, ok, c.openWant, c.openOK)
		}
		if got, ok := closed.Map(c.in); got != c.closWant || ok != c.closOK {
			t.Errorf("closed.Map(%q) = %q,%v want %q,%v", c.in, got, ok, c.closWant, c.closOK)
		}
	}
	if !open.Open() || closed.Open() {
		t.Error("Open() wrong")
	}
}

func TestEnumConflictPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("conflicting spellings did not panic")
		}
	}()
	NewClosedEnum(map[string][]string{"A": {"x-y"}, "B": {"X Y"}})
}

func TestValidEmail(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"ann@example.com", "ann@example.com", true},
		{"  Ann.Lee@Example.co.uk \t", "Ann.Lee@Example.co.uk", true},
		{"ann@example", "", false},
		{"ann.example.com", "", false},
		{"ann@@example.com", "", false},
		{"ann@ex@ample.com", "", false},
		{"ann lee@example.com", "", false},
		{"ann@exa mple.com", "", false},
		{"ann@exa\u00a0mple.com", "", false},
		{"a.b@example", "", false}, // the dot must be in the domain
		{"", "", false},
		{"   ", "", false},
		{"@example.com", "@example.com", true}, // the model's rule only: one @, no blank, dot in domain
		{"ann@.", "ann@.", true},
		{"ünïcode@exämple.de", "ünïcode@exämple.de", true},
	} {
		got, ok := ValidEmail(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ValidEmail(%q) = %q,%v want %q,%v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestCountry(t *testing.T) {
	for _, c := range []struct{ code, name, want string }{
		{"us", "United States", "US"},
		{"De", "", "DE"},
		{"", "Germany", "DE"},
		{"", "germany", "DE"},
		{"", "  GERMANY ", "DE"},
		{"", "United States of America", "US"},
		{"", "USA", "US"},
		{"", "U.S.A.", "US"},
		{"", "United Kingdom", "GB"},
		{"", "UK", "GB"},
		{"", "The Netherlands", "NL"},
		{"", "Netherlands", "NL"},
		{"", "Korea, Republic of", "KR"},
		{"", "South Korea", "KR"},
		{"", "Côte d'Ivoire", "CI"},
		{"", "Cote d'Ivoire", "CI"},
		{"", "Türkiye", "TR"},
		{"", "Bolivia, Plurinational State of", "BO"},
		{"", "fr", "FR"},
		{"USA", "France", "FR"}, // a 3-letter code is not used: the name decides
		{"", "Atlantis", "Atlantis"},
		{"xyz", "", ""},
		{"", "", ""},
		{"", "日本", "日本"},
	} {
		if got := Country(c.code, c.name); got != c.want {
			t.Errorf("Country(%q, %q) = %q, want %q", c.code, c.name, got, c.want)
		}
	}
}

func TestCountryTableCoversISO(t *testing.T) {
	if len(countryNames) < 249 {
		t.Fatalf("country table has %d codes, want every ISO 3166-1 code (249)", len(countryNames))
	}
	for _, c := range countryNames {
		if !isAlpha2(c.code) || upper2(c.code) != c.code {
			t.Errorf("bad code %q", c.code)
		}
		for _, n := range c.names {
			if got, ok := CountryCode(n); !ok || got != c.code {
				t.Errorf("CountryCode(%q) = %q,%v want %q", n, got, ok, c.code)
			}
		}
	}
}
