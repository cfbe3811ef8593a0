package smartrecruiters

import (
	"slices"
	"testing"

	"github.com/atslake/atslake/extract"
)

// TestDetailAboutAnotherRecord: a job or candidate detail whose "id" is not
// the record asked for (a cache's mix-up) or is missing (a reply without its
// fields) is skipped, never mapped as the record asked for.
func TestDetailAboutAnotherRecord(t *testing.T) {
	tn := loadTenant(t)
	srv := tn.start()
	base := collect(t, t.Context(), newExtractor(t, testConfig(srv.URL)), extract.Request{})
	if base.err != nil {
		t.Fatal(base.err)
	}
	for _, tc := range []struct {
		name, route, body, kind, key string
	}{
		{"job about another job", "/jobs/" + job1, string(tn.body("/jobs/" + job2)), KindJob, job1},
		{"job without id", "/jobs/" + job1, `{"title":"Engineer","hiringProcessId":"hp-1"}`, KindJob, job1},
		{"candidate about another candidate", "/candidates/" + cand2, string(tn.body("/candidates/" + cand1)), KindCandidate, cand2},
		{"candidate with a numeric id", "/candidates/" + cand2, `{"id":7,"primaryAssignment":null}`, KindCandidate, cand2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tn := loadTenant(t)
			tn.set(tc.route, 200, tc.body)
			srv := tn.start()
			res := collect(t, t.Context(), newExtractor(t, testConfig(srv.URL)), extract.Request{})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if got, want := kindsKeys(res.docs), replaced(base.docs, tc.kind, tc.key); !slices.Equal(got, want) {
				t.Fatalf("documents\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestCheckRecord(t *testing.T) {
	for _, tc := range []struct {
		raw string
		ok  bool
	}{
		{`{"id":"j1","title":"x"}`, true},
		{` {"id": "j1"}`, true},
		{`{"id":"j2"}`, false},
		{`{"title":"x"}`, false},
		{`{"id":null}`, false},
		{`{"id":"j1"`, false},
		{`["j1"]`, false},
	} {
		if err := checkRecord("j1")([]byte(tc.raw)); (err == nil) != tc.ok {
			t.Errorf("checkRecord(j1)(%s) = %v", tc.raw, err)
		}
	}
}
