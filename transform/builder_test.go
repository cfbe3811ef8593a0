package transform

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/atslake/atslake/schemas"
)

// fillAll sets every non-shared column of the current row with a value of its type.
func fillAll(b *TableBuilder) {
	for i := schemas.ColRemoteDeletedAt + 1; i < len(b.cols); i++ {
		switch b.cols[i].kind {
		case kString:
			if b.table.Columns[i].Kind == schemas.Relation {
				b.Ref(i, b.table.Columns[i].Ref, "r1")
			} else {
				b.String(i, "s")
			}
		case kTimestamp:
			b.Timestamp(i, MustParseTimestamp("2024-02-01T08:54:57.5Z"))
		case kFloat:
			b.Float(i, 1.5)
		case kInt:
			b.Int(i, 7)
		case kBool:
			b.Bool(i, true)
		case kStringList:
			b.StringList(i, []string{"a", "b"})
		case kLocation:
			b.Location(i, &Location{City: "Berlin", Country: "DE"})
		case kPhones:
			b.Phones(i, []Phone{{Number: "+49 1"}, {Number: "2", Type: "MOBILE"}})
		case kEmails:
			b.Emails(i, []Email{{Address: "a@b.c"}})
		case kSocial:
			b.Socials(i, []Social{{Link: "https://x", Type: "LINKEDIN"}, {Type: "SKYPE", Username: "u"}})
		case kIntegration:
			b.IntegrationFields(i, []IntegrationField{{ID: "p", Key: "p", Type: FieldCustom, Value: []byte(`{"id":"1"}`), Label: "P"}, {Key: "k"}})
		case kAnswers:
			b.Answers(i, []Answer{{QuestionRemoteID: "q", QuestionType: "TEXT", Answer: []byte(`{"content":"x"}`)}})
		}
	}
}

func TestTableBuilderEveryTable(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, tbl := range schemas.All() {
		b := NewTableBuilder(mem, "acme", tbl, 0)
		b.Begin("r1")
		fillAll(b)
		if b.End() {
			t.Fatal("full after one row")
		}
		b.Begin("r2")
		if b.End() {
			t.Fatal("full after two rows")
		}
		if b.Len() != 2 {
			t.Fatalf("Len = %d", b.Len())
		}
		rec := b.Flush()
		if !rec.Schema().Equal(tbl.Schema()) || !sameMetadata(rec.Schema(), tbl.Schema()) {
			t.Errorf("%s: schema differs:\n%s\nwant\n%s", tbl.Name, rec.Schema(), tbl.Schema())
		}
		for i, f := range tbl.Schema().Fields() {
			if got := rec.Column(i).DataType(); !arrow.TypeEqual(got, f.Type, arrow.CheckMetadata()) {
				t.Errorf("%s.%s: array type %s, want %s", tbl.Name, f.Name, got, f.Type)
			}
			if rec.Column(i).Len() != 2 {
				t.Errorf("%s.%s: %d values", tbl.Name, f.Name, rec.Column(i).Len())
			}
		}
		out, err := AppendRowsJSON(nil, rec)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
		if len(lines) != 2 {
			t.Fatalf("%s: %d lines", tbl.Name, len(lines))
		}
		wantID := `{"id":"` + ID("acme", tbl.Name, "r1") + `","remote_id":"r1","changed_at":"1970-01-01T00:00:00.000000Z","remote_deleted_at":null`
		if !strings.HasPrefix(lines[0], wantID) {
			t.Errorf("%s row 1: %s\nwant prefix %s", tbl.Name, lines[0], wantID)
		}
		// row 2: only the shared columns are set
		wantNull := `{"id":"` + ID("acme", tbl.Name, "r2") + `","remote_id":"r2","changed_at":"1970-01-01T00:00:00.000000Z","remote_deleted_at":null`
		for _, c := range tbl.Columns[4:] {
			wantNull += `,"` + c.Name + `":null`
		}
		if lines[1] != wantNull+"}" {
			t.Errorf("%s row 2: %s\nwant %s}", tbl.Name, lines[1], wantNull)
		}
		rec.Release()
		if b.Flush() != nil {
			t.Error("second Flush not nil")
		}
		b.Release()
	}
}

func sameMetadata(a, b *arrow.Schema) bool {
	for i := range a.Fields() {
		if !a.Field(i).Metadata.Equal(b.Field(i).Metadata) {
			return false
		}
	}
	return true
}

