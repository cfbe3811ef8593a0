package render

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

func TestWrite(t *testing.T) {
	res := &Result{Columns: []string{"name", "n", "at"}, Rows: [][]any{
		{"Zoë", int64(3), time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC)},
		{nil, int64(12), nil},
	}}
	for _, c := range []struct{ format, want string }{
		{Table, "name   n  at\n----  --  --------------------\nZoë    3  2024-02-01 08:00:00Z\nNULL  12  NULL\n(2 rows)\n"},
		{CSV, "name,n,at\nZoë,3,2024-02-01 08:00:00Z\n,12,\n"},
		{JSON, `[{"name":"Zoë","n":3,"at":"2024-02-01T08:00:00Z"},{"name":null,"n":12,"at":null}]` + "\n"},
	} {
		var b bytes.Buffer
		if err := Write(&b, res, c.format); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("%s:\n%s\nwant\n%s", c.format, b.String(), c.want)
		}
	}
	if err := Write(&bytes.Buffer{}, res, "xml"); err == nil {
		t.Error("xml accepted")
	}
}

func TestWriteTableCells(t *testing.T) {
	long := strings.Repeat("x", 70)
	res := &Result{Columns: []string{"text", "mixed"}, Rows: [][]any{
		{"two\nlines", int64(1)},
		{long, "a"},
	}}
	var b bytes.Buffer
	if err := Write(&b, res, Table); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	if !strings.HasPrefix(lines[2], "two lines ") {
		t.Errorf("newline kept in a cell: %q", lines[2])
	}
	if want := strings.Repeat("x", 59) + "…  a"; lines[3] != want {
		t.Errorf("long cell: %q, want %q", lines[3], want)
	}
	if lines[2] != "two lines"+strings.Repeat(" ", 53)+"1" {
		t.Errorf("a column mixing numbers and text is left-aligned: %q", lines[2])
	}
	b.Reset()
	wide := &Result{Columns: []string{"name", "n"}, Rows: [][]any{{"蓮 伊藤", int64(4)}, {"Harry Jones", int64(3)}}}
	if err := Write(&b, wide, Table); err != nil {
		t.Fatal(err)
	}
	if want := "name         n\n-----------  -\n蓮 伊藤      4\nHarry Jones  3\n(2 rows)\n"; b.String() != want {
		t.Errorf("wide characters:\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if err := Write(&b, &Result{Columns: []string{"n"}}, Table); err != nil || b.String() != "n\n-\n(0 rows)\n" {
		t.Errorf("empty result: %q, %v", b.String(), err)
	}
}

// TestDuckDBValues reads every awkward DuckDB type through a real database
// and checks how each format prints it.
func TestDuckDBValues(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT sum(x) AS total, 1.50::DECIMAL(10,2) AS price,
		'0191c2a4-5b6e-7c8d-9e0f-a1b2c3d4e5f6'::UUID AS id, INTERVAL '1 year 2 months 3 days 04:05:06.5' AS took,
		DATE '2024-01-02' AS day, TIMESTAMPTZ '2024-01-02 03:04:05+00' AS at, ['a', 'b'] AS list,
		{'k': 1} AS obj, MAP {'m': 2} AS map, '\x00\xFFz'::BLOB AS raw, 0.1::DOUBLE AS f
		FROM range(4) r(x)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	res, err := Read(rows)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := Write(&b, res, CSV); err != nil {
		t.Fatal(err)
	}
	wantCSV := "total,price,id,took,day,at,list,obj,map,raw,f\n" +
		`6,1.5,0191c2a4-5b6e-7c8d-9e0f-a1b2c3d4e5f6,1 year 2 months 3 days 04:05:06.5,2024-01-02,2024-01-02 03:04:05Z,"[""a"",""b""]","{""k"":1}","[[""m"",2]]",\x00\xFFz,0.1` + "\n"
	if b.String() != wantCSV {
		t.Errorf("csv:\n%s\nwant\n%s", b.String(), wantCSV)
	}
	b.Reset()
	if err := Write(&b, res, JSON); err != nil {
		t.Fatal(err)
	}
	var got []map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("json output does not parse: %v\n%s", err, b.String())
	}
	if got[0]["total"] != 6.0 || got[0]["price"] != 1.5 || got[0]["day"] != "2024-01-02" || got[0]["at"] != "2024-01-02T03:04:05Z" {
		t.Errorf("json values: %v", got[0])
	}
	if !strings.HasPrefix(b.String(), `[{"total":6,"price":1.5,"id":`) {
		t.Errorf("json keeps neither column order nor exact numbers: %s", b.String())
	}
	b.Reset()
	if err := Write(&b, res, Table); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(b.String(), "\n"); !strings.HasPrefix(lines[0], "total  price  id") || !strings.HasPrefix(lines[2], "    6    1.5  0191c2a4") {
		t.Errorf("table:\n%s", b.String())
	}
}

func TestIntervalText(t *testing.T) {
	for _, c := range []struct {
		months, days int32
		micros       int64
		want         string
	}{
		{0, 0, 0, "00:00:00"},
		{0, 1, 0, "1 day"},
		{25, 0, 0, "2 years 1 month"},
		{0, 0, -90_000_000, "-00:01:30"},
		{0, 2, 3_600_000_001, "2 days 01:00:00.000001"},
	} {
		if got := intervalText(durationInterval(c.months, c.days, c.micros)); got != c.want {
			t.Errorf("%d months %d days %d µs: %q, want %q", c.months, c.days, c.micros, got, c.want)
		}
	}
}

func durationInterval(months, days int32, micros int64) duckdb.Interval {
	return duckdb.Interval{Months: months, Days: days, Micros: micros}
}
