package paxlst

import (
	"testing"
	"time"
)

func TestParseDateTime(t *testing.T) {
	ref := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		text, format string
		want         string // "" when an error is wanted
	}{
		{"2506011300", "201", "2025-06-01 13:00:00"},
		{"2506011300", "", "2025-06-01 13:00:00"},
		{"202506011300", "203", "2025-06-01 13:00:00"},
		{"20250601130059", "204", "2025-06-01 13:00:59"},
		{"7506011300", "201", "2075-06-01 13:00:00"},
		{"7606011300", "201", "1976-06-01 13:00:00"},
		{"2506012400", "201", "2025-06-02 00:00:00"},
		{"2506012401", "201", ""},
		{"2506011360", "201", ""},
		{"2502301300", "201", ""},
		{"250601", "102", ""},
		{"2506001300", "201", ""},
		{"2506011", "", ""},
		{"20250601", "102", "2025-06-01 00:00:00"},
		{"25O6011300", "201", ""},
		{"2506011300", "999", ""},
	}
	for _, tt := range tests {
		got, err := parseDateTime(tt.text, tt.format, ref)
		if tt.want == "" {
			if err == nil {
				t.Errorf("%s/%s: got %v, want an error", tt.text, tt.format, got)
			}
			continue
		}
		if err != nil || got.Format(time.DateTime) != tt.want {
			t.Errorf("%s/%s: got %v, %v, want %s", tt.text, tt.format, got, err, tt.want)
		}
	}
}

func TestRefDate(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) }
	tests := []struct {
		unb  string
		want string
	}{
		{"250601", "2025-06-01"},
		{"20250601", "2025-06-01"},
		{"990101", "1999-01-01"},
		{"270101", "2027-01-01"},
		{"", "2026-03-04"},
		{"251301", "2026-03-04"},
		{"2506011300", "2026-03-04"},
	}
	for _, tt := range tests {
		if got := refDate(tt.unb, now).Format(time.DateOnly); got != tt.want {
			t.Errorf("%q: got %s, want %s", tt.unb, got, tt.want)
		}
	}
}
