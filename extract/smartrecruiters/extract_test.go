package smartrecruiters

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const (
	job1  = "11111111-1111-4111-8111-111111111111"
	job2  = "22222222-2222-4222-8222-222222222222"
	cand1 = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
	cand2 = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
	cand3 = "cccccccc-cccc-4ccc-8ccc-cccccccccccc"
)

var watermark = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// testConfig is a fast configuration: no rate limit, quick retries.
func testConfig(baseURL string) Config {
	return Config{
		BaseURL:      baseURL,
		Token:        testToken,
		Concurrency:  4,
		Retries:      1,
		BackoffFirst: time.Millisecond,
		BackoffMax:   2 * time.Millisecond,
		Timeout:      10 * time.Second,
	}
}

func newExtractor(t testing.TB, cfg Config) *Extractor {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// result is what one extraction yielded.
type result struct {
	docs  []extract.Doc
	sizes []int // rows per record
	err   error
}

// collect runs an extraction to its end, copying the documents out and
// releasing every record; it checks the allocator is empty afterwards.
func collect(t testing.TB, ctx context.Context, e *Extractor, req extract.Request) result {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	req.Alloc = alloc
	var res result
	for rec, err := range e.Extract(ctx, req) {
		if err != nil {
			if rec != nil {
				t.Error("record yielded with an error")
			}
			if res.err != nil {
				t.Error("two errors yielded")
			}
			res.err = err
			continue
		}
		if res.err != nil {
			t.Error("record yielded after an error")
		}
		if !rec.Schema().Equal(extract.DocSchema) {
			t.Errorf("schema %v", rec.Schema())
		}
		for _, d := range extract.Docs(rec) {
			res.docs = append(res.docs, extract.Doc{Kind: d.Kind, Key: d.Key, Body: bytes.Clone(d.Body)})
		}
		res.sizes = append(res.sizes, int(rec.NumRows()))
		rec.Release()
	}
	return res
}

// format renders documents one per line: kind, key, body.
func format(docs []extract.Doc) []byte {
	var b bytes.Buffer
	for _, d := range docs {
		fmt.Fprintf(&b, "%s %s %s\n", d.Kind, d.Key, d.Body)
	}
	return b.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := "testdata/" + name
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			g, w := "", ""
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got: %.400s\nwant: %.400s\n(run with -update if intended)", path, i+1, g, w)
			}
		}
	}
}

// bodyKeys are the keys of each kind's body, in order (docs.go).
var bodyKeys = map[string][]string{
	KindSystemRole:      {PathSystemRoles},
	KindUser:            {PathUsers},
	KindHiringProcess:   {PathHiringProcesses},
	KindRejectionReason: {PathRejectionReasons},
	KindJob:             {PathJobs, PathJob, PathJobHiringTeam, PathJobAds, PathJobStatusHistory},
	KindPosting:         {PathPostings, PathPostingConfiguration},
	KindCandidate:       {PathCandidates, PathCandidate},
	KindApplication: {"_candidateId", "_jobId", PathApplication, PathApplicationHistory, PathScreeningAnswers,
		PathApplicationProperties, PathOffers, PathInterviews},
	extract.KindListComplete: {},
	extract.KindSkipped:      {"endpoint", "error"},
}

// members decodes a JSON object keeping its key order and raw values.
func members(t *testing.T, body []byte) ([]string, map[string]json.RawMessage) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("body is not an object: %.200s", body)
	}
	var keys []string
	vals := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		vals[tok.(string)] = v
	}
	return keys, vals
}

