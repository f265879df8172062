// Package listtest holds what the tests of the list readers share: a
// summary of the entries read from a list, golden files, and checks that
// every entry is valid.
package listtest

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/bordersec/portcullis/screening"
)

// Update rewrites golden files instead of comparing with them.
var Update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Counts are the totals of a list, read.
type Counts struct {
	Entries, Persons, Organizations                      int
	Names, WeakNames, SplitNames, ScriptNames            int
	BirthDates, PersonsWithBirthDate                     int
	DatePrecision                                        map[string]int
	Nationalities, PersonsWithNationality                int
	Genders                                              map[screening.Gender]int
	Documents, DocumentsWithCountry, DocumentsWithExpiry int
	DocumentTypes                                        map[string]int
	Identifiers, Countries, ListedFrom, RecordErrors     int
}

// Count totals entries and record errors.
func Count(entries []*screening.Entry, skipped []*screening.RecordError) Counts {
	c := Counts{DatePrecision: map[string]int{}, Genders: map[screening.Gender]int{}, DocumentTypes: map[string]int{}}
	c.Entries, c.RecordErrors = len(entries), len(skipped)
	for _, e := range entries {
		if e.Kind == screening.KindPerson {
			c.Persons++
		} else {
			c.Organizations++
		}
		c.Names += len(e.Names)
		for _, n := range e.Names {
			if n.Weak() {
				c.WeakNames++
			}
			if n.Full == "" {
				c.SplitNames++
			}
			if !latin(n.String()) {
				c.ScriptNames++
			}
		}
		c.BirthDates += len(e.BirthDates)
		if len(e.BirthDates) > 0 {
			c.PersonsWithBirthDate++
		}
		for _, d := range e.BirthDates {
			c.DatePrecision[d.Precision().String()]++
		}
		c.Nationalities += len(e.Nationalities)
		if len(e.Nationalities) > 0 {
			c.PersonsWithNationality++
		}
		if e.Gender != screening.GenderUnknown {
			c.Genders[e.Gender]++
		}
		c.Documents += len(e.Documents)
		for _, d := range e.Documents {
			t := d.Type
			if t == "" {
				t = "other"
			}
			c.DocumentTypes[t]++
			if d.Country != "" {
				c.DocumentsWithCountry++
			}
			if !d.Expiry.IsZero() {
				c.DocumentsWithExpiry++
			}
		}
		c.Identifiers += len(e.Identifiers)
		c.Countries += len(e.Countries)
		if !e.ListedFrom.IsZero() {
			c.ListedFrom++
		}
	}
	return c
}

// String writes the counts one to a line, in a fixed order.
func (c Counts) String() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("entries %d", c.Entries)
	p("persons %d", c.Persons)
	p("organizations %d", c.Organizations)
	p("names %d (weak %d, given/family %d, non-Latin script %d)", c.Names, c.WeakNames, c.SplitNames, c.ScriptNames)
	p("birth dates %d on %d entries (%s)", c.BirthDates, c.PersonsWithBirthDate, mapString(c.DatePrecision))
	p("nationalities %d on %d entries", c.Nationalities, c.PersonsWithNationality)
	g := map[string]int{}
	for k, v := range c.Genders {
		g[string(k)] = v
	}
	p("genders %s", mapString(g))
	p("documents %d (%s; with country %d, with expiry %d)", c.Documents, mapString(c.DocumentTypes), c.DocumentsWithCountry, c.DocumentsWithExpiry)
	p("identifiers %d", c.Identifiers)
	p("countries %d", c.Countries)
	p("listed_from %d", c.ListedFrom)
	p("record errors %d", c.RecordErrors)
	return b.String()
}

func mapString(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

func latin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// Golden compares got with the file at path, or writes it with -update.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run with -update to accept it):\n%s", path, diff(string(want), string(got)))
	}
}

// diff shows the first lines that differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

// CheckValid fails t for every entry that does not pass Validate or that
// Normalize would still change.
func CheckValid(t testing.TB, entries []*screening.Entry) {
	t.Helper()
	bad := 0
	for _, e := range entries {
		if err := e.Validate(); err != nil {
			t.Errorf("entry %s: %v", e.ID, err)
			bad++
		}
		again := *e
		again.Names = slices.Clone(e.Names)
		again.BirthDates = slices.Clone(e.BirthDates)
		again.Nationalities = slices.Clone(e.Nationalities)
		again.Documents = slices.Clone(e.Documents)
		again.Countries = slices.Clone(e.Countries)
		again.Identifiers = slices.Clone(e.Identifiers)
		again.Normalize()
		if !reflect.DeepEqual(&again, e) {
			t.Errorf("entry %s: not normalised:\n got %+v\nonce more %+v", e.ID, *e, again)
			bad++
		}
		if bad > 10 {
			t.Fatal("too many invalid entries")
		}
	}
}

// ReadAll reads r to the end, keeping record errors.
func ReadAll(t testing.TB, r screening.EntryReader) ([]*screening.Entry, []*screening.RecordError) {
	t.Helper()
	entries, skipped, err := screening.ReadAll(r, true)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return entries, skipped
}

// ReadOutcomes reads r to the end and returns, in order, the id of each
// entry read or "error" for each record refused, with the record errors.
// Any other error fails the test.
func ReadOutcomes(t testing.TB, r screening.EntryReader) ([]string, []*screening.RecordError) {
	t.Helper()
	var got []string
	var errs []*screening.RecordError
	for {
		e, err := r.Read()
		if err == io.EOF {
			return got, errs
		}
		var re *screening.RecordError
		switch {
		case errors.As(err, &re):
			errs = append(errs, re)
			got = append(got, "error")
		case err != nil:
			t.Fatalf("Read: %v", err)
		default:
			got = append(got, e.ID)
		}
	}
}
