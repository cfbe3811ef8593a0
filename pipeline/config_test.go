package pipeline

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

var goodEnv = env(map[string]string{"SR_TOKEN": "s3cret-token", "PH_ID": "id", "PH_SECRET": "s3cret-phenom"})

const goodConfig = `lake: ./lake
connections:
  - id: acme-sr
    connector: smartrecruiters
    base_url: https://api.smartrecruiters.com/
    token_env: SR_TOKEN
    schedule: "0 */3 * * *"
    full_sync_every: 2d
  - id: acme_phenom
    connector: phenom
    base_url: https://api.phenom.com
    token_url: https://auth.example.com
    client_id_env: PH_ID
    client_secret_env: PH_SECRET
    schedule: "@every 6h"
`

func TestParseConfigGood(t *testing.T) {
	cfg, err := ParseConfig("/etc/atslake/config.yaml", []byte(goodConfig), goodEnv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Lake != filepath.Clean("/etc/atslake/lake") {
		t.Errorf("lake = %q", cfg.Lake)
	}
	sr, ok := cfg.Connection("acme-sr")
	if !ok || sr.Token.Reveal() != "s3cret-token" || sr.FullSyncEvery != 48*time.Hour || sr.Lookback != 10*time.Minute ||
		sr.BaseURL != "https://api.smartrecruiters.com" || sr.AppURL != "https://www.smartrecruiters.com" {
		t.Errorf("sr = %+v", sr)
	}
	ph, _ := cfg.Connection("acme_phenom")
	if ph.SiteType != "external" || ph.Locale != "en_US" || ph.ClientSecret.Reveal() != "s3cret-phenom" {
		t.Errorf("phenom = %+v", ph)
	}
	if s := fmt.Sprintf("%v %+v %#v", sr, sr, sr); strings.Contains(s, "s3cret") {
		t.Errorf("secret leaks through fmt: %s", s)
	}
}

func TestParseConfigErrors(t *testing.T) {
	base := func(conn string) string { return "lake: /tmp/lake\nconnections:\n" + conn }
	sr := "  - id: acme\n    connector: smartrecruiters\n    base_url: https://x\n    token_env: SR_TOKEN\n"
	for _, c := range []struct {
		name, yaml string
		want       []string
	}{
		{"unknown top key", "lake: x\nlakes: y\nconnections: []\n", []string{"cfg.yaml:2", "lakes", "unknown key"}},
		{"unknown connection key", base(sr + "    colour: red\n"), []string{"cfg.yaml:7", "connections[0]", "colour", "unknown key"}},
		{"key of other connector", base(sr + "    site_type: external\n"), []string{"site_type", "not a key of the smartrecruiters connector"}},
		{"slash in id", base(strings.Replace(sr, "id: acme", "id: acme/x", 1)), []string{"connections[0].id", `"acme/x" is not a valid connection id`}},
		{"upper-case id", base(strings.Replace(sr, "id: acme", "id: Acme", 1)), []string{"not a valid connection id"}},
		{"long id", base(strings.Replace(sr, "id: acme", "id: a"+strings.Repeat("b", 63), 1)), []string{"not a valid connection id"}},
		{"missing token env", base(strings.Replace(sr, "SR_TOKEN", "NOPE_TOKEN", 1)), []string{"cfg.yaml:6", "token_env", "environment variable NOPE_TOKEN is not set"}},
		{"unknown connector", base(strings.Replace(sr, "smartrecruiters", "greenhouse", 1)), []string{"connector", `unknown connector "greenhouse"`}},
		{"bad cron", base(sr + "    schedule: \"61 * * * *\"\n"), []string{"schedule", "is not a schedule"}},
		{"bad every", base(sr + "    schedule: \"@every soon\"\n"), []string{"schedule", "is not a duration"}},
		{"bad duration", base(sr + "    full_sync_every: often\n"), []string{"full_sync_every", "is not a duration"}},
		{"two auth methods", base(sr + "    client_id_env: PH_ID\n    client_secret_env: PH_SECRET\n"), []string{"exactly one of token_env"}},
		{"duplicate id", base(sr + sr), []string{"connections[1].id", "duplicate connection id"}},
		{"missing base_url", base("  - id: a\n    connector: phenom\n"), []string{"base_url", "required key is missing"}},
		{"phenom without token_url", base("  - id: a\n    connector: phenom\n    base_url: https://x\n    client_id_env: PH_ID\n    client_secret_env: PH_SECRET\n"), []string{"token_url", "required"}},
		{"no lake", "connections:\n" + sr, []string{"lake", "required key is missing"}},
		{"not yaml", "lake: [\n", []string{"cfg.yaml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseConfig("cfg.yaml", []byte(c.yaml), goodEnv)
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrConfig) {
				t.Errorf("error does not wrap ErrConfig: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"24h": 24 * time.Hour, "1d": 24 * time.Hour, "1d12h": 36 * time.Hour, "90m": 90 * time.Minute, "7d": 7 * 24 * time.Hour} {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "d", "x1d", "1w"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) accepted", bad)
		}
	}
}

func TestParseSchedule(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 30, 0, 0, time.UTC)
	for spec, want := range map[string]time.Time{
		"0 */3 * * *":                     time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC),
		"@every 90m":                      from.Add(90 * time.Minute),
		"@daily":                          time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
		"CRON_TZ=Europe/Berlin 0 2 * * *": time.Date(2026, 1, 1, 1, 0, 0, 0, time.UTC),
	} {
		s, err := ParseSchedule(spec)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		if got := s.Next(from).UTC(); !got.Equal(want) {
			t.Errorf("%s: next = %v, want %v", spec, got, want)
		}
	}
}
