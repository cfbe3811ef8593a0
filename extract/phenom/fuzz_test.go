package phenom_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	"github.com/atslake/atslake/extract/phenom"
	"github.com/atslake/atslake/schemas"
	phmap "github.com/atslake/atslake/transform/phenom"
)

// pageTransport answers the Phenom API in memory: a token, then the fuzzed
// first page of each list and an empty page after it.
type pageTransport struct{ jobs, apps []byte }

func (p pageTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body := []byte(`{"data":[]}`)
	switch {
	case r.URL.Path == phenom.PathToken:
		body = []byte(`{"accessToken":"fuzz-token","expires_in":3600}`)
	case r.URL.Query().Get("offset") != "0":
	case r.URL.Path == phenom.PathJobs:
		body = p.jobs
	case r.URL.Path == phenom.PathApplications:
		body = p.apps
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
}

func seedPage(f *testing.F, file string) []byte {
	items, err := os.ReadFile("testdata/" + file)
	if err != nil {
		f.Fatal(err)
	}
	return []byte(`{"status":"success","totalRecordsCount":` + strconv.Itoa(bytes.Count(items, []byte(`"jobId"`))) + `,"data":` + string(items) + `}`)
}

// FuzzPages feeds arbitrary first pages of both lists (jobs, applications)
// through the extractor and the Phenom mapping: nothing panics or leaks, a
// page that cannot be read fails the extraction with ErrMalformed, every
// document is a JSON object keyed by its endpoint, and every emitted record
// has its table's schema and non-empty ids.
func FuzzPages(f *testing.F) {
	jobs, apps := seedPage(f, "jobs.json"), seedPage(f, "applications.json")
	f.Add(jobs, apps)
	f.Add([]byte(`{"data":[{"jobId":7},{"jobId":""},{"jobId":null},[],"x",{"jobId":"J","multiRecruiter":[{"recruiterEmail":1}]}],"totalRecordsCount":"2"}`),
		[]byte(`{"data":[{"applicationId":"A","candidateData":{"candidateId":{"x":1}}},{"applicationId":"B","jobId":"JOBID","hiringStatus":["Hired"]}]}`))
	f.Add([]byte(`<html>`), []byte(`{"data":null}`))
	f.Add([]byte(`{"data":[[[[[[[[[[]]]]]]]]]]}`), []byte(`{"data":[{"applicationId":"A","updatedDate":"2024-13-45T99:99:99.000+9999"}]}`))
	f.Add([]byte(`{"data":[{"jobId":"J\u0000\ud800","title":"\u202e"}],"totalRecordsCount":-5}`), []byte(`{}`))
	f.Fuzz(func(t *testing.T, jobsPage, appsPage []byte) {
		alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer alloc.AssertSize(t, 0)
		e, err := phenom.New(phenom.Config{BaseURL: "http://phenom.test", TokenURL: "http://phenom.test", ClientID: "id", ClientSecret: "secret",
			Retries: -1, HTTPClient: &http.Client{Transport: pageTransport{jobsPage, appsPage}}})
		if err != nil {
			t.Fatal(err)
		}
		m := phmap.New("fuzz", phmap.WithAllocator(alloc))
		defer m.Release()
		out := &checkEmitter{t: t}
		ctx := context.Background()
		var failed error
		for rec, err := range e.Extract(ctx, extract.Request{Mode: extract.Full, Alloc: alloc}) {
			if err != nil {
				failed = err
				break
			}
			for _, d := range extract.Docs(rec) {
				checkDoc(t, d)
			}
			if err := m.Map(ctx, rec, out, skips{}); err != nil {
				t.Fatalf("Map: %v", err)
			}
			rec.Release()
		}
		if failed != nil {
			if !errors.Is(failed, extract.ErrMalformed) {
				t.Fatalf("extraction failed with %v, want ErrMalformed", failed)
			}
			return
		}
		if err := m.Finish(ctx, out, skips{}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
	})
}

func checkDoc(t *testing.T, d extract.Doc) {
	t.Helper()
	switch d.Kind {
	case extract.KindListComplete, extract.KindSkipped:
		if !json.Valid(d.Body) {
			t.Fatalf("%s body %q", d.Kind, d.Body)
		}
	case phenom.KindJob, phenom.KindApplication:
		var m map[string]json.RawMessage
		if err := json.Unmarshal(d.Body, &m); err != nil || len(m) != 1 || strings.TrimSpace(d.Key) == "" {
			t.Fatalf("%s %q: body %q (%v)", d.Kind, d.Key, d.Body, err)
		}
		if _, ok := m[phenom.PathJobs]; !ok && d.Kind == phenom.KindJob {
			t.Fatalf("job body without %s", phenom.PathJobs)
		}
	default:
		t.Fatalf("unknown kind %q", d.Kind)
	}
}

type checkEmitter struct{ t *testing.T }

func (c *checkEmitter) Emit(_ context.Context, table string, rec arrow.RecordBatch) error {
	tbl := schemas.MustLookup(table)
	if !rec.Schema().Equal(tbl.Schema()) {
		c.t.Fatalf("%s: emitted schema differs", table)
	}
	for _, col := range []string{"id", "remote_id"} {
		a := rec.Column(tbl.MustCol(col))
		if a.NullN() > 0 {
			c.t.Fatalf("%s: NULL %s", table, col)
		}
	}
	return nil
}

type skips struct{}

func (skips) Skip(table, remoteID, endpoint string, err error) {}
