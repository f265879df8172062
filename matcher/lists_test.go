package matcher_test

import (
	"errors"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/matcher"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt"
)

// listEntry is one entry of a real list with the list it came from.
type listEntry struct {
	list string
	e    *screening.Entry
}

var realLists = sync.OnceValues(func() ([]listEntry, error) {
	var out []listEntry
	for _, l := range fixtures.BundledLists() {
		r, err := listfmt.Open(l.Format, fixtures.Lists(), l.Path)
		if err != nil {
			return nil, err
		}
		for {
			e, err := r.Read()
			if err == io.EOF {
				break
			}
			var re *screening.RecordError
			if errors.As(err, &re) {
				continue // the readers' own tests cover these
			}
			if err != nil {
				r.Close()
				return nil, err
			}
			out = append(out, listEntry{list: l.Name, e: e})
		}
		r.Close()
	}
	return out, nil
})

// loadLists returns the entries of the bundled UN, OFAC and UK lists.
func loadLists(t testing.TB) []listEntry {
	t.Helper()
	es, err := realLists()
	if err != nil {
		t.Fatalf("read bundled lists: %v", err)
	}
	if len(es) < 10000 {
		t.Fatalf("read %d entries from the bundled lists, want more than 10000", len(es))
	}
	return es
}

// recordOf turns a screening entry into the matcher's record, as the
// screening engine does.
func recordOf(list string, e *screening.Entry) matcher.Record {
	r := matcher.Record{Key: list + "/" + e.ID, Kind: matcher.Person}
	if e.Kind == screening.KindOrganization {
		r.Kind = matcher.Organization
	}
	for _, n := range e.Names {
		r.Names = append(r.Names, matcher.RecordName{Full: n.Full, Given: n.Given, Family: n.Family, Weak: n.Weak()})
	}
	for _, d := range e.BirthDates {
		r.BirthDates = append(r.BirthDates, matcher.Date{Year: d.Year, Month: d.Month, Day: d.Day, ToYear: d.ToYear})
	}
	r.Nationalities = append(r.Nationalities, e.Nationalities...)
	if e.Gender != "" {
		r.Gender = e.Gender[0]
	}
	return r
}

func nameText(n screening.Name) string { return strings.TrimSpace(n.String()) }
