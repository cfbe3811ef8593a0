package extract

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// items returns JSON objects {"n": from}, ..., {"n": from+k-1}.
func items(from, k int) []string {
	out := make([]string, k)
	for i := range out {
		out[i] = fmt.Sprintf(`{"n":%d}`, from+i)
	}
	return out
}

// queryLog records the query of every request.
type queryLog struct {
	mu sync.Mutex
	qs []url.Values
}

func (l *queryLog) add(q url.Values) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.qs = append(l.qs, q)
	return len(l.qs)
}

func (l *queryLog) get(key string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, q := range l.qs {
		out = append(out, q.Get(key))
	}
	return out
}

// collect reads a page sequence completely.
func collect(seq func(func(Page, error) bool)) (pages []Page, err error) {
	for p, e := range seq {
		if e != nil {
			return pages, e
		}
		pages = append(pages, p)
	}
	return pages, nil
}

func itemNumbers(t *testing.T, pages []Page) []int {
	t.Helper()
	var ns []int
	for _, p := range pages {
		for _, it := range p.Items {
			var v struct{ N int }
			if err := json.Unmarshal(it, &v); err != nil {
				t.Fatalf("item %s: %v", it, err)
			}
			ns = append(ns, v.N)
		}
	}
	return ns
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func TestCursorPages(t *testing.T) {
	// Each test serves its replies in order; pageId "p<i>" asks for reply i.
	tests := []struct {
		name      string
		replies   []string
		wantItems []int
		wantPages int
		wantTotal int
		wantErr   []string // substrings; nil: success
	}{
		{name: "one page, no nextPageId",
			replies:   []string{`{"totalFound":3,"content":[` + strings.Join(items(0, 3), ",") + `]}`},
			wantItems: seq(3), wantPages: 1, wantTotal: 3},
		{name: "short pages continue until nextPageId is empty",
			replies: []string{
				`{"totalFound":150,"nextPageId":"p1","content":[` + strings.Join(items(0, 100), ",") + `]}`,
				`{"totalFound":150,"nextPageId":"p2","content":[` + strings.Join(items(100, 20), ",") + `]}`,
				`{"totalFound":150,"nextPageId":"p3","content":[]}`,
				`{"totalFound":150,"nextPageId":"","content":[` + strings.Join(items(120, 30), ",") + `]}`,
			},
			wantItems: seq(150), wantPages: 4, wantTotal: 150},
		{name: "null nextPageId ends",
			replies:   []string{`{"nextPageId":null,"content":[{"n":0}]}`},
			wantItems: seq(1), wantPages: 1, wantTotal: -1},
		{name: "empty list",
			replies:   []string{`{"totalFound":0,"content":[]}`},
			wantItems: nil, wantPages: 1, wantTotal: 0},
		{name: "missing content on page 2",
			replies: []string{`{"totalFound":2,"nextPageId":"p1","content":[{"n":0}]}`, `{"totalFound":2,"nextPageId":"p2"}`},
			wantErr: []string{"GET /jobs page 2", "malformed", `"content"`}},
		{name: "null content",
			replies: []string{`{"totalFound":2,"content":null}`},
			wantErr: []string{"GET /jobs page 1", "malformed"}},
		{name: "content not an array",
			replies: []string{`{"content":{"n":1}}`},
			wantErr: []string{"GET /jobs page 1", "malformed", "offset"}},
		{name: "not JSON",
			replies: []string{`{"nextPageId":"p1","content":[{"n":0}]}`, `<html>`},
			wantErr: []string{"GET /jobs page 2", "malformed", "<html>"}},
		{name: "repeated nextPageId",
			replies: []string{`{"nextPageId":"p1","content":[{"n":0}]}`, `{"nextPageId":"p1","content":[{"n":1}]}`},
			wantErr: []string{"GET /jobs page 2", "malformed", "repeats"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var log queryLog
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				log.add(r.URL.Query())
				i := 0
				if id := r.URL.Query().Get("pageId"); id != "" {
					i, _ = strconv.Atoi(strings.TrimPrefix(id, "p"))
				}
				reply(200, tt.replies[i])(w, r)
			})
			c, _ := newTestClient(t, h)
			q := url.Values{"sort": {"job_id"}, "limit": {"7"}}
			pages, err := collect(CursorPages(t.Context(), c, "/jobs", "/jobs", q))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("no error")
				}
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("error %q is not ErrMalformed", err)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := itemNumbers(t, pages); fmt.Sprint(got) != fmt.Sprint(tt.wantItems) {
				t.Errorf("items %v, want %v", got, tt.wantItems)
			}
			if len(pages) != tt.wantPages {
				t.Errorf("%d pages, want %d", len(pages), tt.wantPages)
			}
			for i, p := range pages {
				if p.Number != i+1 || p.Total != tt.wantTotal {
					t.Errorf("page %d: Number %d, Total %d (want %d)", i, p.Number, p.Total, tt.wantTotal)
				}
			}
			if got := log.get("limit"); strings.Join(got, ",") != strings.Repeat("100,", tt.wantPages-1)+"100" {
				t.Errorf("limit sent: %v", got)
			}
			wantIDs := []string{""}
			for i := 1; i < tt.wantPages; i++ {
				wantIDs = append(wantIDs, fmt.Sprintf("p%d", i))
			}
			if got := log.get("pageId"); fmt.Sprint(got) != fmt.Sprint(wantIDs) {
				t.Errorf("pageId sent: %v, want %v", got, wantIDs)
			}
			if got := log.get("sort"); got[len(got)-1] != "job_id" {
				t.Errorf("sort sent: %v", got)
			}
			if q.Get("limit") != "7" || q.Has("pageId") {
				t.Errorf("the caller's query was modified: %v", q)
			}
		})
	}
}

