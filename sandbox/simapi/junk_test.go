package simapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// Bodies shaped like the sandboxes' replies: a cursor page, an offset page,
// a detail, a top-level array and a scalar-only object.
var junkBodies = map[string]string{
	"cursor page": `{"totalFound":2,"nextPageId":"c2","content":[{"id":"a","name":"Ann","tags":["x","y"],"job":{"id":"j1","title":"Dev"}},{"id":"b","name":"Bo"}]}`,
	"offset page": `{"status":"success","offset":0,"limit":100,"totalRecordsCount":1,"data":[{"jobId":"J1","title":"Ingénieur 🚀","multiRecruiter":[{"recruiterEmail":"a@x.y"}]}]}`,
	"detail":      `{"id":"c1","firstName":"Ann","location":{"city":"Zürich","countryCode":"ch"},"primaryAssignment":{"job":{"id":"j1"}},"score":4.5,"ok":true,"none":null}`,
	"array":       `[{"id":"ad1","title":"Ad"}]`,
	"empty array": `[]`,
	"flat":        `{"identifier":"acme"}`,
}

// walk calls fn for every member (key, value) of every object in v.
func walk(v any, fn func(key string, val any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			fn(k, e)
			walk(e, fn)
		}
	case []any:
		for _, e := range x {
			walk(e, fn)
		}
	}
}

func decodeAny(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("junk is not JSON: %v\n%.300s", err, b)
	}
	return v
}

// ids returns the id members (key=value) of a decoded body.
func ids(v any) []string {
	var out []string
	walk(v, func(k string, val any) {
		if isID(k) {
			b, _ := json.Marshal(val)
			out = append(out, k+"="+string(b))
		}
	})
	slices.Sort(out)
	return out
}

func TestMakeJunk(t *testing.T) {
	for name, body := range junkBodies {
		orig := decodeAny(t, []byte(body))
		origIDs := strings.Join(ids(orig), ",")
		t.Run(name, func(t *testing.T) {
			for _, kind := range AllJunk {
				junk, ct, applied := MakeJunk(kind, []byte(body), 7, 1000)
				again, _, _ := MakeJunk(kind, []byte(body), 7, 1000)
				if !bytes.Equal(junk, again) {
					t.Errorf("%s: not deterministic", kind)
				}
				if bytes.Equal(junk, []byte(body)) {
					t.Errorf("%s: body unchanged", kind)
				}
				if applied != kind {
					// Only a kind with nothing to change falls back to not-json.
					if applied != JunkNotJSON || (kind != JunkMissingIDs && kind != JunkWrongTypes) || (kind == JunkMissingIDs && origIDs != "") {
						t.Errorf("%s applied as %s", kind, applied)
					}
					kind = applied
				}
				switch kind {
				case JunkNotJSON:
					if json.Valid(junk) || !strings.HasPrefix(ct, "text/html") {
						t.Errorf("not-json: %s %q", ct, junk)
					}
				case JunkWrongTypes:
					v := decodeAny(t, junk)
					if got := strings.Join(ids(v), ","); got != origIDs {
						t.Errorf("wrong-types changed ids: %s, want %s", got, origIDs)
					}
					walk(v, func(k string, val any) {
						if s, ok := val.(string); ok && !isID(k) {
							t.Errorf("wrong-types left string %s=%q", k, s)
						}
					})
				case JunkMissingIDs:
					v := decodeAny(t, junk)
					if got := ids(v); len(got) != 0 {
						t.Errorf("missing-ids left %v", got)
					}
					if strings.Contains(body, `"firstName"`) && !bytes.Contains(junk, []byte(`"firstName":"Ann"`)) {
						t.Errorf("missing-ids dropped other members: %s", junk)
					}
				case JunkHugeString:
					v := decodeAny(t, junk)
					if got := strings.Join(ids(v), ","); got != origIDs {
						t.Errorf("huge-string changed ids: %s, want %s", got, origIDs)
					}
					if !bytes.Contains(junk, []byte(strings.Repeat("x", 1000))) || len(junk) > len(body)+1000+16 {
						t.Errorf("huge-string: %d bytes", len(junk))
					}
				case JunkDeepNesting:
					var v any
					err := json.Unmarshal(junk, &v)
					if err == nil || !strings.Contains(err.Error(), "depth") {
						t.Errorf("deep-nesting decodes: %v", err)
					}
					if bytes.Count(junk, []byte("[")) < DeepNesting || bytes.Count(junk, []byte("[")) != bytes.Count(junk, []byte("]")) {
						t.Errorf("deep-nesting unbalanced")
					}
				}
			}
		})
	}
	// A body that is not JSON gets the HTML page whatever the kind.
	for _, kind := range AllJunk {
		if junk, _, applied := MakeJunk(kind, []byte("plain"), 1, 0); !bytes.HasPrefix(junk, []byte("<!DOCTYPE")) || applied != JunkNotJSON {
			t.Errorf("%s of a non-JSON body: %.40q", kind, junk)
		}
	}
}

