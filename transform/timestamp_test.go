package transform

import (
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestParseTimestamp(t *testing.T) {
	ref := time.Date(2024, 2, 1, 8, 54, 57, 0, time.UTC)
	us := func(tm time.Time) arrow.Timestamp { return arrow.Timestamp(tm.UnixMicro()) }
	for _, c := range []struct {
		in   string
		want arrow.Timestamp
		ok   bool
	}{
		{"2024-02-01T08:54:57.000Z", us(ref), true},
		{"2024-02-01T08:54:57Z", us(ref), true},
		{"2024-02-01T08:54:57.123Z", us(ref) + 123000, true},
		{"2024-02-01T08:54:57.123456789Z", us(ref) + 123456, true},
		{"2024-02-01T08:54:57.1Z", us(ref) + 100000, true},
		{"2024-02-01T08:54:57,5Z", us(ref) + 500000, true},
		{"2024-02-01T08:54:57.000+0000", us(ref), true},
		{"2024-02-01T08:54:57+00:00", us(ref), true},
		{"2024-02-01T10:54:57.000+02:00", us(ref), true},
		{"2024-02-01T10:54:57+0200", us(ref), true},
		{"2024-02-01T03:54:57-05", us(ref), true},
		{"2024-02-01T03:24:57-05:30", us(ref), true},
		{"2024-02-01t08:54:57z", us(ref), true},
		{"2024-02-01 08:54:57", us(ref), true},
		{"2024-02-01T08:54", us(ref) - 57_000_000, true},
		{"2024-02-01", us(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)), true},
		{" 2024-02-01T08:54:57Z\n", us(ref), true},
		{"1706777697", us(ref), true},
		{"1706777697000", us(ref), true},
		{"1706777697123", us(ref) + 123000, true},
		{"0", 0, true},
		{"-86400", -86_400_000_000, true},
		{"2024-02-29T00:00:00Z", us(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)), true},
		{"1900-03-01T00:00:00Z", us(time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)), true},
		{"0001-01-01T00:00:00Z", us(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)), true},
		{"9999-12-31T23:59:59.999999Z", us(time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)), true},
		{"", 0, false},
		{"2023-02-29T00:00:00Z", 0, false},
		{"2024-13-01T00:00:00Z", 0, false},
		{"2024-00-01T00:00:00Z", 0, false},
		{"2024-02-01T24:00:00Z", 0, false},
		{"2024-02-01T08:60:00Z", 0, false},
		{"2024-02-01T08:54:60Z", 0, false},
		{"2024-02-01T08:54:57.Z", 0, false},
		{"2024-02-01T08:54:57.1234567890Z", 0, false},
		{"2024-02-01T08:54:57+2400", 0, false},
		{"2024-02-01T08:54:57+01:60", 0, false},
		{"2024-02-01T08:54:57+1", 0, false},
		{"2024-02-01T08:54:57 UTC", 0, false},
		{"2024-2-1", 0, false},
		{"Feb 1, 2024", 0, false},
		{"2024-02-01X08:54:57Z", 0, false},
		{"12345678901234567", 0, false},
		{"-", 0, false},
		{"1.5", 0, false},
	} {
		got, ok := ParseTimestamp(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseTimestamp(%q) = %d (%s),%v want %d (%s),%v", c.in, got, FormatTimestamp(got), ok, c.want, FormatTimestamp(c.want), c.ok)
		}
	}
}

func TestFormatTimestamp(t *testing.T) {
	if got := FormatTimestamp(MustParseTimestamp("2024-02-01T10:54:57.5+02:00")); got != "2024-02-01T08:54:57.500000Z" {
		t.Fatalf("FormatTimestamp = %s", got)
	}
}
