package extract

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzCursorPage: decodeCursorPage never panics, fails only with
// ErrMalformed, and returns items that are valid JSON values of the input.
func FuzzCursorPage(f *testing.F) {
	for _, s := range []string{
		`{"totalFound":2,"nextPageId":"abc","content":[{"id":"1"},{"id":"2"}]}`,
		`{"totalFound":0,"content":[]}`,
		`{"nextPageId":"","content":[1,"x",null,[],{}]}`,
		`{"nextPageId":null,"content":null}`,
		`{"totalFound":-1,"content":[]}`,
		`{"totalFound":1e3,"content":[]}`,
		`{"content":[{"a":"\u00e9\ud83d\ude00"}]}`,
		`[]`, `null`, ``, `{`, `{"content":[1,]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := decodeCursorPage(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
		if p.items == nil || p.total < -1 {
			t.Fatalf("page %+v", p)
		}
		checkItems(t, body, p.items)
	})
}

// FuzzOffsetPage: the same for decodeOffsetPage.
func FuzzOffsetPage(f *testing.F) {
	for _, s := range []string{
		`{"status":"success","offset":0,"limit":50,"totalRecordsCount":123,"data":[{"jobId":"1"}]}`,
		`{"status":"success","statusCode":"200","statusMessage":"OK","data":[]}`,
		`{"data":[1,2,3],"totalRecordsCount":"3"}`,
		`{"data":[],"totalRecordsCount":null}`,
		`{"data":{},"totalRecordsCount":1}`,
		`{"data":[1],"totalRecordsCount":1.5}`,
		`{"data":[1],"data":null}`,
		`"data"`, `{}`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		items, total, err := decodeOffsetPage(body, "data", "totalRecordsCount")
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
		if items == nil || total < -1 {
			t.Fatalf("items %v, total %d", items, total)
		}
		checkItems(t, body, items)
	})
}

// checkItems: every item is valid JSON, and the items re-encode to an array
// that decodes to the same items.
func checkItems(t *testing.T, body []byte, items []json.RawMessage) {
	t.Helper()
	for _, it := range items {
		if !json.Valid(it) {
			t.Fatalf("item %q is not valid JSON (body %q)", it, body)
		}
	}
	enc, err := json.Marshal(items)
	if err != nil {
		t.Fatalf("re-encode %q: %v", body, err)
	}
	var back []json.RawMessage
	if err := json.Unmarshal(enc, &back); err != nil || len(back) != len(items) {
		t.Fatalf("round trip of %q: %d items, %v", body, len(back), err)
	}
	for i := range back {
		var a, b any
		if json.Unmarshal(back[i], &a) != nil || json.Unmarshal(items[i], &b) != nil {
			t.Fatalf("item %d does not decode", i)
		}
		ea, _ := json.Marshal(a)
		eb, _ := json.Marshal(b)
		if !bytes.Equal(ea, eb) {
			t.Fatalf("item %d changed in the round trip: %s vs %s", i, ea, eb)
		}
	}
}

// FuzzErrorMessage: errorMessage never panics and stays short.
func FuzzErrorMessage(f *testing.F) {
	for _, s := range []string{
		`{"message":"Job not found","errors":[{"code":"JOB_NOT_FOUND","message":"x"}]}`,
		`{"status":401,"message":"Invalid credentials"}`,
		`{"message":null,"errors":[null,{}]}`, `<html>`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if m := errorMessage(body); len(m) > 303 {
			t.Fatalf("message of %d bytes", len(m))
		}
	})
}