// checkDocs checks every document independently of the golden file: body
// keys in docs.go order, detail values byte-equal to what the server sent,
// phases and markers in emission order, application docs right after their
// candidate.
func checkDocs(t *testing.T, tn *tenant, docs []extract.Doc) {
	t.Helper()
	phase := []string{KindSystemRole, KindUser, KindHiringProcess, KindRejectionReason, KindJob, KindPosting, KindCandidate}
	lists := []string{ListSystemRoles, ListUsers, ListHiringProcesses, ListRejectionReasons, ListJobs, ListPostings, ListCandidates}
	p := 0
	lastCandidate := ""
	for i, d := range docs {
		keys, vals := members(t, d.Body)
		if want := bodyKeys[d.Kind]; !slices.Equal(keys, want) {
			t.Errorf("doc %d %s %s: keys %q, want %q", i, d.Kind, d.Key, keys, want)
			continue
		}
		if p >= len(phase) {
			t.Fatalf("doc %d %s %s after the last list", i, d.Kind, d.Key)
		}
		switch d.Kind {
		case extract.KindListComplete:
			if d.Key != lists[p] {
				t.Errorf("doc %d: marker %q, want %q", i, d.Key, lists[p])
			}
			p++
			continue
		case KindApplication:
			if phase[p] != KindCandidate || !strings.HasPrefix(d.Key, lastCandidate+":") {
				t.Errorf("doc %d: application %s not after its candidate (last %q)", i, d.Key, lastCandidate)
			}
		case KindCandidate:
			lastCandidate = d.Key
		case extract.KindSkipped:
		default:
			if d.Kind != phase[p] {
				t.Errorf("doc %d: %s %s in the %s phase", i, d.Kind, d.Key, phase[p])
			}
		}
		want := map[string]string{}
		switch d.Kind {
		case KindJob:
			base := "/jobs/" + d.Key
			want = map[string]string{PathJob: base, PathJobHiringTeam: base + "/hiring-team", PathJobAds: base + "/jobads", PathJobStatusHistory: base + "/status/history"}
		case KindCandidate:
			want = map[string]string{PathCandidate: "/candidates/" + d.Key}
		case KindApplication:
			cid, jid, _ := strings.Cut(d.Key, ":")
			base := "/candidates/" + cid + "/jobs/" + jid
			want = map[string]string{PathApplication: base, PathApplicationHistory: base + "/status/history",
				PathScreeningAnswers: base + "/screening-answers", PathApplicationProperties: base + "/properties", PathOffers: base + "/offers"}
			var c3 struct{ ApplicationID string }
			json.Unmarshal(vals[PathApplication], &c3)
			want[PathInterviews] = PathInterviews + "?applicationId=" + c3.ApplicationID
			if string(vals["_candidateId"]) != `"`+cid+`"` || string(vals["_jobId"]) != `"`+jid+`"` {
				t.Errorf("doc %d: context %s %s", i, vals["_candidateId"], vals["_jobId"])
			}
		}
		for k, route := range want {
			if !bytes.Equal(vals[k], tn.body(route)) {
				t.Errorf("doc %d %s %s: %s is not the bytes served for %s", i, d.Kind, d.Key, k, route)
			}
		}
	}
	if p != len(phase) {
		t.Errorf("%d list markers, want %d", p, len(phase))
	}
}

// kindsKeys lists "kind key" of every document.
func kindsKeys(docs []extract.Doc) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.Kind + " " + d.Key
	}
	return out
}

