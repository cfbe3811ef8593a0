package render

import (
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/mattn/go-runewidth"
)

// Formats accepted by Write.
const (
	Table = "table"
	CSV   = "csv"
	JSON  = "json"
)

// Formats lists the output formats, for usage messages.
var Formats = []string{Table, CSV, JSON}

// Result is a fully read query result.
type Result struct {
	Columns []string
	Types   []string // database type names (DuckDB: "DATE", "UUID", ...); may be empty
	Rows    [][]any
}

// Read drains rows into a Result. Values the database driver returns in a
// form that prints badly (UUIDs as 16 bytes, DATEs as midnight timestamps,
// intervals as structs) are converted to what the database would print.
func Read(rows *sql.Rows) (*Result, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	res := &Result{Columns: cols, Types: make([]string, len(cols))}
	if cts, err := rows.ColumnTypes(); err == nil {
		for i, ct := range cts {
			res.Types[i] = ct.DatabaseTypeName()
		}
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			vals[i] = normalize(v, res.Types[i])
		}
		res.Rows = append(res.Rows, vals)
	}
	return res, rows.Err()
}

// Date is a calendar date (a DATE column).
type Date struct{ time.Time }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return d.Format(time.DateOnly) }

func normalize(v any, typ string) any {
	switch t := v.(type) {
	case []byte:
		if typ == "UUID" && len(t) == 16 {
			u := duckdb.UUID(t)
			return u.String()
		}
	case time.Time:
		if typ == "DATE" {
			return Date{t}
		}
	case duckdb.Interval:
		return intervalText(t)
	case duckdb.UUID:
		return t.String()
	}
	return v
}

// intervalText prints an interval as DuckDB does: "1 year 2 months 3 days 04:05:06".
func intervalText(iv duckdb.Interval) string {
	var parts []string
	unit := func(n int64, one string) {
		if n == 0 {
			return
		}
		s := strconv.FormatInt(n, 10) + " " + one
		if n != 1 && n != -1 {
			s += "s"
		}
		parts = append(parts, s)
	}
	unit(int64(iv.Months/12), "year")
	unit(int64(iv.Months%12), "month")
	unit(int64(iv.Days), "day")
	if iv.Micros != 0 || len(parts) == 0 {
		m := iv.Micros
		sign := ""
		if m < 0 {
			sign, m = "-", -m
		}
		s := fmt.Sprintf("%s%02d:%02d:%02d", sign, m/3_600_000_000, m/60_000_000%60, m/1_000_000%60)
		if frac := m % 1_000_000; frac != 0 {
			s += strings.TrimRight(fmt.Sprintf(".%06d", frac), "0")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// Write prints the result in the given format: an aligned text table with
// numbers right-aligned (long cells cut at 60 columns; wide characters count
// twice), CSV with a header
// line (NULL as an empty field), or a JSON array of objects.
func Write(w io.Writer, res *Result, format string) error {
	switch format {
	case "", Table:
		return writeTable(w, res)
	case CSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(res.Columns); err != nil {
			return err
		}
		for _, r := range res.Rows {
			rec := make([]string, len(r))
			for i, v := range r {
				if v != nil {
					rec[i] = Text(v)
				}
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	case JSON:
		out := make([]json.RawMessage, 0, len(res.Rows))
		for _, r := range res.Rows {
			obj, err := jsonObject(res.Columns, r)
			if err != nil {
				return err
			}
			out = append(out, obj)
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	return fmt.Errorf("unknown format %q (table, csv or json)", format)
}

// jsonObject encodes one row as an object with the columns in query order.
func jsonObject(cols []string, row []any) (json.RawMessage, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range row {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(cols[i])
		if err != nil {
			return nil, err
		}
		val, err := marshal(jsonValue(v))
		if err != nil {
			return nil, fmt.Errorf("column %s: %w", cols[i], err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('}')
	return json.RawMessage(b.String()), nil
}

func marshal(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(strings.TrimSuffix(b.String(), "\n")), nil
}

func jsonValue(v any) any {
	switch t := v.(type) {
	case time.Time:
		return t.UTC().Format(time.RFC3339Nano)
	case Date:
		return t.String()
	case []byte:
		return bytesText(t)
	case duckdb.Decimal:
		return json.Number(t.String())
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = jsonValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = jsonValue(e)
		}
		return out
	case duckdb.OrderedMap:
		out := make([][2]any, 0, t.Len())
		vals := t.Values()
		for i, k := range t.Keys() {
			out = append(out, [2]any{jsonValue(k), jsonValue(vals[i])})
		}
		return out
	case float64:
		if t != t || t > 1.7976931348623157e308 || t < -1.7976931348623157e308 {
			return strconv.FormatFloat(t, 'g', -1, 64) // NaN, ±Inf: no JSON number
		}
	case float32:
		return jsonValue(float64(t))
	}
	return v
}

// bytesText shows bytes as text when they are UTF-8, escaped otherwise.
func bytesText(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	var s strings.Builder
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '\\' {
			s.WriteByte(c)
		} else {
			fmt.Fprintf(&s, `\x%02X`, c)
		}
	}
	return s.String()
}

// Text renders one value as text.
func Text(v any) string {
	switch t := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		return t.UTC().Format("2006-01-02 15:04:05.999999Z07:00")
	case []byte:
		return bytesText(t)
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'g', 10, 64)
	case float32:
		return strconv.FormatFloat(float64(t), 'g', 7, 32)
	case []any, map[string]any, duckdb.OrderedMap:
		b, err := marshal(jsonValue(t))
		if err != nil {
			return fmt.Sprint(t)
		}
		return string(b)
	}
	return fmt.Sprint(v)
}

// numeric reports whether v prints as a number (right-aligned in tables).
func numeric(v any) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64,
		float32, float64, *big.Int, duckdb.Decimal:
		return true
	}
	return false
}

const maxCell = 60

func writeTable(w io.Writer, res *Result) error {
	cells := make([][]string, 0, len(res.Rows)+1)
	cells = append(cells, res.Columns)
	right := make([]bool, len(res.Columns))
	for i := range right {
		right[i] = len(res.Rows) > 0
	}
	for _, r := range res.Rows {
		row := make([]string, len(r))
		for i, v := range r {
			if v != nil && !numeric(v) {
				right[i] = false
			}
			s := strings.Join(strings.Fields(strings.ReplaceAll(Text(v), "\n", " ")), " ")
			if runewidth.StringWidth(s) > maxCell {
				s = runewidth.Truncate(s, maxCell, "…")
			}
			row[i] = s
		}
		cells = append(cells, row)
	}
	width := make([]int, len(res.Columns))
	for _, r := range cells {
		for i, c := range r {
			if n := runewidth.StringWidth(c); n > width[i] {
				width[i] = n
			}
		}
	}
	var b strings.Builder
	line := func(r []string) {
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-runewidth.StringWidth(c))
			switch {
			case right[i]:
				b.WriteString(pad + c)
			case i < len(r)-1:
				b.WriteString(c + pad)
			default:
				b.WriteString(c)
			}
		}
		b.WriteString("\n")
	}
	line(cells[0])
	sep := make([]string, len(width))
	for i, n := range width {
		sep[i] = strings.Repeat("-", n)
	}
	line(sep)
	for _, r := range cells[1:] {
		line(r)
	}
	fmt.Fprintf(&b, "(%d row%s)\n", len(res.Rows), map[bool]string{true: "", false: "s"}[len(res.Rows) == 1])
	_, err := io.WriteString(w, b.String())
	return err
}
