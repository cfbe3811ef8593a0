package pipeline

import "testing"

func TestSkippedMarker(t *testing.T) {
	for _, tc := range []struct{ body, endpoint, err string }{
		{`{"endpoint":"/candidates/{id}","error":"GET /candidates/c1: malformed response"}`, "/candidates/{id}", "GET /candidates/c1: malformed response"},
		{`{"endpoint":"/jobs-api/v1/jobs"}`, "/jobs-api/v1/jobs", `{"endpoint":"/jobs-api/v1/jobs"}`},
		{`not json`, "", "not json"},
	} {
		endpoint, err := skippedMarker([]byte(tc.body))
		if endpoint != tc.endpoint || err == nil || err.Error() != tc.err {
			t.Errorf("skippedMarker(%s) = %q, %v", tc.body, endpoint, err)
		}
	}
}