func TestExtractGolden(t *testing.T) {
	cases := []struct {
		name   string
		req    extract.Request
		golden string
		// the J1 and C1 routes that must be read
		lists []string
	}{
		{"full", extract.Request{Mode: extract.Full, UpdatedAfter: watermark}, "full.golden", []string{
			"/jobs?limit=100&sort=job_id", "/jobs?limit=100&pageId=j-p2&sort=job_id", "/jobs?limit=100&pageId=j-p3&sort=job_id",
			"/candidates?limit=100", "/candidates?limit=100&pageId=c-p2",
			"/v1/companies/AcmeCorp/postings?limit=100&offset=0", "/v1/companies/AcmeCorp/postings?limit=100&offset=1",
			"/user-api/v201804/users?limit=100", "/user-api/v201804/users?limit=100&pageId=u-p2",
		}},
		{"incremental", extract.Request{Mode: extract.Incremental, UpdatedAfter: watermark.Add(999 * time.Microsecond)}, "incremental.golden", []string{
			"/jobs?limit=100&sort=job_id&updatedAfter=2024-03-01T00:00:00.000Z", "/jobs?limit=100&pageId=ji-p2&sort=job_id&updatedAfter=2024-03-01T00:00:00.000Z",
			"/candidates?limit=100&updatedAfter=2024-03-01T00:00:00.000Z", "/candidates?limit=100&pageId=ci-p2&updatedAfter=2024-03-01T00:00:00.000Z",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tn := loadTenant(t)
			srv := tn.start()
			res := collect(t, t.Context(), newExtractor(t, testConfig(srv.URL)), tc.req)
			if res.err != nil {
				t.Fatal(res.err)
			}
			if m := tn.missingRoutes(); len(m) > 0 {
				t.Errorf("requests to routes the fixture lacks: %q", m)
			}
			for _, l := range tc.lists {
				if n := tn.hitCount(l); n != 1 {
					t.Errorf("%s read %d times, want 1", l, n)
				}
			}
			// Every detail once: duplicates were dropped before their details were read.
			for route, n := range tn.allHits() {
				if n != 1 {
					t.Errorf("%s read %d times", route, n)
				}
			}
			checkDocs(t, tn, res.docs)
			golden(t, tc.golden, format(res.docs))
		})
	}
}

func TestIncrementalDedupe(t *testing.T) {
	tn := loadTenant(t)
	srv := tn.start()
	res := collect(t, t.Context(), newExtractor(t, testConfig(srv.URL)), extract.Request{Mode: extract.Incremental, UpdatedAfter: watermark})
	if res.err != nil {
		t.Fatal(res.err)
	}
	var jobs, cands []string
	for _, d := range res.docs {
		switch d.Kind {
		case KindJob:
			jobs = append(jobs, d.Key)
		case KindCandidate:
			cands = append(cands, d.Key)
		}
	}
	// J1 returns job2, job1, job2; C1 returns cand3, cand1, cand1, cand2.
	if want := []string{job2, job1}; !slices.Equal(jobs, want) {
		t.Errorf("jobs %q, want %q", jobs, want)
	}
	if want := []string{cand3, cand1, cand2}; !slices.Equal(cands, want) {
		t.Errorf("candidates %q, want %q", cands, want)
	}
	if n := tn.hitCount("/jobs?limit=100&sort=job_id"); n != 0 {
		t.Errorf("incremental run read the full job list %d times", n)
	}
}

func TestBatches(t *testing.T) {
	tn := loadTenant(t)
	srv := tn.start()
	base := collect(t, t.Context(), newExtractor(t, testConfig(srv.URL)), extract.Request{})
	if base.err != nil {
		t.Fatal(base.err)
	}
	for _, rows := range []int{1, 3, 4, 1000} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			cfg := testConfig(srv.URL)
			cfg.BatchRows = rows
			res := collect(t, t.Context(), newExtractor(t, cfg), extract.Request{})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if !bytes.Equal(format(res.docs), format(base.docs)) {
				t.Fatal("batching changed the documents")
			}
			// Records hold at most rows documents and a list marker always closes its record.
			i := 0
			for _, n := range res.sizes {
				if n > rows || n == 0 {
					t.Errorf("record of %d rows", n)
				}
				for j := i; j < i+n-1; j++ {
					if res.docs[j].Kind == extract.KindListComplete {
						t.Errorf("marker %s in the middle of a record", res.docs[j].Key)
					}
				}
				i += n
			}
		})
	}
}