func TestTableBuilderValues(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	cands := schemas.MustLookup("candidates")
	b := NewTableBuilder(mem, "acme", cands, 0)
	defer b.Release()
	b.Begin("c1")
	b.OptString(cands.MustCol("first_name"), "")
	b.String(cands.MustCol("last_name"), "")
	b.Phones(cands.MustCol("phone_numbers"), nil)
	b.Emails(cands.MustCol("email_addresses"), []Email{{Address: "a@b.c"}})
	b.Socials(cands.MustCol("social_media"), []Social{{Link: "l", Type: "WEBSITE"}})
	b.Location(cands.MustCol("location"), &Location{})
	b.JSON(cands.MustCol("custom_fields"), []byte(`{"a":"<b>"}`))
	b.IntegrationFields(cands.MustCol("integration_fields"), []IntegrationField{})
	b.TimestampText(cands.MustCol("remote_created_at"), "2024-02-01T08:54:57.000+0100")
	b.TimestampText(cands.MustCol("remote_updated_at"), "garbage")
	b.Bytes(cands.MustCol("remote_data"), nil)
	b.End()
	rec := b.Flush()
	defer rec.Release()
	got, err := AppendRowsJSON(nil, rec)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"` + ID("acme", "candidates", "c1") + `","remote_id":"c1","changed_at":"1970-01-01T00:00:00.000000Z","remote_deleted_at":null,` +
		`"first_name":null,"last_name":"","company":null,"title":null,"source":null,"phone_numbers":[],` +
		`"email_addresses":[{"email_address":"a@b.c","type":null}],"social_media":[{"link":"l","type":"WEBSITE","username":null}],` +
		`"location":null,"custom_fields":"{\"a\":\"<b>\"}","integration_fields":[],"remote_url":null,` +
		`"remote_created_at":"2024-02-01T07:54:57.000000Z","remote_updated_at":null,"remote_data":null}` + "\n"
	if string(got) != want {
		t.Fatalf("row:\n%s\nwant\n%s", got, want)
	}
}

type collect struct {
	tables []string
	rows   []int64
}

func (c *collect) Emit(_ context.Context, table string, rec arrow.RecordBatch) error {
	c.tables = append(c.tables, table)
	c.rows = append(c.rows, rec.NumRows())
	return nil
}

func TestTableBuilderBatches(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	tags := schemas.MustLookup("tags")
	b := NewTableBuilder(mem, "acme", tags, 3)
	defer b.Release()
	var out collect
	for i := 0; i < 7; i++ {
		b.Begin(string(rune('a' + i)))
		b.String(tags.MustCol("name"), "x")
		if err := b.EndTo(context.Background(), &out); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.FlushTo(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	if got := out.rows; len(got) != 3 || got[0] != 3 || got[1] != 3 || got[2] != 1 {
		t.Fatalf("batches %v, want [3 3 1]", got)
	}
}

func TestTableBuilderMisuse(t *testing.T) {
	tags := schemas.MustLookup("tags")
	jobs := schemas.MustLookup("jobs")
	for name, f := range map[string]func(){
		"wrong type":       func() { b := NewTableBuilder(nil, "c", jobs, 0); b.Begin("x"); b.Float(jobs.MustCol("name"), 1) },
		"set twice":        func() { b := NewTableBuilder(nil, "c", tags, 0); b.Begin("x"); b.String(2+2, "a"); b.String(4, "b") },
		"setter outside":   func() { b := NewTableBuilder(nil, "c", tags, 0); b.String(4, "a") },
		"end outside":      func() { b := NewTableBuilder(nil, "c", tags, 0); b.End() },
		"begin twice":      func() { b := NewTableBuilder(nil, "c", tags, 0); b.Begin("x"); b.Begin("y") },
		"flush inside row": func() { b := NewTableBuilder(nil, "c", tags, 0); b.Begin("x"); b.Flush() },
		"null twice":       func() { b := NewTableBuilder(nil, "c", tags, 0); b.Begin("x"); b.Null(4); b.Null(4) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func BenchmarkTableBuilderRow(b *testing.B) {
	tbl := schemas.MustLookup("applications")
	tb := NewTableBuilder(memory.NewGoAllocator(), "demo", tbl, 4096)
	defer tb.Release()
	answers := []Answer{{QuestionID: "x", QuestionRemoteID: "q", QuestionTitle: "t", QuestionType: "TEXT", Answer: []byte(`{"content":"x"}`)}}
	b.ReportAllocs()
	for b.Loop() {
		tb.Begin("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b:7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928")
		tb.String(tbl.MustCol("outcome"), "PENDING")
		tb.Ref(tbl.MustCol("job_id"), "jobs", "7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928")
		tb.Ref(tbl.MustCol("candidate_id"), "candidates", "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")
		tb.Answers(tbl.MustCol("screening_question_answers"), answers)
		if tb.End() {
			tb.Flush().Release()
		}
	}
}
