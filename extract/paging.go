package extract

// API CONTRACT for paging (bodies filled in by the client work).

import (
	"context"
	"encoding/json"
	"iter"
	"net/url"
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
	panic("not implemented")
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
func OffsetPages(ctx context.Context, c *Client, l OffsetList) iter.Seq2[Page, error] {
	panic("not implemented")
}