func TestOAuth(t *testing.T) {
	tn := loadTenant(t)
	tn.oauth = true
	srv := tn.start()
	cfg := testConfig(srv.URL)
	cfg.Token, cfg.ClientID, cfg.ClientSecret = "", testClientID, testClientSecret
	res := collect(t, t.Context(), newExtractor(t, cfg), extract.Request{})
	if res.err != nil {
		t.Fatal(res.err)
	}
	checkDocs(t, tn, res.docs)
	if n := tn.tokenCalls(); n != 1 {
		t.Errorf("%d token calls, want 1", n)
	}

	cfg.ClientSecret = "wrong-s3cr3t"
	res = collect(t, t.Context(), newExtractor(t, cfg), extract.Request{})
	if !errors.Is(res.err, extract.ErrUnauthorized) {
		t.Fatalf("wrong secret: %v, want ErrUnauthorized", res.err)
	}
	if strings.Contains(res.err.Error(), "wrong-s3cr3t") {
		t.Error("the secret appears in the error")
	}
}

// replaced returns base with the documents of record key (and, for a
// candidate, its applications) replaced by one skipped document.
func replaced(base []extract.Doc, kind, key string) []string {
	var out []string
	for i := 0; i < len(base); i++ {
		d := base[i]
		if d.Kind != kind || d.Key != key {
			out = append(out, d.Kind+" "+d.Key)
			continue
		}
		out = append(out, extract.KindSkipped+" "+key)
		for kind == KindCandidate && i+1 < len(base) && base[i+1].Kind == KindApplication {
			i++
		}
	}
	return out
}

func TestPerRecordFailures(t *testing.T) {
	app := "/candidates/" + cand1 + "/jobs/" + job2
	cases := []struct {
		name     string
		route    string
		status   int
		body     string
		kind     string // the record replaced by a skipped document
		key      string
		endpoint string
	}{
		{"job 404", "/jobs/" + job1, 404, `{"message":"gone","errors":[{"code":"JOB_NOT_FOUND","message":"gone"}]}`, KindJob, job1, PathJob},
		{"hiring team 403", "/jobs/" + job2 + "/hiring-team", 403, `{"message":"no access"}`, KindJob, job2, PathJobHiringTeam},
		{"job ads not an array", "/jobs/" + job2 + "/jobads", 200, `{"content":[]}`, KindJob, job2, PathJobAds},
		{"job history not JSON", "/jobs/" + job1 + "/status/history", 200, `<html>oops</html>`, KindJob, job1, PathJobStatusHistory},
		{"posting configuration not JSON", "/postings/3f5b0000-0000-4000-8000-000000000002/configuration", 200, `{"questions":[`, KindPosting, "7430000000000002", PathPostingConfiguration},
		{"candidate 401", "/candidates/" + cand2, 401, `{"message":"no access to this candidate"}`, KindCandidate, cand2, PathCandidate},
		{"candidate assignments malformed", "/candidates/" + cand1, 200, `{"id":"x","secondaryAssignments":5}`, KindCandidate, cand1, PathCandidate},
		{"candidate assignment without job", "/candidates/" + cand3, 200, `{"primaryAssignment":{"status":"NEW"}}`, KindCandidate, cand3, PathCandidate},
		{"application 404", app, 404, `{"message":"not found"}`, KindApplication, cand1 + ":" + job2, PathApplication},
		{"application without applicationId", app, 200, `{"candidateId":"x"}`, KindApplication, cand1 + ":" + job2, PathApplication},
		{"offers not JSON", app + "/offers", 200, `not json`, KindApplication, cand1 + ":" + job2, PathOffers},
		{"answers content not an array", app + "/screening-answers", 200, `{"content":{}}`, KindApplication, cand1 + ":" + job2, PathScreeningAnswers},
		{"interviews 403", "/interviews-api/v201904/interviews?applicationId=app-1-2", 403, `{}`, KindApplication, cand1 + ":" + job2, PathInterviews},
	}
	tn := loadTenant(t)
	srv := tn.start()
	base := collect(t, t.Context(), newExtractor(t, testConfig(srv.URL)), extract.Request{})
	if base.err != nil {
		t.Fatal(base.err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tn := loadTenant(t)
			tn.set(tc.route, tc.status, tc.body)
			srv := tn.start()
			var logs bytes.Buffer
			cfg := testConfig(srv.URL)
			cfg.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
			res := collect(t, t.Context(), newExtractor(t, cfg), extract.Request{})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if got, want := kindsKeys(res.docs), replaced(base.docs, tc.kind, tc.key); !slices.Equal(got, want) {
				t.Fatalf("documents\n got %q\nwant %q", got, want)
			}
			for _, d := range res.docs {
				if d.Kind != extract.KindSkipped {
					continue
				}
				var b struct{ Endpoint, Error string }
				if err := json.Unmarshal(d.Body, &b); err != nil {
					t.Fatal(err)
				}
				if b.Endpoint != tc.endpoint || b.Error == "" {
					t.Errorf("skipped body %s, want endpoint %s", d.Body, tc.endpoint)
				}
			}
			if !strings.Contains(logs.String(), "endpoint="+tc.endpoint) || !strings.Contains(logs.String(), "id="+tc.key) {
				t.Errorf("log lacks the endpoint or id: %s", logs.String())
			}
			if strings.Contains(logs.String(), testToken) {
				t.Error("the token appears in the log")
			}
			// Every other document is unchanged.
			want := map[string][]byte{}
			for _, d := range base.docs {
				want[d.Kind+" "+d.Key] = d.Body
			}
			for _, d := range res.docs {
				if d.Kind != extract.KindSkipped && !bytes.Equal(d.Body, want[d.Kind+" "+d.Key]) {
					t.Errorf("%s %s changed", d.Kind, d.Key)
				}
			}
		})
	}
}

