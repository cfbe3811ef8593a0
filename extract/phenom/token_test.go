package phenom

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/atslake/atslake/extract"
)

func TestParseTokenReply(t *testing.T) {
	for _, c := range []struct {
		name, in, token string
		expiresIn       time.Duration
		ok              bool
	}{
		{"sandbox shape", `{"accessToken":"a.b.c","token_type":"Bearer","expires_in":3600}`, "a.b.c", time.Hour, true},
		{"any first name", `{"zzz":"tok","accessToken":"other"}`, "tok", 0, true},
		{"expires_in first is not the token", `{"expires_in":60,"accessToken":"tok"}`, "", 0, false},
		{"fractional expires_in", `{"t":"tok","expires_in":1.5}`, "tok", 1500 * time.Millisecond, true},
		{"bad expires_in ignored", `{"t":"tok","expires_in":"soon"}`, "tok", 0, true},
		{"negative expires_in ignored", `{"t":"tok","expires_in":-5}`, "tok", 0, true},
		{"nested objects after the token", `{"t":"tok","meta":{"a":[1,{"b":null}]},"expires_in":2}`, "tok", 2 * time.Second, true},
		{"first value null", `{"t":null}`, "", 0, false},
		{"first value blank", `{"t":"  "}`, "", 0, false},
		{"first value object", `{"t":{"token":"x"}}`, "", 0, false},
		{"empty", `{}`, "", 0, false},
		{"array", `["tok"]`, "", 0, false},
		{"string", `"tok"`, "", 0, false},
		{"trailing garbage", `{"t":"tok"} x`, "", 0, false},
		{"truncated", `{"t":"tok",`, "", 0, false},
		{"nothing", ``, "", 0, false},
	} {
		tok, exp, err := parseTokenReply([]byte(c.in))
		if (err == nil) != c.ok {
			t.Errorf("%s: error %v, want ok=%v", c.name, err, c.ok)
			continue
		}
		if err != nil {
			if !errors.Is(err, extract.ErrMalformed) {
				t.Errorf("%s: error %v is not ErrMalformed", c.name, err)
			}
			continue
		}
		if tok != c.token || exp != c.expiresIn {
			t.Errorf("%s: got (%q, %v), want (%q, %v)", c.name, tok, exp, c.token, c.expiresIn)
		}
	}
}

func TestJWTExpiry(t *testing.T) {
	for _, c := range []struct {
		name, token string
		want        time.Time
		ok          bool
	}{
		{"integer exp", makeJWT(`{"exp":1735787045,"sub":"x"}`), time.Unix(1735787045, 0), true},
		{"fractional exp", makeJWT(`{"exp":1735787045.5}`), time.Unix(1735787045, 5e8), true},
		{"padded payload", b64("h") + "." + b64(`{"exp":1735787045}`) + "==." + b64("s"), time.Unix(1735787045, 0), true},
		{"no exp", makeJWT(`{"sub":"x"}`), time.Time{}, false},
		{"exp string", makeJWT(`{"exp":"1735787045"}`), time.Time{}, false},
		{"exp huge", makeJWT(`{"exp":1e300}`), time.Time{}, false},
		{"exp negative", makeJWT(`{"exp":-1}`), time.Time{}, false},
		{"payload not JSON", b64("h") + "." + b64("nope") + "." + b64("s"), time.Time{}, false},
		{"payload array", makeJWT(`[1]`), time.Time{}, false},
		{"payload null", makeJWT(`null`), time.Time{}, false},
		{"not base64", "a.@@@.c", time.Time{}, false},
		{"two parts", "a.b", time.Time{}, false},
		{"opaque", "opaque-token", time.Time{}, false},
	} {
		got, err := jwtExpiry(c.token)
		if (err == nil) != c.ok {
			t.Errorf("%s: error %v, want ok=%v", c.name, err, c.ok)
			continue
		}
		if err != nil {
			if strings.Contains(err.Error(), c.token) {
				t.Errorf("%s: error repeats the token: %v", c.name, err)
			}
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("%s: exp %v, want %v", c.name, got, c.want)
		}
	}
}

func TestRefreshAt(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		life, used time.Duration // used = how long the token is used before refresh
	}{
		{time.Hour, 55 * time.Minute},                     // 10% = 6 min, capped at 5 min
		{time.Minute, 54 * time.Second},                   // 10%
		{5 * time.Second, 4 * time.Second},                // at least 1 s before
		{2 * time.Second, time.Second},                    // a 2 s token is used for 1 s
		{1200 * time.Millisecond, 600 * time.Millisecond}, // never less than half its life
	} {
		if got := refreshAt(t0, t0.Add(c.life)).Sub(t0); got != c.used {
			t.Errorf("life %v: used for %v, want %v", c.life, got, c.used)
		}
	}
}

func FuzzParseTokenReply(f *testing.F) {
	for _, s := range []string{
		`{"accessToken":"a.b.c","token_type":"Bearer","expires_in":3600}`,
		`{"x":"y"}`, `{}`, `[]`, `{"a":1}`, `{"a":"b","expires_in":1e999}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, exp, err := parseTokenReply(data)
		if err != nil {
			if tok != "" || !errors.Is(err, extract.ErrMalformed) {
				t.Fatalf("error %v with token %q", err, tok)
			}
			return
		}
		if strings.TrimSpace(tok) == "" || tok != strings.TrimSpace(tok) || exp < 0 {
			t.Fatalf("token %q expires_in %v", tok, exp)
		}
	})
}

func FuzzJWTExpiry(f *testing.F) {
	for _, s := range []string{
		makeJWT(`{"exp":1735787045}`), makeJWT(`{"exp":1.5}`), makeJWT(`{}`), "a.b.c", "", "...",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		exp, err := jwtExpiry(tok)
		if err != nil {
			if !errors.Is(err, extract.ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		if exp.Unix() <= 0 || exp.Year() > 9999 {
			t.Fatalf("exp %v out of range", exp)
		}
	})
}
