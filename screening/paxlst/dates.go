package paxlst

import (
	"errors"
	"fmt"
	"time"

	"github.com/bordersec/portcullis/screening"
)

// dateParts are the fields of a DTM value.
type dateParts struct {
	year, month, day, hour, min, sec int
	century                          bool // the year has four digits
	hasTime                          bool
}

// splitDTM reads a DTM value in the format its code (2379) names, or, with
// no code, the format its length implies: 101 YYMMDD, 102 CCYYMMDD, 201
// YYMMDDHHMM, 203 CCYYMMDDHHMM, 204 CCYYMMDDHHMMSS.
func splitDTM(text, format string) (dateParts, error) {
	var p dateParts
	for i := 0; i < len(text); i++ {
		if text[i] < '0' || text[i] > '9' {
			return p, errors.New("not all digits")
		}
	}
	if format == "" {
		switch len(text) {
		case 6:
			format = "101"
		case 8:
			format = "102"
		case 10:
			format = "201"
		case 12:
			format = "203"
		case 14:
			format = "204"
		default:
			return p, fmt.Errorf("%d digits, want 6, 8, 10, 12 or 14", len(text))
		}
	}
	var want int
	switch format {
	case "101":
		want = 6
	case "102":
		want = 8
	case "201":
		want = 10
	case "203":
		want = 12
	case "204":
		want = 14
	default:
		return p, fmt.Errorf("date format %q is not one of 101, 102, 201, 203, 204", format)
	}
	if len(text) != want {
		return p, fmt.Errorf("%d digits, format %s wants %d", len(text), format, want)
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range text[i : i+n] {
			v = v*10 + int(c-'0')
		}
		return v
	}
	i := 0
	if format == "102" || format == "203" || format == "204" {
		p.year, p.century, i = num(0, 4), true, 4
	} else {
		p.year, i = num(0, 2), 2
	}
	p.month, p.day = num(i, 2), num(i+2, 2)
	i += 4
	if len(text) > i {
		p.hasTime = true
		p.hour, p.min = num(i, 2), num(i+2, 2)
		if len(text) > i+4 {
			p.sec = num(i+4, 2)
		}
	}
	return p, nil
}

// fullYear turns a two-digit year into a year near ref: for a date of
// birth the latest year not after ref's, for other dates the latest year not
// more than 50 years after ref's.
func fullYear(yy int, ref time.Time, birth bool) int {
	y := 2000 + yy
	limit := ref.Year() + 50
	if birth {
		limit = ref.Year()
	}
	if y > limit {
		y -= 100
	}
	return y
}

// parseDate reads a DTM value as a calendar date, which may be partial (00
// for an unknown month or day). birth selects the century rule of dates of
// birth.
func parseDate(text, format string, ref time.Time, birth bool) (screening.Date, error) {
	p, err := splitDTM(text, format)
	if err != nil {
		return screening.Date{}, err
	}
	if !p.century {
		yy := p.year
		p.year = fullYear(yy, ref, birth)
		if birth && p.year == ref.Year() && (p.month > int(ref.Month()) || p.month == int(ref.Month()) && p.day > ref.Day()) {
			p.year -= 100 // later this year than the message: last century
		}
	}
	d := screening.Date{Year: p.year, Month: p.month, Day: p.day}
	if d.Month == 0 && d.Day != 0 {
		return screening.Date{}, errors.New("a day but no month")
	}
	if err := d.Validate(); err != nil {
		return screening.Date{}, err
	}
	return d, nil
}

// parseDateTime reads a DTM value as a local date and time.
func parseDateTime(text, format string, ref time.Time) (time.Time, error) {
	p, err := splitDTM(text, format)
	if err != nil {
		return time.Time{}, err
	}
	if !p.century {
		p.year = fullYear(p.year, ref, false)
	}
	if p.hour > 24 || p.min > 59 || p.sec > 59 || (p.hour == 24 && (p.min != 0 || p.sec != 0)) {
		return time.Time{}, fmt.Errorf("%02d:%02d is not a time of day", p.hour, p.min)
	}
	d := screening.Date{Year: p.year, Month: p.month, Day: p.day}
	if d.Month == 0 || d.Day == 0 {
		return time.Time{}, errors.New("month or day missing")
	}
	if err := d.Validate(); err != nil {
		return time.Time{}, err
	}
	return time.Date(p.year, time.Month(p.month), p.day, p.hour, p.min, p.sec, 0, time.UTC), nil
}

// refDate reads the date of preparation of the interchange (YYMMDD or
// CCYYMMDD), the reference for two-digit years.
func refDate(date string, now func() time.Time) time.Time {
	if p, err := splitDTM(date, ""); err == nil && !p.hasTime {
		y := p.year
		if !p.century {
			y += 2000
			if y > now().Year()+1 {
				y -= 100
			}
		}
		d := screening.Date{Year: y, Month: p.month, Day: p.day}
		if d.Month != 0 && d.Day != 0 && d.Validate() == nil {
			return time.Date(y, time.Month(p.month), p.day, 0, 0, 0, 0, time.UTC)
		}
	}
	return now().UTC()
}
