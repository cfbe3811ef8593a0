package phenom

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/extract"
)

// doc is a copy of an extracted document.
type doc struct{ kind, key, body string }

// run extracts everything with a checked allocator and returns the documents.
func run(t *testing.T, e *Extractor) ([]doc, error) {
	t.Helper()
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out []doc
	for rec, err := range e.Extract(ctx, extract.Request{Mode: extract.Full, Alloc: alloc}) {
		if err != nil {
			return out, err
		}
		if !rec.Schema().Equal(extract.DocSchema) {
			t.Fatalf("record schema %v", rec.Schema())
		}
		for _, d := range extract.Docs(rec) {
			out = append(out, doc{d.Kind, d.Key, string(d.Body)})
		}
		rec.Release()
	}
	return out, nil
}

func mustNew(t *testing.T, cfg Config) *Extractor {
	t.Helper()
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// items returns n generated list items with the given key field.
func items(field, prefix string, n int) []json.RawMessage {
	out := make([]json.RawMessage, n)
	for i := range out {
		out[i] = json.RawMessage(fmt.Sprintf(`{"%s":"%s%d","title":"t %d"}`, field, prefix, i, i))
	}
	return out
}

// wantDocs is the document stream the spec prescribes for the given lists.
func wantDocs(jobs, apps []json.RawMessage, keyOf func(json.RawMessage, string) string) []doc {
	var out []doc
	for _, j := range jobs {
		out = append(out, doc{KindJob, keyOf(j, "jobId"), `{"` + PathJobs + `":` + string(j) + `}`})
	}
	out = append(out, doc{extract.KindListComplete, ListJobs, "{}"})
	for _, a := range apps {
		out = append(out, doc{KindApplication, keyOf(a, "applicationId"), `{"` + PathApplications + `":` + string(a) + `}`})
	}
	return append(out, doc{extract.KindListComplete, ListApplications, "{}"})
}

func keyOf(item json.RawMessage, field string) string {
	var m map[string]any
	if err := json.Unmarshal(item, &m); err != nil {
		panic(err)
	}
	switch v := m[field].(type) {
	case string:
		return v
	case float64:
		return fmt.Sprint(v)
	}
	panic("no key")
}

func compareDocs(t *testing.T, got, want []doc) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d documents, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("document %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// pageRequests returns the offsets requested for path, in order.
func pageRequests(t *testing.T, log []string, path string) []string {
	t.Helper()
	var out []string
	for _, l := range log {
		_, uri, _ := strings.Cut(l, " ")
		u, err := url.Parse(uri)
		if err != nil {
			t.Fatal(err)
		}
		if u.Path != path {
			continue
		}
		q := u.Query()
		if q.Get("limit") != "100" {
			t.Errorf("%s: limit %q, want 100", uri, q.Get("limit"))
		}
		if path == PathJobs && q.Get("siteType") != "external" {
			t.Errorf("%s: siteType %q, want external", uri, q.Get("siteType"))
		}
		out = append(out, q.Get("offset"))
	}
	return out
}

func TestPaging(t *testing.T) {
	for _, c := range []struct {
		name              string
		jobs, apps        int
		noTotal           bool
		jobPages, appPage string
	}{
		{name: "empty", jobs: 0, apps: 0, jobPages: "0", appPage: "0"},
		{name: "one page each", jobs: 3, apps: 7, jobPages: "0", appPage: "0"},
		{name: "jobs exact multiple stop on total", jobs: 200, apps: 100, jobPages: "0,100", appPage: "0,100"},
		{name: "several pages", jobs: 250, apps: 301, jobPages: "0,100,200", appPage: "0,100,200,300"},
		{name: "applications exact multiple end with an empty page", jobs: 1, apps: 300, jobPages: "0", appPage: "0,100,200,300"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.jobs, f.apps, f.noTotal = items("jobId", "J", c.jobs), items("applicationId", "A", c.apps), c.noTotal
			e := mustNew(t, f.config())
			got, err := run(t, e)
			if err != nil {
				t.Fatal(err)
			}
			compareDocs(t, got, wantDocs(f.jobs, f.apps, keyOf))
			log := f.log()
			if p := strings.Join(pageRequests(t, log, PathJobs), ","); p != c.jobPages {
				t.Errorf("job offsets %s, want %s", p, c.jobPages)
			}
			if p := strings.Join(pageRequests(t, log, PathApplications), ","); p != c.appPage {
				t.Errorf("application offsets %s, want %s", p, c.appPage)
			}
			if e.TokenRefreshes() != 1 {
				t.Errorf("token refreshes %d, want 1", e.TokenRefreshes())
			}
			if s := e.Stats(); s.Requests != int64(len(log)) {
				t.Errorf("stats requests %d, server saw %d", s.Requests, len(log))
			}
		})
	}
}

func TestPagingWithoutTotalStopsOnShortPage(t *testing.T) {
	f := newFake(t)
	f.noTotal = true
	f.jobs = items("jobId", "J", 150)
	_, err := run(t, mustNew(t, f.config()))
	if err != nil {
		t.Fatal(err)
	}
	// Without a total on the jobs reply the list must still end (on the short page).
	if p := strings.Join(pageRequests(t, f.log(), PathJobs), ","); p != "0,100" {
		t.Errorf("job offsets %s, want 0,100", p)
	}
}

func TestFixtures(t *testing.T) {
	f := newFake(t)
	for name, dst := range map[string]*[]json.RawMessage{"testdata/jobs.json": &f.jobs, "testdata/applications.json": &f.apps} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatal(err)
		}
	}
	cfg := f.config()
	cfg.SiteType = "internal"
	cfg.BatchRows = 2 // several records
	e := mustNew(t, cfg)
	got, err := run(t, e)
	if err != nil {
		t.Fatal(err)
	}
	want := wantDocs(f.jobs, f.apps, keyOf)
	compareDocs(t, got, want)
	// every locale duplicate kept, numeric ids as their JSON text
	if got[0].key != "J100" || got[1].key != "J100" || got[2].key != "101" {
		t.Errorf("keys %q %q %q", got[0].key, got[1].key, got[2].key)
	}
	for _, d := range got {
		if !json.Valid([]byte(d.body)) {
			t.Errorf("body of %s %s is not JSON: %s", d.kind, d.key, d.body)
		}
	}
	for _, l := range f.log() {
		if strings.Contains(l, PathJobs) && !strings.Contains(l, "siteType=internal") {
			t.Errorf("request %s does not ask for the configured site type", l)
		}
	}
}