func TestCursorPagesStopsWhenTheConsumerDoes(t *testing.T) {
	var log queryLog
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := log.add(r.URL.Query())
		reply(200, fmt.Sprintf(`{"nextPageId":"p%d","content":[{"n":%d}]}`, n, n))(w, r)
	})
	c, _ := newTestClient(t, h)
	for p, err := range CursorPages(t.Context(), c, "/jobs", "/jobs", nil) {
		if err != nil {
			t.Fatal(err)
		}
		if p.Number == 3 {
			break
		}
	}
	if n := len(log.get("pageId")); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestPagingErrorAfterRetries(t *testing.T) {
	s := &script{steps: []http.HandlerFunc{reply(200, `{"nextPageId":"p1","content":[{"n":0}]}`), reply(503, `{"message":"down"}`)}}
	c, _ := newTestClient(t, s, WithRetries(2))
	var pages, errs int
	for _, err := range CursorPages(t.Context(), c, "/jobs", "/jobs", nil) {
		if err != nil {
			errs++
			if !errors.Is(err, ErrRetriesExhausted) || !strings.HasPrefix(err.Error(), "GET /jobs page 2: ") {
				t.Errorf("error %q", err)
			}
			continue
		}
		pages++
	}
	if pages != 1 || errs != 1 {
		t.Errorf("%d pages and %d errors, want 1 and 1 (the sequence ends at the error)", pages, errs)
	}
}

