package extract

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestBatcherMaxRecordSize(t *testing.T) {
	alloc := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer alloc.AssertSize(t, 0)
	b := NewBatcher(alloc, 0, 0)
	defer b.Release()
	b.SetMaxRecordSize(100)
	big := `{"/jobs":{"id":"j1"},"/jobs/{jobId}":{"title":"` + strings.Repeat("x", 200) + `"}}`
	docs := []Doc{
		{"job", "j0", []byte(`{"/jobs":{"id":"j0"}}`)},
		{"job", "j1", []byte(big)},
		{"job", "j2", []byte(strings.Repeat("[", 101))},                      // not JSON: the kind names it
		{KindSkipped, "j3", []byte(strings.Repeat("y", 300))},                // markers pass
		{KindListComplete, "jobs", []byte(strings.Repeat(" ", 300))},         // markers pass
		{"job", "j4", []byte(`{"/jobs":"` + strings.Repeat("z", 88) + `"}`)}, // exactly the limit
	}
	for _, d := range docs {
		b.Add(d.Kind, d.Key, d.Body)
	}
	rec := b.Flush()
	defer rec.Release()
	var got []Doc
	for _, d := range Docs(rec) {
		got = append(got, Doc{d.Kind, d.Key, append([]byte(nil), d.Body...)})
	}
	if len(got) != len(docs) {
		t.Fatalf("%d documents, want %d", len(got), len(docs))
	}
	for i, want := range []struct{ kind, endpoint string }{
		{"job", ""}, {KindSkipped, "/jobs/{jobId}"}, {KindSkipped, "job document"}, {KindSkipped, ""}, {KindListComplete, ""}, {"job", ""},
	} {
		d := got[i]
		if d.Kind != want.kind || d.Key != docs[i].Key {
			t.Errorf("doc %d: %s %s, want %s %s", i, d.Kind, d.Key, want.kind, docs[i].Key)
		}
		if want.endpoint == "" {
			if string(d.Body) != string(docs[i].Body) {
				t.Errorf("doc %d: body changed", i)
			}
			continue
		}
		var m map[string]string
		if err := json.Unmarshal(d.Body, &m); err != nil {
			t.Fatalf("doc %d: skipped body %s: %v", i, d.Body, err)
		}
		if m["endpoint"] != want.endpoint || !strings.Contains(m["error"], ErrRecordTooLarge.Error()) || !strings.Contains(m["error"], "limit of 100") {
			t.Errorf("doc %d: skipped body %s", i, d.Body)
		}
	}
	b.SetMaxRecordSize(0)
	if b.maxRec != DefaultMaxRecordSize {
		t.Errorf("SetMaxRecordSize(0) = %d", b.maxRec)
	}
}