func TestJunkInPage(t *testing.T) {
	// Huge string and deep nesting land in the page's records, not its envelope.
	body := junkBodies["offset page"]
	huge, _, _ := MakeJunk(JunkHugeString, []byte(body), 1, 0)
	var page struct {
		Status string
		Data   []struct{ JobID, Title string }
	}
	if err := json.Unmarshal(huge, &page); err != nil {
		t.Fatal(err)
	}
	if page.Status != "success" || len(page.Data) != 1 || page.Data[0].JobID != "J1" || len(page.Data[0].Title) != HugeStringSize {
		t.Errorf("huge-string page: status %q, %d records", page.Status, len(page.Data))
	}
	deep, _, _ := MakeJunk(JunkDeepNesting, []byte(body), 1, 0)
	if !bytes.HasPrefix(deep, []byte(`{"status":"success","offset":0,"limit":100,"totalRecordsCount":1,"data":[[[[`)) {
		t.Errorf("deep-nesting page: %.100s", deep)
	}
}

func TestParseJunk(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Junk
		err  bool
	}{
		{"", AllJunk, false},
		{"all", AllJunk, false},
		{"not-json", []Junk{JunkNotJSON}, false},
		{" wrong-types , deep-nesting", []Junk{JunkWrongTypes, JunkDeepNesting}, false},
		{"nope", nil, true},
		{"not-json,", nil, true},
	} {
		got, err := ParseJunk(tc.in)
		if (err != nil) != tc.err || (err == nil && !equalJunk(got, tc.want)) {
			t.Errorf("ParseJunk(%q) = %v, %v", tc.in, got, err)
		}
		if err != nil && !errors.Is(err, ErrJunkKind) {
			t.Errorf("ParseJunk(%q): %v is not ErrJunkKind", tc.in, err)
		}
	}
	for _, j := range AllJunk {
		if got, err := ParseJunk(j.String()); err != nil || len(got) != 1 || got[0] != j {
			t.Errorf("round trip of %s: %v %v", j, got, err)
		}
	}
}

func equalJunk(a, b []Junk) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFaultsJunk(t *testing.T) {
	body := junkBodies["detail"]
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			WriteError(w, http.StatusNotFound, "NOT_FOUND", "no")
			return
		}
		WriteRaw(w, http.StatusOK, []byte(body))
	})
	cfg := FaultConfig{Seed: 3, JunkRate: 0.5, HugeString: 100}
	run := func(method string, paths []string) (junk int, report FaultReport, kinds map[Junk]int) {
		f := NewFaults(cfg, nil)
		srv := httptest.NewServer(f.Wrap(handler))
		defer srv.Close()
		kinds = map[Junk]int{}
		for _, p := range paths {
			for i := uint32(1); i <= 20; i++ {
				req, _ := http.NewRequest(method, srv.URL+p, nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				want := f.DecideJunk(method, p, i)
				if resp.StatusCode == 200 && string(b) != body {
					junk++
					kinds[want]++
					if want == 0 {
						t.Errorf("%s %s attempt %d: junk without a decision", method, p, i)
					}
					if exp, _, _ := MakeJunk(want, []byte(body), uint64(cfg.Seed)^uint64(len(body)), cfg.HugeString); !bytes.Equal(b, exp) {
						t.Errorf("%s %s attempt %d: junk is not the %s of the body", method, p, i, want)
					}
				} else if want != 0 && resp.StatusCode == 200 {
					t.Errorf("%s %s attempt %d: %s decided but the body is intact", method, p, i, want)
				}
			}
		}
		return junk, f.Counters().Report(), kinds
	}
	paths := []string{"/a", "/b?x=1", "/missing"}
	n, rep, kinds := run(http.MethodGet, paths)
	if n == 0 || rep.Junk != int64(n) {
		t.Fatalf("%d junk replies, report %+v", n, rep)
	}
	for _, j := range AllJunk {
		if rep.JunkCounts.Of(j) != int64(kinds[j]) {
			t.Errorf("report counts %d %s, saw %d", rep.JunkCounts.Of(j), j, kinds[j])
		}
	}
	if n2, rep2, _ := run(http.MethodGet, paths); n2 != n || rep2 != rep {
		t.Errorf("not deterministic: %d %+v, then %d %+v", n, rep, n2, rep2)
	}
	if n, rep, _ := run(http.MethodPost, paths); n != 0 || rep.Junk != 0 {
		t.Errorf("POST replies got junk: %d", n)
	}
	// Only the configured kinds are drawn.
	cfg.JunkKinds = []Junk{JunkMissingIDs}
	if _, rep, kinds := run(http.MethodGet, paths); rep.Junk == 0 || rep.MissingIDs != rep.Junk || len(kinds) != 1 {
		t.Errorf("kinds %v, report %+v", kinds, rep)
	}
}

func TestCountToken(t *testing.T) {
	var c Counters
	c.CountToken()
	c.CountToken()
	if r := c.Report(); r.Tokens != 2 {
		t.Errorf("tokens %d", r.Tokens)
	}
	b, _ := json.Marshal(c.Report())
	var flat map[string]int
	if err := json.Unmarshal(b, &flat); err != nil || flat["tokens"] != 2 || len(flat) != 5 {
		t.Errorf("report is not a flat object of counts: %s %v", b, err)
	}
}