func TestOffsetPages(t *testing.T) {
	tests := []struct {
		name        string
		list        OffsetList
		n           int         // items the server has
		short       map[int]int // offset -> shorter page size served there
		omitTotal   bool
		wantOffsets []string
		wantTotal   int
		wantErr     []string
	}{
		{name: "with total", n: 250, list: OffsetList{ItemsKey: "content", TotalKey: "totalFound"},
			wantOffsets: []string{"0", "100", "200"}, wantTotal: 250},
		{name: "with total, exact multiple", n: 200, list: OffsetList{ItemsKey: "content", TotalKey: "totalFound"},
			wantOffsets: []string{"0", "100"}, wantTotal: 200},
		{name: "with total, short page continues", n: 250, short: map[int]int{100: 30}, list: OffsetList{ItemsKey: "content", TotalKey: "totalFound"},
			wantOffsets: []string{"0", "100", "130", "230"}, wantTotal: 250},
		{name: "with total, empty", n: 0, list: OffsetList{ItemsKey: "content", TotalKey: "totalFound"},
			wantOffsets: []string{"0"}, wantTotal: 0},
		{name: "without total, short last page", n: 250, list: OffsetList{ItemsKey: "data"},
			wantOffsets: []string{"0", "100", "200"}, wantTotal: -1},
		{name: "without total, exact multiple ends on an empty page", n: 200, list: OffsetList{ItemsKey: "data"},
			wantOffsets: []string{"0", "100", "200"}, wantTotal: -1},
		{name: "total key absent from the reply", n: 200, omitTotal: true, list: OffsetList{ItemsKey: "data", TotalKey: "totalRecordsCount"},
			wantOffsets: []string{"0", "100", "200"}, wantTotal: -1},
		{name: "custom limit and parameter names", n: 25, list: OffsetList{ItemsKey: "data", TotalKey: "totalRecordsCount", Limit: 10, LimitParam: "size", OffsetParam: "from"},
			wantOffsets: []string{"0", "10", "20"}, wantTotal: 25},
		{name: "missing items key", n: 250, list: OffsetList{ItemsKey: "nope", TotalKey: "totalFound"},
			wantErr: []string{"GET /things page 1", "malformed", `"nope"`}},
		{name: "no items key configured", n: 5, list: OffsetList{},
			wantErr: []string{"GET /things page 1", "ItemsKey"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var log queryLog
			limitParam, offsetParam := "limit", "offset"
			if tt.list.LimitParam != "" {
				limitParam, offsetParam = tt.list.LimitParam, tt.list.OffsetParam
			}
			itemsKey, totalKey := "content", "totalFound"
			if tt.list.ItemsKey == "data" {
				itemsKey, totalKey = "data", "totalRecordsCount"
			}
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				q := r.URL.Query()
				log.add(q)
				off, _ := strconv.Atoi(q.Get(offsetParam))
				lim, _ := strconv.Atoi(q.Get(limitParam))
				if s, ok := tt.short[off]; ok {
					lim = s
				}
				k := max(0, min(lim, tt.n-off))
				body := map[string]any{itemsKey: json.RawMessage("[" + strings.Join(items(off, k), ",") + "]")}
				if !tt.omitTotal {
					body[totalKey] = tt.n
				}
				b, _ := json.Marshal(body)
				reply(200, string(b))(w, r)
			})
			c, _ := newTestClient(t, h)
			l := tt.list
			l.Endpoint, l.Path, l.Query = "/things", "/things", url.Values{"siteType": {"external"}}
			pages, err := collect(OffsetPages(t.Context(), c, l))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatal("no error")
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := itemNumbers(t, pages); fmt.Sprint(got) != fmt.Sprint(seq(tt.n)) {
				t.Errorf("items %v, want 0..%d", got, tt.n-1)
			}
			if got := log.get(offsetParam); fmt.Sprint(got) != fmt.Sprint(tt.wantOffsets) {
				t.Errorf("offsets %v, want %v", got, tt.wantOffsets)
			}
			wantLimit := strconv.Itoa(max(tt.list.Limit, 0))
			if tt.list.Limit == 0 {
				wantLimit = "100"
			}
			for _, lim := range log.get(limitParam) {
				if lim != wantLimit {
					t.Errorf("limit sent %q, want %q", lim, wantLimit)
				}
			}
			for i, p := range pages {
				if p.Number != i+1 || p.Total != tt.wantTotal {
					t.Errorf("page %d: Number %d Total %d, want Total %d", i, p.Number, p.Total, tt.wantTotal)
				}
			}
			if got := log.get("siteType"); got[0] != "external" {
				t.Errorf("siteType sent: %v", got)
			}
		})
	}
}

func TestDecodeOffsetPage(t *testing.T) {
	tests := []struct {
		body      string
		wantItems int
		wantTotal int
		wantErr   bool
	}{
		{`{"data":[1,2],"total":5}`, 2, 5, false},
		{`{"data":[],"total":"7"}`, 0, 7, false},
		{`{"data":[1],"total":null}`, 1, -1, false},
		{`{"data":[1],"total":-4}`, 1, -1, false},
		{`{"data":[1]}`, 1, -1, false},
		{`{"data":[1],"total":1.5}`, 0, 0, true},
		{`{"data":[1],"total":"x"}`, 0, 0, true},
		{`{"data":null,"total":1}`, 0, 0, true},
		{`{"data":{},"total":1}`, 0, 0, true},
		{`[1,2]`, 0, 0, true},
		{`{"data":[1,2]`, 0, 0, true},
	}
	for _, tt := range tests {
		items, total, err := decodeOffsetPage([]byte(tt.body), "data", "total")
		if tt.wantErr {
			if !errors.Is(err, ErrMalformed) {
				t.Errorf("%s: err = %v, want ErrMalformed", tt.body, err)
			}
			continue
		}
		if err != nil || len(items) != tt.wantItems || total != tt.wantTotal {
			t.Errorf("%s: %d items, total %d, err %v; want %d, %d", tt.body, len(items), total, err, tt.wantItems, tt.wantTotal)
		}
	}
}
