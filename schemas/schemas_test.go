package schemas

import (
	"bytes"
	"strings"
	"testing"
)

func TestTables(t *testing.T) {
	if got := len(All()); got != 20 {
		t.Fatalf("tables = %d, want 20", got)
	}
	for _, tb := range All() {
		if tb.Col("id") != ColID || tb.Col("remote_id") != ColRemoteID || tb.Col("changed_at") != ColChangedAt || tb.Col("remote_deleted_at") != ColRemoteDeletedAt {
			t.Errorf("%s: shared columns out of place", tb.Name)
		}
		for _, c := range tb.Columns {
			if c.Doc == "" {
				t.Errorf("%s.%s has no doc", tb.Name, c.Name)
			}
			if c.Kind == Relation {
				if _, ok := Lookup(c.Ref); !ok {
					t.Errorf("%s.%s refers to unknown table %q", tb.Name, c.Name, c.Ref)
				}
			}
		}
		if tb.Schema().NumFields() != len(tb.Columns) {
			t.Errorf("%s: schema fields mismatch", tb.Name)
		}
	}
}

func TestDictionary(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDictionary(&b, MustLookup("applications")); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"applications:", "outcome", "closed enum: PENDING, HIRED, DECLINED", "-> jobs.id", "screening_question_answers", "answer JSON"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("dictionary lacks %q:\n%s", want, b.String())
		}
	}
}
