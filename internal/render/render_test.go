package render

import (
	"bytes"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	res := &Result{Columns: []string{"name", "n", "at"}, Rows: [][]any{
		{"Zoë", int64(3), time.Date(2024, 2, 1, 8, 0, 0, 0, time.UTC)},
		{nil, int64(12), nil},
	}}
	for format, want := range map[string]string{
		Table: "name  n   at\n----  --  --------------------\nZoë   3   2024-02-01 08:00:00Z\nNULL  12  NULL\n(2 rows)\n",
		CSV:   "name,n,at\nZoë,3,2024-02-01 08:00:00Z\n,12,\n",
		JSON:  `[{"at":"2024-02-01T08:00:00Z","n":3,"name":"Zoë"},{"at":null,"n":12,"name":null}]` + "\n",
	} {
		var b bytes.Buffer
		if err := Write(&b, res, format); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s:\n%q\nwant\n%q", format, b.String(), want)
		}
	}
	if err := Write(&bytes.Buffer{}, res, "xml"); err == nil {
		t.Error("xml accepted")
	}
}
