package extract

// API CONTRACT for paging (bodies filled in by the client work).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"net/url"
	"strconv"
)

// Page is one page of a source list.
type Page struct {
	Number int               // 1-based page number, for errors ("extract /jobs page 7: ...")
	Items  []json.RawMessage // the list items exactly as received
	Total  int               // the total the page reports, -1 when the list has none
}

// CursorPages reads a cursor-paged list (SmartRecruiters style): it sends
// limit=100 and pageId=<previous nextPageId>, and expects
// {"totalFound": n, "nextPageId": "...", "content": [...]}. It stops when
// nextPageId is absent or empty. A reply without "content" is ErrMalformed.
func CursorPages(ctx context.Context, c *Client, endpoint, path string, query url.Values) iter.Seq2[Page, error] {
	return func(yield func(Page, error) bool) {
		q := cloneValues(query)
		q.Set("limit", strconv.Itoa(CursorLimit))
		q.Del("pageId")
		pageID := ""
		seen := map[string]int{} // page ids read, with their page number: a cycle would never end
		for n := 1; ; n++ {
			var cp cursorPage
			err := c.getBody(ctx, endpoint, path, q, func(body []byte) error {
				var err error
				cp, err = decodeCursorPage(body)
				return err
			})
			if err == nil && cp.next != "" && cp.next == pageID {
				err = fmt.Errorf("%w: nextPageId %q repeats the page just read", ErrMalformed, cp.next)
			} else if at, ok := seen[cp.next]; err == nil && ok {
				err = fmt.Errorf("%w: nextPageId %q names page %d again (the list would never end)", ErrMalformed, cp.next, at)
			}
			if err != nil {
				yield(Page{Number: n, Total: -1}, pageError(endpoint, n, err))
				return
			}
			if !yield(Page{Number: n, Items: cp.items, Total: cp.total}, nil) || cp.next == "" {
				return
			}
			pageID = cp.next
			seen[pageID] = n + 1
			q.Set("pageId", pageID)
		}
	}
}

// CursorLimit is the page size CursorPages asks for (the SmartRecruiters maximum).
const CursorLimit = 100

// DefaultOffsetLimit is the page size OffsetPages asks for when OffsetList.Limit is 0.
const DefaultOffsetLimit = 100

// pageError names the list and the page: "GET /jobs page 7: ...".
func pageError(endpoint string, n int, err error) error {
	return fmt.Errorf("GET %s page %d: %w", endpoint, n, err)
}

func cloneValues(v url.Values) url.Values {
	q := make(url.Values, len(v)+2)
	for k, vs := range v {
		q[k] = append([]string(nil), vs...)
	}
	return q
}

// cursorPage is a decoded cursor page.
type cursorPage struct {
	items []json.RawMessage
	total int // -1 when absent
	next  string
}

// decodeCursorPage decodes {"totalFound": n, "nextPageId": "...", "content": [...]}.
func decodeCursorPage(body []byte) (cursorPage, error) {
	var r struct {
		TotalFound *int64             `json:"totalFound"`
		NextPageID *string            `json:"nextPageId"`
		Content    *[]json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return cursorPage{}, malformedPage(body, err)
	}
	if r.Content == nil {
		return cursorPage{}, fmt.Errorf("%w: no \"content\" array", ErrMalformed)
	}
	p := cursorPage{items: *r.Content, total: -1}
	if r.TotalFound != nil {
		p.total = clampInt(*r.TotalFound)
	}
	if r.NextPageID != nil {
		p.next = *r.NextPageID
	}
	return p, nil
}

// OffsetList describes an offset-paged list.
type OffsetList struct {
	Endpoint    string     // path template for errors and stats
	Path        string     // actual path
	Query       url.Values // extra query parameters
	Limit       int        // page size sent (default 100)
	LimitParam  string     // default "limit"
	OffsetParam string     // default "offset"
	ItemsKey    string     // key of the items array (e.g. "content", "data")
	TotalKey    string     // key of the total (e.g. "totalFound", "totalRecordsCount"); "" when the list has none
}

