package screening

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Precision says how much of a Date is known.
type Precision uint8

// The precisions of a Date, from none to a full day.
const (
	PrecisionNone  Precision = iota // the zero Date: nothing known
	PrecisionRange                  // a range of years, Year to ToYear
	PrecisionYear                   // the year only
	PrecisionMonth                  // year and month
	PrecisionDay                    // year, month and day
)

func (p Precision) String() string {
	switch p {
	case PrecisionRange:
		return "range"
	case PrecisionYear:
		return "year"
	case PrecisionMonth:
		return "month"
	case PrecisionDay:
		return "day"
	}
	return "none"
}

// Date is a calendar date that may be partial: an exact day, a year and
// month, a year, or a range of years (Year to ToYear, both included). Lists
// often know no more than that of a date of birth.
//
// Its text form is "1960-01-31", "1961-05", "1962" or "1960/1965".
type Date struct {
	Year   int
	Month  int // 0 when unknown
	Day    int // 0 when unknown
	ToYear int // last year of a range; 0 when not a range

	// bad holds text that UnmarshalText could not read, so that Validate
	// can report it with the field it came from.
	bad string
}

// ErrDate is wrapped by every error of ParseDate and Date.Validate.
var ErrDate = errors.New("invalid date")

// Precision returns how much of d is known.
func (d Date) Precision() Precision {
	switch {
	case d.bad != "":
		return PrecisionNone
	case d.ToYear != 0:
		return PrecisionRange
	case d.Day != 0:
		return PrecisionDay
	case d.Month != 0:
		return PrecisionMonth
	case d.Year != 0:
		return PrecisionYear
	}
	return PrecisionNone
}

// IsZero reports whether nothing of d is known.
func (d Date) IsZero() bool { return d == Date{} }

// Equal reports whether d and o are the same date.
func (d Date) Equal(o Date) bool { return d == o }

// Exact returns the Date of a year, month and day.
func Exact(year, month, day int) Date { return Date{Year: year, Month: month, Day: day} }

// DateOf returns the day of t as an exact Date.
func DateOf(t time.Time) Date {
	y, m, dd := t.Date()
	return Date{Year: y, Month: int(m), Day: dd}
}

// Validate checks that d is a possible date: a year from 1000 to 9999, a
// month and day that exist (leap years included), a day only with a month,
// and a range whose end follows its start.
func (d Date) Validate() error {
	if d.bad != "" {
		_, err := ParseDate(d.bad)
		return err
	}
	if d.IsZero() {
		return nil
	}
	if d.Year < 1000 || d.Year > 9999 {
		return fmt.Errorf("%w: year %d out of range", ErrDate, d.Year)
	}
	if d.ToYear != 0 {
		if d.Month != 0 || d.Day != 0 {
			return fmt.Errorf("%w: a year range has no month or day", ErrDate)
		}
		if d.ToYear < d.Year || d.ToYear > 9999 {
			return fmt.Errorf("%w: range %d/%d ends before it starts", ErrDate, d.Year, d.ToYear)
		}
		return nil
	}
	if d.Month < 0 || d.Month > 12 {
		return fmt.Errorf("%w: month %d", ErrDate, d.Month)
	}
	if d.Day != 0 {
		if d.Month == 0 {
			return fmt.Errorf("%w: a day without a month", ErrDate)
		}
		if d.Day < 0 || d.Day > daysIn(d.Year, d.Month) {
			return fmt.Errorf("%w: day %d of %04d-%02d", ErrDate, d.Day, d.Year, d.Month)
		}
	}
	return nil
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String returns the text form of d, or "" for the zero Date.
func (d Date) String() string {
	if d.bad != "" {
		return d.bad
	}
	var buf [16]byte
	return string(d.appendText(buf[:0]))
}

// appendText appends the text form of d.
func (d Date) appendText(b []byte) []byte {
	if d.bad != "" {
		return append(b, d.bad...)
	}
	switch d.Precision() {
	case PrecisionRange:
		b = appendYear(b, d.Year)
		b = append(b, '/')
		return appendYear(b, d.ToYear)
	case PrecisionDay:
		b = appendYear(b, d.Year)
		b = append2(append(b, '-'), d.Month)
		return append2(append(b, '-'), d.Day)
	case PrecisionMonth:
		b = appendYear(b, d.Year)
		return append2(append(b, '-'), d.Month)
	case PrecisionYear:
		return appendYear(b, d.Year)
	}
	return b
}

// appendYear writes a year as at least four digits, as %04d does.
func appendYear(b []byte, y int) []byte {
	if y < 0 || y > 9999 {
		return fmt.Appendf(b, "%04d", y)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
}

func append2(b []byte, n int) []byte {
	if n < 0 || n > 99 {
		return fmt.Appendf(b, "%02d", n)
	}
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// ParseDate reads a Date in its text form: "YYYY-MM-DD", "YYYY-MM", "YYYY"
// or "YYYY/YYYY". The empty string is the zero Date.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	var d Date
	var err error
	switch {
	case len(s) == 4:
		d.Year, err = digits(s)
	case len(s) == 9 && s[4] == '/':
		if d.Year, err = digits(s[:4]); err == nil {
			d.ToYear, err = digits(s[5:])
		}
	case len(s) == 7 && s[4] == '-':
		if d.Year, err = digits(s[:4]); err == nil {
			d.Month, err = digits(s[5:])
		}
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		if d.Year, err = digits(s[:4]); err == nil {
			if d.Month, err = digits(s[5:7]); err == nil {
				d.Day, err = digits(s[8:])
			}
		}
	default:
		err = errors.New("want YYYY-MM-DD, YYYY-MM, YYYY or YYYY/YYYY")
	}
	if err != nil {
		return Date{}, fmt.Errorf("%w %q: %v", ErrDate, s, err)
	}
	if d.Month == 0 && (len(s) == 7 || len(s) == 10) {
		return Date{}, fmt.Errorf("%w %q: month 00", ErrDate, s)
	}
	if d.Day == 0 && len(s) == 10 {
		return Date{}, fmt.Errorf("%w %q: day 00", ErrDate, s)
	}
	if err := d.Validate(); err != nil {
		return Date{}, err
	}
	return d, nil
}

func digits(s string) (int, error) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("%q is not a number", s)
		}
	}
	return strconv.Atoi(s)
}

// Contains reports whether the exact day t could be the date d describes.
func (d Date) Contains(t Date) bool {
	switch d.Precision() {
	case PrecisionRange:
		return t.Year >= d.Year && t.Year <= d.ToYear
	case PrecisionYear:
		return t.Year == d.Year
	case PrecisionMonth:
		return t.Year == d.Year && t.Month == d.Month
	case PrecisionDay:
		return t.Year == d.Year && t.Month == d.Month && t.Day == d.Day
	}
	return false
}

// Time returns the first day d can stand for, at midnight UTC, or the zero
// time for the zero Date.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	m, dd := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if dd == 0 {
		dd = 1
	}
	return time.Date(d.Year, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return d.appendText(nil), nil }

// UnmarshalText implements encoding.TextUnmarshaler. Text that is not a
// date is kept, not refused, so that Validate can name the field it sits in:
// decoding a whole record and then validating it gives one clear error.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		*d = Date{bad: string(b)}
		return nil
	}
	*d = v
	return nil
}