func TestItemsWithoutKey(t *testing.T) {
	f := newFake(t)
	f.jobs = []json.RawMessage{json.RawMessage(`{"jobId":"J1"}`), json.RawMessage(`{"title":"no id"}`),
		json.RawMessage(`{"jobId":"  "}`), json.RawMessage(`{"jobId":true}`), json.RawMessage(`[1]`), json.RawMessage(`{"jobId":"J2"}`)}
	f.apps = []json.RawMessage{json.RawMessage(`{"applicationId":"A1"}`)}
	got, err := run(t, mustNew(t, f.config()))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, d := range got {
		kinds = append(kinds, d.kind+":"+d.key)
		if d.kind == extract.KindSkipped {
			var b struct{ Endpoint, Error string }
			if err := json.Unmarshal([]byte(d.body), &b); err != nil || b.Endpoint != PathJobs || b.Error == "" {
				t.Errorf("skipped body %s", d.body)
			}
		}
	}
	// The jobs list was not read completely: no marker for it.
	want := "job:J1,_skipped:,_skipped:,_skipped:,_skipped:,job:J2,application:A1,_list_complete:applications"
	if g := strings.Join(kinds, ","); g != want {
		t.Errorf("documents\n got %s\nwant %s", g, want)
	}
}

func TestTokenExpiryRefresh(t *testing.T) {
	f := newFake(t)
	f.ttl = 500 * time.Millisecond             // exp with fractional seconds
	f.jobs = items("jobId", "J", 1000)         // 10 pages
	f.apps = items("applicationId", "A", 1000) // 11 pages
	f.onAPI = func(*http.Request) { time.Sleep(40 * time.Millisecond) }
	e := mustNew(t, f.config())
	start := time.Now()
	got, err := run(t, e)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2002 {
		t.Fatalf("%d documents", len(got))
	}
	// An 800 ms token is used for at most 400 ms: 21 calls of >= 40 ms need
	// several tokens, and no call may have met an expired one (a 401 would
	// count as a retry).
	elapsed := time.Since(start)
	n := e.TokenRefreshes()
	if minTokens := int64(elapsed / (600 * time.Millisecond)); n < minTokens || n < 2 {
		t.Errorf("token refreshes %d in %v", n, elapsed)
	}
	if s := e.Stats(); s.Retries != 0 {
		t.Errorf("retries %d: a token was used after its expiry", s.Retries)
	}
}