// OffsetPages reads an offset-paged list. With a TotalKey it stops when
// offset+len(items) >= total or a page is empty; without one it stops on a
// page shorter than Limit (so an exact multiple ends with an empty page).
// A reply without the items key is ErrMalformed.
//
// Page.Total is the reported total, or -1 without a TotalKey or when the reply
// lacks it (the list then ends on a short page as if it had no total).
func OffsetPages(ctx context.Context, c *Client, l OffsetList) iter.Seq2[Page, error] {
	return func(yield func(Page, error) bool) {
		if l.Limit <= 0 {
			l.Limit = DefaultOffsetLimit
		}
		if l.LimitParam == "" {
			l.LimitParam = "limit"
		}
		if l.OffsetParam == "" {
			l.OffsetParam = "offset"
		}
		if l.Endpoint == "" {
			l.Endpoint = l.Path
		}
		if l.ItemsKey == "" {
			yield(Page{Number: 1, Total: -1}, pageError(l.Endpoint, 1, errors.New("OffsetList.ItemsKey is empty")))
			return
		}
		q := cloneValues(l.Query)
		q.Set(l.LimitParam, strconv.Itoa(l.Limit))
		offset := 0
		var prev uint64 // hash of the previous page's items
		for n := 1; ; n++ {
			q.Set(l.OffsetParam, strconv.Itoa(offset))
			var items []json.RawMessage
			total := -1
			err := c.getBody(ctx, l.Endpoint, l.Path, q, func(body []byte) error {
				var err error
				items, total, err = decodeOffsetPage(body, l.ItemsKey, l.TotalKey)
				return err
			})
			if err == nil && len(items) > 0 {
				// A source that ignores the offset would serve its first
				// page forever: two equal pages in a row cannot be a list.
				h := hashItems(items)
				if n > 1 && h == prev {
					err = fmt.Errorf("%w: the page at %s=%d repeats the page before it (is the offset ignored?)", ErrMalformed, l.OffsetParam, offset)
				}
				prev = h
			}
			if err != nil {
				yield(Page{Number: n, Total: -1}, pageError(l.Endpoint, n, err))
				return
			}
			if !yield(Page{Number: n, Items: items, Total: total}, nil) {
				return
			}
			offset += len(items)
			switch {
			case len(items) == 0:
				return
			case total >= 0:
				if offset >= total {
					return
				}
			case len(items) < l.Limit:
				return
			}
		}
	}
}

// hashItems hashes a page's items (FNV-1a, items separated by a zero byte).
func hashItems(items []json.RawMessage) uint64 {
	h := fnv.New64a()
	for _, it := range items {
		h.Write(it)
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// decodeOffsetPage decodes a JSON object holding the items array under
// itemsKey and, when totalKey is set, the total (-1 when absent or null).
func decodeOffsetPage(body []byte, itemsKey, totalKey string) (items []json.RawMessage, total int, err error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, -1, malformedPage(body, err)
	}
	raw, ok := m[itemsKey]
	if !ok || isNull(raw) {
		return nil, -1, fmt.Errorf("%w: no %q array", ErrMalformed, itemsKey)
	}
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, -1, fmt.Errorf("%w: %q: %v", ErrMalformed, itemsKey, err)
	}
	if items == nil {
		items = []json.RawMessage{}
	}
	total = -1
	if totalKey != "" {
		if raw, ok := m[totalKey]; ok && !isNull(raw) {
			t, err := parseTotal(raw)
			if err != nil {
				return nil, -1, fmt.Errorf("%w: %q: %v", ErrMalformed, totalKey, err)
			}
			total = t
		}
	}
	return items, total, nil
}

// parseTotal reads a count written as a JSON integer or a quoted integer.
func parseTotal(raw json.RawMessage) (int, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, err
		}
		raw = []byte(s)
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not an integer: %.40q", raw)
	}
	return clampInt(n), nil
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// clampInt converts a reported count to int; negative counts mean "unknown".
func clampInt(n int64) int {
	if n < 0 {
		return -1
	}
	return int(min(n, int64(^uint(0)>>1)))
}

// malformedPage describes a page decoding error with its offset.
func malformedPage(body []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("%w: %v at offset %d near %q", ErrMalformed, err, se.Offset, excerpt(body, se.Offset))
	case errors.As(err, &te):
		return fmt.Errorf("%w: %v at offset %d near %q", ErrMalformed, err, te.Offset, excerpt(body, te.Offset))
	}
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}