func TestFatalFailures(t *testing.T) {
	cases := []struct {
		name    string
		route   string
		status  int
		body    string
		token   string
		wantMsg string
		wantErr error
	}{
		{"candidate page 2 keeps failing", "/candidates?limit=100&pageId=c-p2", 500, `{"message":"boom"}`, "",
			"extract /candidates page 2: ", extract.ErrRetriesExhausted},
		{"job page missing content", "/jobs?limit=100&pageId=j-p3&sort=job_id", 200, `{"totalFound":2}`, "",
			"extract /jobs page 3: ", extract.ErrMalformed},
		{"user page not JSON", "/user-api/v201804/users?limit=100&pageId=u-p2", 200, `<html>`, "",
			"extract /user-api/v201804/users page 2: ", extract.ErrMalformed},
		{"system roles missing content", "/user-api/v201804/system-roles", 200, `{"totalFound":0}`, "",
			"extract /user-api/v201804/system-roles page 1: ", extract.ErrMalformed},
		{"hiring process without id", "/configuration/hiring-processes", 200, `{"content":[{"name":"x"}]}`, "",
			"extract /configuration/hiring-processes page 1: item 1: ", extract.ErrMalformed},
		{"rejection reasons 503", "/configuration/rejection-reasons", 503, ``, "",
			"extract /configuration/rejection-reasons page 1: ", extract.ErrRetriesExhausted},
		{"postings page 2 403", "/v1/companies/AcmeCorp/postings?limit=100&offset=1", 403, `{}`, "",
			"extract /v1/companies/{identifier}/postings page 2: ", extract.ErrForbidden},
		{"company without identifier", "/configuration/company", 200, `{}`, "",
			"extract /configuration/company: ", extract.ErrMalformed},
		{"job detail keeps failing", "/jobs/" + job2, 502, ``, "",
			"extract /jobs/{jobId} " + job2 + ": ", extract.ErrRetriesExhausted},
		{"application offers keep failing", "/candidates/" + cand2 + "/jobs/" + job1 + "/offers", 500, ``, "",
			"extract /candidates/{id}/jobs/{jobId}/offers " + cand2 + ":" + job1 + ": ", extract.ErrRetriesExhausted},
		{"bad token", "", 0, "", "wrong-t0ken",
			"extract /user-api/v201804/system-roles page 1: ", extract.ErrUnauthorized},
	}
	tn := loadTenant(t)
	srv := tn.start()
	base := collect(t, t.Context(), newExtractor(t, testConfig(srv.URL)), extract.Request{})
	if base.err != nil {
		t.Fatal(base.err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tn := loadTenant(t)
			if tc.route != "" {
				tn.set(tc.route, tc.status, tc.body)
			}
			srv := tn.start()
			cfg := testConfig(srv.URL)
			if tc.token != "" {
				cfg.Token = tc.token
			}
			res := collect(t, t.Context(), newExtractor(t, cfg), extract.Request{})
			if res.err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(res.err.Error(), tc.wantMsg) || !errors.Is(res.err, tc.wantErr) {
				t.Errorf("error %q, want prefix %q matching %v", res.err, tc.wantMsg, tc.wantErr)
			}
			if strings.Contains(res.err.Error(), cfg.Token) {
				t.Error("the token appears in the error")
			}
			// What came before the error is a prefix of a good run, in order.
			if got := format(res.docs); !bytes.HasPrefix(format(base.docs), got) {
				t.Errorf("documents before the error are not a prefix of a full run:\n%s", got)
			}
		})
	}
}

