package phenom

import (
	"encoding/json"
	"errors"
	"net/http"
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
		cfg := DefaultConfig()
		cfg.Scale = MinScale
		cfg.FailRate, cfg.TruncateRate, cfg.JunkRate = tc.fail, tc.trunc, tc.junk
		_, err := New(cfg)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrConfig)) {
			t.Errorf("fail %g truncate %g junk %g: %v", tc.fail, tc.trunc, tc.junk, err)
		}
	}
}

// TestJunkServed: with JunkRate 1 every listing answers junk of the allowed
// kinds, counted in /_sandbox/faults with the tokens issued; the token call
// and /_sandbox/* never get junk.
func TestJunkServed(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Scale, cfg.JunkRate, cfg.JunkKinds = 20, 1, []simapi.Junk{simapi.JunkWrongTypes}
	_, base := newTestServer(t, cfg)
	tok := fetchToken(t, base) // a valid token reply despite the junk rate
	for _, p := range []string{pathJobs, pathApplications} {
		status, body := mustGet(t, base+p+"?limit=3", tok)
		if status != http.StatusOK || !json.Valid(body) || strings.Contains(string(body), `"success"`) {
			t.Errorf("%s: %d, not wrong-types junk: %.120s", p, status, body)
		}
	}
	if status, body := mustGet(t, base+pathTruth, ""); status != http.StatusOK || !strings.Contains(string(body), `"tables"`) {
		t.Errorf("truth: %d %.80s", status, body)
	}
	_, rep := mustGet(t, base+pathFaults, "")
	var f simapi.FaultReport
	if err := json.Unmarshal(rep, &f); err != nil {
		t.Fatal(err)
	}
	if f.Junk != 2 || f.WrongTypes != 2 || f.Tokens != 1 {
		t.Errorf("faults report %s", rep)
	}
}
