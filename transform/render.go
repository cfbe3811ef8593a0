package transform

import (
	"fmt"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// AppendRowsJSON appends every row of rec as one JSON object per line, keys in
// column order: strings (JSON columns included, as their text) as JSON
// strings, timestamps as RFC 3339 UTC with microseconds, lists as arrays,
// structs as objects in field order, NULL as null. It is the stable text form
// golden tests compare and debugging prints.
func AppendRowsJSON(dst []byte, rec arrow.RecordBatch) ([]byte, error) {
	sc := rec.Schema()
	for row := 0; row < int(rec.NumRows()); row++ {
		dst = append(dst, '{')
		for c := 0; c < int(rec.NumCols()); c++ {
			if c > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, sc.Field(c).Name)
			dst = append(dst, ':')
			var err error
			if dst, err = appendValueJSON(dst, rec.Column(c), row); err != nil {
				return dst, fmt.Errorf("column %s: %w", sc.Field(c).Name, err)
			}
		}
		dst = append(dst, '}', '\n')
	}
	return dst, nil
}

func appendValueJSON(dst []byte, a arrow.Array, i int) ([]byte, error) {
	if a.IsNull(i) {
		return append(dst, "null"...), nil
	}
	switch a := a.(type) {
	case *array.String:
		return AppendJSONString(dst, a.Value(i)), nil
	case *array.Timestamp:
		return AppendJSONString(dst, FormatTimestamp(a.Value(i))), nil
	case *array.Int64:
		return strconv.AppendInt(dst, a.Value(i), 10), nil
	case *array.Float64:
		return strconv.AppendFloat(dst, a.Value(i), 'g', -1, 64), nil
	case *array.Boolean:
		return strconv.AppendBool(dst, a.Value(i)), nil
	case *array.List:
		start, end := a.ValueOffsets(i)
		dst = append(dst, '[')
		for j := start; j < end; j++ {
			if j > start {
				dst = append(dst, ',')
			}
			var err error
			if dst, err = appendValueJSON(dst, a.ListValues(), int(j)); err != nil {
				return dst, err
			}
		}
		return append(dst, ']'), nil
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		dst = append(dst, '{')
		for f := 0; f < a.NumField(); f++ {
			if f > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, st.Field(f).Name)
			dst = append(dst, ':')
			var err error
			if dst, err = appendValueJSON(dst, a.Field(f), i); err != nil {
				return dst, err
			}
		}
		return append(dst, '}'), nil
	}
	return dst, fmt.Errorf("unsupported type %s", a.DataType())
}