func TestUnauthorizedOnceRefreshes(t *testing.T) {
	f := newFake(t)
	f.jobs = items("jobId", "J", 5)
	f.reject401.Store(1)
	e := mustNew(t, f.config())
	got, err := run(t, e)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 7 {
		t.Errorf("%d documents, want 7", len(got))
	}
	if e.TokenRefreshes() != 2 {
		t.Errorf("token refreshes %d, want 2", e.TokenRefreshes())
	}
}

func TestUnauthorizedTwiceFails(t *testing.T) {
	f := newFake(t)
	f.jobs = items("jobId", "J", 5)
	f.reject401.Store(1000)
	e := mustNew(t, f.config())
	_, err := run(t, e)
	if !errors.Is(err, extract.ErrUnauthorized) {
		t.Fatalf("error %v, want ErrUnauthorized", err)
	}
	t.Log(err)
	for _, w := range []string{"extract phenom jobs", "page 1", "fresh token"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if e.TokenRefreshes() != 2 {
		t.Errorf("token refreshes %d, want 2 (one refresh after the 401)", e.TokenRefreshes())
	}
	if n := len(pageRequests(t, f.log(), PathJobs)); n != 2 {
		t.Errorf("%d job requests, want 2", n)
	}
	assertNoSecret(t, err, f)
}

func assertNoSecret(t *testing.T, err error, f *fakePhenom) {
	t.Helper()
	if strings.Contains(err.Error(), f.clientSecret) {
		t.Errorf("error leaks the client secret: %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for tok := range f.tokens {
		if strings.Contains(err.Error(), tok) {
			t.Errorf("error leaks a token: %v", err)
		}
	}
}

func TestBadCredentials(t *testing.T) {
	f := newFake(t)
	cfg := f.config()
	cfg.ClientSecret = "wrong-secret-value"
	e := mustNew(t, cfg)
	_, err := run(t, e)
	if !errors.Is(err, extract.ErrUnauthorized) {
		t.Fatalf("error %v, want ErrUnauthorized", err)
	}
	t.Log(err)
	if !strings.Contains(err.Error(), "rejected client_id/client_secret") || strings.Contains(err.Error(), "fresh token") {
		t.Errorf("error %q does not say the credentials were rejected", err)
	}
	if strings.Contains(err.Error(), cfg.ClientSecret) {
		t.Errorf("error leaks the secret: %v", err)
	}
	if n := len(pageRequests(t, f.log(), PathJobs)); n != 0 {
		t.Errorf("%d job requests without a token", n)
	}
}

func TestTokenReplies(t *testing.T) {
	for _, c := range []struct {
		name  string
		reply func(jwt string) string
		err   error // nil = success
	}{
		{"accessToken first", func(j string) string { return fmt.Sprintf(`{"accessToken":%q,"token_type":"Bearer"}`, j) }, nil},
		{"other name", func(j string) string { return fmt.Sprintf(`{"jwt":%q}`, j) }, nil},
		{"access_token with expires_in first... no: token first", func(j string) string {
			return fmt.Sprintf(`{"access_token":%q,"expires_in":3600,"token_type":"Bearer"}`, j)
		}, nil},
		{"whitespace", func(j string) string { return fmt.Sprintf(" {\n \"t\" : %q , \"x\": {\"a\":[1]} }\n", j) }, nil},
		{"token not first", func(j string) string { return fmt.Sprintf(`{"token_type":"Bearer","accessToken":%q}`, j) }, extract.ErrMalformed},
		{"first property a number", func(j string) string { return `{"expires_in":3600}` }, extract.ErrMalformed},
		{"empty object", func(j string) string { return `{}` }, extract.ErrMalformed},
		{"array", func(j string) string { return fmt.Sprintf(`[%q]`, j) }, extract.ErrMalformed},
		{"not JSON", func(j string) string { return `token=` + j }, extract.ErrMalformed},
		{"not a JWT", func(j string) string { return `{"accessToken":"opaque"}` }, extract.ErrMalformed},
		{"not a JWT but expires_in", func(j string) string { return `{"accessToken":"opaque","expires_in":60}` }, nil},
		{"JWT without exp", func(j string) string { return fmt.Sprintf(`{"a":%q}`, makeJWT(`{"sub":"x"}`)) }, extract.ErrMalformed},
		{"JWT exp in the past", func(j string) string { return fmt.Sprintf(`{"a":%q}`, makeJWT(`{"exp":1000}`)) }, extract.ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.jobs = items("jobId", "J", 2)
			f.tokenReply = c.reply
			// The fake only accepts the JWTs it issued: accept every bearer for replies built without it.
			if c.err == nil && strings.Contains(c.reply("X"), "opaque") {
				f.mu.Lock()
				f.tokens["opaque"] = time.Now().Add(time.Hour)
				f.mu.Unlock()
			}
			e := mustNew(t, f.config())
			got, err := run(t, e)
			if c.err == nil {
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 4 {
					t.Errorf("%d documents, want 4", len(got))
				}
				return
			}
			if !errors.Is(err, c.err) {
				t.Fatalf("error %v, want %v", err, c.err)
			}
			t.Log(err)
			if !strings.Contains(err.Error(), "phenom token") {
				t.Errorf("error %q does not name the token call", err)
			}
			assertNoSecret(t, err, f)
		})
	}
}

func TestMalformedPages(t *testing.T) {
	for _, c := range []struct {
		name, path, body string
	}{
		{"jobs not JSON", PathJobs, `<html>gateway</html>`},
		{"jobs without data", PathJobs, `{"status":"success","totalRecordsCount":3}`},
		{"applications data not a list", PathApplications, `{"status":"success","data":{"a":1}}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.jobs = items("jobId", "J", 3)
			f.pageBody = func(path string, _ int) string {
				if path == c.path {
					return c.body
				}
				return ""
			}
			_, err := run(t, mustNew(t, f.config()))
			t.Log(err)
			if !errors.Is(err, extract.ErrMalformed) {
				t.Fatalf("error %v, want ErrMalformed", err)
			}
			list := map[string]string{PathJobs: "jobs", PathApplications: "applications"}[c.path]
			if !strings.Contains(err.Error(), "extract phenom "+list) {
				t.Errorf("error %q does not name the list", err)
			}
		})
	}
}

func TestNewValidates(t *testing.T) {
	ok := Config{BaseURL: "https://api.phenom.com", TokenURL: "https://auth.example.com/t", ClientID: "id", ClientSecret: "topsecret"}
	for _, c := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no base", func(c *Config) { c.BaseURL = "" }, "base_url"},
		{"no token url", func(c *Config) { c.TokenURL = " " }, "token_url"},
		{"no credentials", func(c *Config) { c.ClientID, c.ClientSecret = "", "" }, "client_id, client_secret"},
		{"bad url", func(c *Config) { c.BaseURL = "ftp://x" }, "base_url"},
	} {
		cfg := ok
		c.edit(&cfg)
		_, err := New(cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming %s", c.name, err, c.want)
		}
	}
	if _, err := New(ok); err != nil {
		t.Fatal(err)
	}
}

func TestStopEarlyReleases(t *testing.T) {
	f := newFake(t)
	f.jobs = items("jobId", "J", 300)
	cfg := f.config()
	cfg.BatchRows = 10
	e := mustNew(t, cfg)
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	n := 0
	for rec, err := range e.Extract(context.Background(), extract.Request{Alloc: alloc}) {
		if err != nil {
			t.Fatal(err)
		}
		rec.Release()
		if n++; n == 3 {
			break
		}
	}
	if got := len(pageRequests(t, f.log(), PathJobs)); got != 1 {
		t.Errorf("%d pages read after stopping in page 1", got)
	}
}
