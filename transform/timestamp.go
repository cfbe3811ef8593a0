package transform

import (
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// Epoch numbers with an absolute value below this are seconds, others milliseconds
// (1e11 s is the year 5138; 1e11 ms is 1973-03-03).
const epochMillisThreshold = 100_000_000_000

// The range of instants accepted: years 0001 to 9999, as in ISO 8601 text.
const (
	minMicros = -62135596800_000_000 // 0001-01-01T00:00:00Z
	maxMicros = 253402300799_999_999 // 9999-12-31T23:59:59.999999Z
)

// ParseTimestamp converts a source timestamp to UTC microseconds since the Unix
// epoch. Accepted, after trimming white space:
//
//   - ISO 8601 / RFC 3339: YYYY-MM-DD, optionally followed by 'T' (or 't' or a
//     space) and hh:mm[:ss[.fraction]] (1 to 9 fraction digits, truncated to
//     microseconds), and an optional zone: Z, ±hh:mm, ±hhmm or ±hh. No zone
//     means UTC. A date alone is midnight UTC.
//   - Unix epoch as an integer (optional '-'): seconds when its absolute value is
//     below 1e11, else milliseconds; the instant must fall in the years 0001-9999.
//
// Anything else (including out-of-range fields such as month 13 or 25:00)
// yields ok=false.
func ParseTimestamp(s string) (ts arrow.Timestamp, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if allDigits(s) || (s[0] == '-' && allDigits(s[1:])) {
		return parseEpoch(s)
	}
	return parseISO(s)
}

// MustParseTimestamp is ParseTimestamp for literals in tests and tables; it panics on bad input.
func MustParseTimestamp(s string) arrow.Timestamp {
	ts, ok := ParseTimestamp(s)
	if !ok {
		panic("transform: bad timestamp " + s)
	}
	return ts
}

// FormatTimestamp renders micros as RFC 3339 UTC with microseconds.
func FormatTimestamp(ts arrow.Timestamp) string {
	return time.UnixMicro(int64(ts)).UTC().Format("2006-01-02T15:04:05.000000Z07:00")
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func parseEpoch(s string) (arrow.Timestamp, bool) {
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	if len(s) == 0 || len(s) > 16 || !allDigits(s) { // 16 digits of ms is year ~318857
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	var us int64
	if n < epochMillisThreshold {
		us = n * 1_000_000
	} else {
		us = n * 1_000
	}
	if neg {
		us = -us
	}
	if us < minMicros || us > maxMicros {
		return 0, false
	}
	return arrow.Timestamp(us), true
}

// num parses exactly n digits at s[i:].
func num(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for j := i; j < i+n; j++ {
		if !isDigit(s[j]) {
			return 0, false
		}
		v = v*10 + int(s[j]-'0')
	}
	return v, true
}

func parseISO(s string) (arrow.Timestamp, bool) {
	year, ok1 := num(s, 0, 4)
	month, ok2 := num(s, 5, 2)
	day, ok3 := num(s, 8, 2)
	if !ok1 || !ok2 || !ok3 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(month, year) {
		return 0, false
	}
	var hour, minute, sec, micros, offset int
	i := 10
	if i < len(s) {
		if c := s[i]; c != 'T' && c != 't' && c != ' ' {
			return 0, false
		}
		var ok bool
		if hour, ok = num(s, i+1, 2); !ok || hour > 23 {
			return 0, false
		}
		if i+3 >= len(s) || s[i+3] != ':' {
			return 0, false
		}
		if minute, ok = num(s, i+4, 2); !ok || minute > 59 {
			return 0, false
		}
		i += 6
		if i < len(s) && s[i] == ':' {
			if sec, ok = num(s, i+1, 2); !ok || sec > 59 {
				return 0, false
			}
			i += 3
			if i < len(s) && (s[i] == '.' || s[i] == ',') {
				j := i + 1
				scale := 100_000
				for j < len(s) && isDigit(s[j]) {
					if j-i > 9 {
						return 0, false
					}
					micros += int(s[j]-'0') * scale
					scale /= 10
					j++
				}
				if j == i+1 {
					return 0, false
				}
				i = j
			}
		}
		if i < len(s) {
			var ok bool
			if offset, ok = parseZone(s[i:]); !ok {
				return 0, false
			}
		}
	}
	days := daysFromCivil(year, month, day)
	secs := days*86400 + int64(hour*3600+minute*60+sec) - int64(offset)
	us := secs*1_000_000 + int64(micros)
	if us < minMicros || us > maxMicros {
		return 0, false // e.g. 0001-01-01T00:00:00+01:00
	}
	return arrow.Timestamp(us), true
}

// parseZone returns the zone offset in seconds east of UTC.
func parseZone(z string) (int, bool) {
	if z == "Z" || z == "z" {
		return 0, true
	}
	if len(z) < 3 || (z[0] != '+' && z[0] != '-') {
		return 0, false
	}
	h, ok := num(z, 1, 2)
	if !ok || h > 23 {
		return 0, false
	}
	m := 0
	switch len(z) {
	case 3:
	case 5:
		if m, ok = num(z, 3, 2); !ok {
			return 0, false
		}
	case 6:
		if z[3] != ':' {
			return 0, false
		}
		if m, ok = num(z, 4, 2); !ok {
			return 0, false
		}
	default:
		return 0, false
	}
	if m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if z[0] == '-' {
		off = -off
	}
	return off, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil returns the days since 1970-01-01 of a proleptic Gregorian date
// (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