// TestRevokedCredentials: credentials rejected after the last list page turn
// every later detail call into a 401; that is not a per-record failure.
func TestRevokedCredentials(t *testing.T) {
	tn := loadTenant(t)
	tn.revokeAfter = norm("/candidates?limit=100&pageId=c-p2")
	srv := tn.start()
	res := collect(t, t.Context(), newExtractor(t, testConfig(srv.URL)), extract.Request{})
	if !errors.Is(res.err, extract.ErrUnauthorized) || !strings.Contains(res.err.Error(), "credentials rejected") {
		t.Fatalf("error %v, want credentials rejected (ErrUnauthorized)", res.err)
	}
	if s := seen(res.docs, extract.KindSkipped); !slices.Contains(s, cand3) {
		t.Errorf("skipped %q, want %s among them", s, cand3)
	}
}

func TestBadRequest(t *testing.T) {
	e := newExtractor(t, testConfig("http://127.0.0.1:1"))
	res := collect(t, t.Context(), e, extract.Request{Mode: "sometimes"})
	if res.err == nil || !strings.Contains(res.err.Error(), "sometimes") {
		t.Errorf("unknown mode: %v", res.err)
	}
}

func TestNewValidates(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
	}{
		{"no base URL", Config{Token: "s3cr3t-a"}},
		{"no credentials", Config{BaseURL: "http://x"}},
		{"both methods", Config{BaseURL: "http://x", Token: "s3cr3t-a", ClientID: "id", ClientSecret: "s3cr3t-b"}},
		{"client id only", Config{BaseURL: "http://x", ClientID: "id"}},
		{"client secret only", Config{BaseURL: "http://x", ClientSecret: "s3cr3t-b"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("err %v, want ErrConfig", err)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Error("a secret appears in the error")
			}
		})
	}
	for _, cfg := range []Config{{BaseURL: "http://x", Token: "t"}, {BaseURL: "http://x", ClientID: "i", ClientSecret: "s"}} {
		if _, err := New(cfg); err != nil {
			t.Errorf("%+v: %v", cfg.BaseURL, err)
		}
	}
}

// ourGoroutines returns the stacks of goroutines running this package's or
// the client's code, other than test code.
func ourGoroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "atslake/atslake/extract") && !strings.Contains(g, "_test.go") {
			out = append(out, g)
		}
	}
	return out
}

