package pipeline

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseConfig: ParseConfig never panics; it either fails with ErrConfig
// naming the file, or returns a configuration that keeps its promises (valid
// unique ids, known connectors, http(s) URLs, an absolute lake, positive
// durations) and whose secrets never show in its printed form or errors.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(goodConfig))
	f.Add([]byte("lake: x\nconnections:\n  - id: a\n    connector: phenom\n    base_url: http://h\n    token_url: http://t\n    client_id_env: PH_ID\n    client_secret_env: PH_SECRET\n    site_type: internal\n    locale: de_DE\n"))
	f.Add([]byte("lake: x\nconnections:\n  - {id: b, connector: smartrecruiters, base_url: 'https://h', client_id_env: PH_ID, client_secret_env: PH_SECRET, lookback: 1d12h, app_url: https://app/}\n"))
	f.Add([]byte("lake: x\nconnections:\n  - id: a\n    connector: smartrecruiters\n    base_url: https://h\n    token_env: SR_TOKEN\n    schedule: \"CRON_TZ=Europe/Berlin 0 3 * * *\"\n  - id: a\n"))
	f.Add([]byte("lake: &a x\nconnections: *a\n"))
	f.Add([]byte("lake: [x]\nconnections: {}\n"))
	f.Add([]byte("- 1\n- 2\n"))
	f.Add([]byte("lake: x\nconnections:\n  - id: A\n"))
	f.Add([]byte("lake: x\nconnections:\n  - id: a\n    connector: smartrecruiters\n    base_url: https://h\n    token_env: SR_TOKEN\n    full_sync_every: -1h\n"))
	f.Add([]byte("\xef\xbb\xbflake: x\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		const path = "/etc/atslake/fuzz.yaml"
		cfg, err := ParseConfig(path, data, goodEnv)
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("error %v is not ErrConfig", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q does not name the file", err)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Fatalf("error leaks a secret: %q", err)
			}
			return
		}
		if !filepath.IsAbs(cfg.Lake) || len(cfg.Connections) == 0 {
			t.Fatalf("lake %q, %d connections", cfg.Lake, len(cfg.Connections))
		}
		ids := map[string]bool{}
		for _, c := range cfg.Connections {
			if !ValidConnectionID(c.ID) || ids[c.ID] {
				t.Fatalf("connection id %q accepted (valid %v, seen %v)", c.ID, ValidConnectionID(c.ID), ids[c.ID])
			}
			ids[c.ID] = true
			if c.Connector != ConnectorSmartRecruiters && c.Connector != ConnectorPhenom {
				t.Fatalf("connector %q accepted", c.Connector)
			}
			for _, u := range []string{c.BaseURL, c.TokenURL, c.AppURL} {
				if u != "" && checkURL(u) != nil {
					t.Fatalf("URL %q accepted", u)
				}
			}
			switch c.Connector {
			case ConnectorSmartRecruiters:
				if c.FullSyncEvery <= 0 || c.Lookback <= 0 || c.AppURL == "" {
					t.Fatalf("smartrecruiters connection %+v", c)
				}
				if (c.Token.Reveal() == "") == (c.ClientID.Reveal() == "") {
					t.Fatalf("smartrecruiters connection with both or neither credentials")
				}
			case ConnectorPhenom:
				if c.TokenURL == "" || c.SiteType == "" || c.Locale == "" || c.ClientID.Reveal() == "" || c.ClientSecret.Reveal() == "" {
					t.Fatalf("phenom connection %+v", c)
				}
			}
			if c.Schedule != "" {
				if _, err := ParseSchedule(c.Schedule); err != nil {
					t.Fatalf("schedule %q accepted: %v", c.Schedule, err)
				}
			}
			if s := fmt.Sprintf("%v %+v %#v", c, c, c); strings.Contains(s, "s3cret") {
				t.Fatalf("a secret shows in %s", s)
			}
		}
	})
}

// FuzzParseDuration: ParseDuration never panics and what it accepts is
// stable: Go syntax plus days.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"24h", "1d12h", "7d", "0.5d", "90m", "1.5d3h", "d", "1e3d", "99999999999d", "-1d", "1d-1h", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		if s == "" || (d != 0 && !strings.ContainsAny(s, "0123456789")) {
			t.Fatalf("ParseDuration(%q) = %v", s, d)
		}
	})
}
