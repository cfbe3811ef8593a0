package extract

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestCursorPagesCycle: a source whose cursors go round in a circle makes
// the list fail with ErrMalformed instead of being read forever.
func TestCursorPagesCycle(t *testing.T) {
	next := map[string]string{"": "a", "a": "b", "b": "c", "c": "a"}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("pageId")
		fmt.Fprintf(w, `{"totalFound":400,"nextPageId":%q,"content":[{"id":"%s1"}]}`, next[id], id)
	})
	c, srv := newTestClient(t, h)
	_ = srv
	pages := 0
	var last error
	for p, err := range CursorPages(t.Context(), c, "/jobs", "/jobs", nil) {
		if err != nil {
			last = err
			break
		}
		pages++
		if pages > 10 {
			t.Fatal("the cycle is read forever")
		}
		_ = p
	}
	if !errors.Is(last, ErrMalformed) || !strings.Contains(last.Error(), `"a" names page 2 again`) || pages != 3 {
		t.Fatalf("%d pages, error %v", pages, last)
	}
}

// TestOffsetPagesIgnoredOffset: a source that ignores the offset (every
// page the first one) fails the list instead of being read forever.
func TestOffsetPagesIgnoredOffset(t *testing.T) {
	page := `{"data":[` + strings.TrimSuffix(strings.Repeat(`{"applicationId":"A"},`, 10), ",") + `]}`
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, page) })
	c, _ := newTestClient(t, h)
	pages := 0
	var last error
	for _, err := range OffsetPages(t.Context(), c, OffsetList{Path: "/apply/v2/applications", Limit: 10, ItemsKey: "data"}) {
		if err != nil {
			last = err
			break
		}
		if pages++; pages > 10 {
			t.Fatal("the same page is read forever")
		}
	}
	if !errors.Is(last, ErrMalformed) || !strings.Contains(last.Error(), "offset=10 repeats") || pages != 1 {
		t.Fatalf("%d pages, error %v", pages, last)
	}
}