// noLeaks waits until no goroutine of ours is left.
func noLeaks(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		g := ourGoroutines()
		if len(g) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left, first:\n%s", len(g), g[0])
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestStopAndCancel(t *testing.T) {
	s := newSynth(500)
	srv := httptest.NewServer(s)
	defer srv.Close()
	cfg := testConfig(srv.URL)
	cfg.BatchRows = 1
	e := newExtractor(t, cfg)
	noLeaks(t)

	for _, stopAt := range []int{1, 20, 400} {
		t.Run(fmt.Sprint("stop after ", stopAt), func(t *testing.T) {
			alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
			n := 0
			for rec, err := range e.Extract(t.Context(), extract.Request{Alloc: alloc}) {
				if err != nil {
					t.Fatal(err)
				}
				rec.Release()
				if n++; n == stopAt {
					break
				}
			}
			if n != stopAt {
				t.Fatalf("%d records", n)
			}
			noLeaks(t)
			alloc.AssertSize(t, 0)
		})
		t.Run(fmt.Sprint("cancel after ", stopAt), func(t *testing.T) {
			alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			n, after := 0, 0
			var got error
			for rec, err := range e.Extract(ctx, extract.Request{Alloc: alloc}) {
				if err != nil {
					got = err
					continue
				}
				rec.Release()
				if ctx.Err() != nil {
					after++
				}
				if n++; n == stopAt {
					cancel()
				}
			}
			if !errors.Is(got, context.Canceled) {
				t.Errorf("error %v, want context.Canceled", got)
			}
			if after > 0 {
				t.Errorf("%d records after cancellation", after)
			}
			noLeaks(t)
			alloc.AssertSize(t, 0)
		})
	}
}

func TestBoundedReadAhead(t *testing.T) {
	s := newSynth(300)
	srv := httptest.NewServer(s)
	defer srv.Close()
	cfg := testConfig(srv.URL)
	cfg.ReadAhead = 10
	cfg.Workers = 4
	cfg.BatchRows = 1
	e := newExtractor(t, cfg)

	// Stall the consumer on the first candidate; details flow meanwhile.
	var candidates int
	for rec, err := range e.Extract(t.Context(), extract.Request{}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range extract.Docs(rec) {
			if d.Kind == KindCandidate {
				if candidates++; candidates == 1 {
					// The consumer holds the first candidate: details of at most
					// ReadAhead more may be fetched, and that many are.
					want := cfg.ReadAhead + 1
					deadline := time.Now().Add(5 * time.Second)
					for s.detailCount() < want && time.Now().Before(deadline) {
						time.Sleep(time.Millisecond)
					}
					time.Sleep(50 * time.Millisecond)
					if n := s.detailCount(); n != want {
						t.Errorf("%d candidates fetched while the consumer held the first, want %d", n, want)
					}
				}
			}
		}
		rec.Release()
	}
	if candidates != s.n {
		t.Errorf("%d candidates, want %d", candidates, s.n)
	}
}

func TestConcurrencyCaps(t *testing.T) {
	s := newSynth(250)
	s.latency = 2 * time.Millisecond
	srv := httptest.NewServer(s)
	defer srv.Close()
	cfg := testConfig(srv.URL)
	cfg.Concurrency = 8
	e := newExtractor(t, cfg)
	res := collect(t, t.Context(), e, extract.Request{})
	if res.err != nil {
		t.Fatal(res.err)
	}
	if got := s.maxInFlight(""); got != cfg.Concurrency {
		t.Errorf("at most %d requests in flight, want the cap %d reached and kept", got, cfg.Concurrency)
	}
	if got := s.maxInFlight(PathCandidates); got != 1 {
		t.Errorf("%d candidate-list requests in flight at once, want 1", got)
	}
	apps := 0
	for _, d := range res.docs {
		if d.Kind == KindApplication {
			apps++
		}
	}
	if apps != s.n {
		t.Errorf("%d applications, want %d", apps, s.n)
	}
}
