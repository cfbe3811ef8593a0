package smartrecruiters_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
	sr "github.com/atslake/atslake/extract/smartrecruiters"
	"github.com/atslake/atslake/schemas"
	srmap "github.com/atslake/atslake/transform/smartrecruiters"
)

// fixture is testdata/tenant.json: reply bodies by "path?sorted query".
type fixture struct {
	routes map[string][]byte
	keys   []string // sorted, the endpoints a fuzz input can replace
}

func loadFixture(tb testing.TB) *fixture {
	raw, err := os.ReadFile("testdata/tenant.json")
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		tb.Fatal(err)
	}
	f := &fixture{routes: map[string][]byte{}}
	for k, v := range m {
		if v[0] == '"' { // a body that is not JSON, kept verbatim
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				tb.Fatal(err)
			}
			v = []byte(s)
		}
		f.routes[normRoute(k)] = v
		f.keys = append(f.keys, normRoute(k))
	}
	slices.Sort(f.keys)
	return f
}

func normRoute(route string) string {
	path, query, ok := strings.Cut(route, "?")
	if !ok {
		return route
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		panic(err)
	}
	return path + "?" + q.Encode()
}

// fuzzTransport serves the fixture in memory, with one route's body replaced.
type fuzzTransport struct {
	f        *fixture
	route    string
	body     []byte
	requests atomic.Int64
}

func (ft *fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ft.requests.Add(1)
	route := r.URL.Path
	if q := r.URL.Query(); len(q) > 0 {
		route += "?" + q.Encode()
	}
	status, body := http.StatusOK, ft.f.routes[route]
	switch {
	case route == ft.route:
		body = ft.body
	case body == nil:
		status, body = http.StatusNotFound, []byte(`{"message":"Not found","errors":[{"code":"NOT_FOUND","message":"no such route"}]}`)
	}
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
}

// FuzzEndpoints replaces the reply of one endpoint of the fixture tenant
// (chosen by route) with arbitrary bytes and runs a full extraction and the
// SmartRecruiters mapping over it: nothing panics, leaks or loops; the
// extraction either ends or fails with ErrMalformed or ErrNotFound (a list
// page naming a page that does not exist); every document is a JSON object;
// every emitted record has its table's schema and no NULL id.
func FuzzEndpoints(f *testing.F) {
	fx := loadFixture(f)
	for i, k := range fx.keys {
		if strings.Contains(k, "updatedAfter") {
			continue // incremental lists are not read by a full run
		}
		f.Add(uint16(i), fx.routes[k])
		switch i % 4 {
		case 0:
			f.Add(uint16(i), []byte(`<html>`))
		case 1:
			f.Add(uint16(i), []byte(`{"content":[{"id":7},{"id":""},{"id":null},[],"x"],"nextPageId":"`+strings.Repeat("p", 3)+`"}`))
		case 2:
			f.Add(uint16(i), []byte(`{"id":"x","primaryAssignment":{"job":{"id":"11111111-1111-4111-8111-111111111111"}},"secondaryAssignments":[{"job":{"id":9}}]}`))
		case 3:
			f.Add(uint16(i), []byte(`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`))
		}
	}
	f.Fuzz(func(t *testing.T, which uint16, body []byte) {
		ft := &fuzzTransport{f: fx, route: fx.keys[int(which)%len(fx.keys)], body: body}
		alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer alloc.AssertSize(t, 0)
		cfg := sr.DefaultConfig()
		cfg.BaseURL, cfg.Token, cfg.RateLimit, cfg.Retries = "http://sr.test", "token", 0, -1
		cfg.HTTPClient = &http.Client{Transport: ft}
		cfg.Workers, cfg.BatchRows = 2, 7
		e, err := sr.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m := srmap.New("fuzz", srmap.WithAllocator(alloc))
		defer m.Release()
		out := &checkEmitter{t: t}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var failed error
		for rec, err := range e.Extract(ctx, extract.Request{Mode: extract.Full, Alloc: alloc}) {
			if err != nil {
				failed = err
				break
			}
			for _, d := range extract.Docs(rec) {
				if !json.Valid(d.Body) || d.Body[0] != '{' {
					t.Fatalf("%s %q: body is not a JSON object: %.200q", d.Kind, d.Key, d.Body)
				}
			}
			err := m.Map(ctx, rec, out, nopSkipper{})
			rec.Release()
			if err != nil {
				t.Fatalf("Map: %v", err)
			}
			if ft.requests.Load() > 2000 {
				t.Fatalf("the extraction does not end: %d requests", ft.requests.Load())
			}
		}
		if failed != nil {
			if !errors.Is(failed, extract.ErrMalformed) && !errors.Is(failed, extract.ErrNotFound) {
				t.Fatalf("extraction failed with %v", failed)
			}
			return
		}
		if err := m.Finish(ctx, out, nopSkipper{}); err != nil {
			t.Fatalf("Finish: %v", err)
		}
	})
}

type checkEmitter struct{ t *testing.T }

func (c *checkEmitter) Emit(_ context.Context, table string, rec arrow.RecordBatch) error {
	tbl := schemas.MustLookup(table)
	if !rec.Schema().Equal(tbl.Schema()) {
		c.t.Fatalf("%s: emitted schema differs", table)
	}
	for _, col := range []string{"id", "remote_id"} {
		if rec.Column(tbl.MustCol(col)).NullN() > 0 {
			c.t.Fatalf("%s: NULL %s", table, col)
		}
	}
	return nil
}

type nopSkipper struct{}

func (nopSkipper) Skip(table, remoteID, endpoint string, err error) {}
