package smartrecruiters

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/atslake/atslake/sandbox/simapi"
)

func TestJunkConfig(t *testing.T) {
	for _, tc := range []struct {
		fail, trunc, junk float64
		ok                bool
	}{
		{0, 0, 0.3, true}, {0.3, 0.3, 0.4, true}, {0, 0, -0.1, false}, {0.5, 0, 0.6, false}, {0, 0, 1.1, false},
	} {
		cfg := cfgOf(1, 10, 0, nil)
		cfg.FailRate, cfg.TruncateRate, cfg.JunkRate = tc.fail, tc.trunc, tc.junk
		_, err := New(cfg)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrConfig)) {
			t.Errorf("fail %g truncate %g junk %g: %v", tc.fail, tc.trunc, tc.junk, err)
		}
	}
}

// TestJunkServed: with JunkRate 1 every API GET answers junk of the allowed
// kinds, counted in /_sandbox/faults; /_sandbox/* and token calls never do;
// issued tokens are counted.
func TestJunkServed(t *testing.T) {
	cfg := cfgOf(1, 10, 0, nil)
	cfg.JunkRate, cfg.JunkKinds = 1, []simapi.Junk{simapi.JunkNotJSON, simapi.JunkMissingIDs}
	s := newServer(t, cfg)
	clean := newServer(t, cfgOf(1, 10, 0, nil))
	for _, p := range []string{"/configuration/company", "/jobs?sort=job_id", "/user-api/v201804/users"} {
		status, hdr, body := do(s, http.MethodGet, p, nil)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", p, status)
		}
		if _, _, want := do(clean, http.MethodGet, p, nil); string(body) == string(want) || strings.Contains(string(body), `"id"`) {
			t.Errorf("%s: not junk: %.120s", p, body)
		}
		if !json.Valid(body) && !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
			t.Errorf("%s: HTML junk as %s", p, hdr.Get("Content-Type"))
		}
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"sandbox-client"}, "client_secret": {"sandbox-secret"}}
	req, _ := http.NewRequest(http.MethodPost, "/identity/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || !json.Valid(rec.Body.Bytes()) {
		t.Errorf("token reply: %d %s", rec.Code, rec.Body)
	}
	_, _, truth := do(s, http.MethodGet, "/_sandbox/truth", map[string]string{})
	if !json.Valid(truth) {
		t.Error("/_sandbox/truth got junk")
	}
	_, _, rep := do(s, http.MethodGet, "/_sandbox/faults", map[string]string{})
	var f simapi.FaultReport
	if err := json.Unmarshal(rep, &f); err != nil {
		t.Fatal(err)
	}
	if f.Junk != 3 || f.NotJSON+f.MissingIDs != 3 || f.Tokens != 1 {
		t.Errorf("faults report %s", rep)
	}
}
