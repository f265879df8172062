package matcher

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// bandTestRecord returns record i of the banded-list test: one of a few
// names, so that their lists grow past bandMin, with dates of birth of
// every kind a band holds or leaves out (none, ranges, years far off,
// ranges wider than maxBandSpan), drawn from seed.
func bandTestRecord(i int, seed uint64) Record {
	rng := rand.New(rand.NewPCG(uint64(i), seed))
	given := []string{"AHMAD", "MUHAMMAD", "HASSAN"}
	family := []string{"KHAN", "SALEM"}
	r := Record{
		Key:  fmt.Sprintf("t/%d", i),
		Kind: Person,
		Names: []RecordName{{Full: fmt.Sprintf("%s %s %s",
			given[rng.IntN(len(given))], given[rng.IntN(len(given))], family[rng.IntN(len(family))])}},
	}
	y := 1930 + rng.IntN(80)
	switch rng.IntN(8) {
	case 0: // no date
	case 1:
		r.BirthDates = []Date{{Year: y, ToYear: y + rng.IntN(5)}}
	case 2:
		r.BirthDates = []Date{{Year: y, ToYear: y + 16 + rng.IntN(20)}} // too wide for a band
	case 3:
		r.BirthDates = []Date{{Year: 1600 + rng.IntN(100)}} // outside the bands' years
	case 4:
		r.BirthDates = []Date{{Year: y}, {Year: y + 1 + rng.IntN(3)}}
	default:
		r.BirthDates = []Date{{Year: y, Month: 1 + rng.IntN(12), Day: 1 + rng.IntN(28)}}
	}
	return r
}

// TestBandedListsAfterChanges checks that lists split by year of birth
// stay right through removals and replacements that change the years:
// an index changed record by record finds what an index built afresh
// from the final records finds, and its lists hold the same postings.
func TestBandedListsAfterChanges(t *testing.T) {
	const n = 3000
	ix := NewIndex(Options{})
	for i := range n {
		if err := ix.Upsert(bandTestRecord(i, 1)); err != nil {
			t.Fatal(err)
		}
	}
	final := make(map[int]Record)
	for i := range n {
		final[i] = bandTestRecord(i, 1)
	}
	for i := 0; i < n; i += 3 {
		switch i % 2 {
		case 0:
			ix.Remove(final[i].Key)
			delete(final, i)
		default:
			r := bandTestRecord(i, 2) // other years, another name
			if err := ix.Upsert(r); err != nil {
				t.Fatal(err)
			}
			final[i] = r
		}
	}
	fresh := NewIndex(Options{})
	for i := range n {
		if r, ok := final[i]; ok {
			if err := fresh.Upsert(r); err != nil {
				t.Fatal(err)
			}
		}
	}

	banded := 0
	for v := range ix.words {
		for slot := 0; slot < numKinds*numClasses; slot++ {
			fv, ok := fresh.vocab[ix.words[v].vkey]
			if !ok {
				t.Fatalf("word %q is not in a fresh index of the same records", ix.words[v].text)
			}
			got, want := ix.post[v].get(slot), fresh.post[fv].get(slot)
			if got.bands != nil {
				banded++
				sum := 0
				for _, l := range got.bands.lists {
					sum += len(l)
				}
				if sum != got.bands.n {
					t.Errorf("word %s slot %d: bands hold %d postings, count %d", ix.words[v].text, slot, sum, got.bands.n)
				}
			}
			if a, b := postingSet(ix, got), postingSet(fresh, want); !reflect.DeepEqual(a, b) {
				t.Errorf("word %s slot %d: %d postings after the changes, %d built afresh", ix.words[v].text, slot, len(a), len(b))
			}
		}
	}
	if banded == 0 {
		t.Fatal("no list was split by year: the test does not test bands")
	}

	for k := range 200 {
		q := Query{Kind: Person, Name: bandTestRecord(10000+k, 3).Names[0].Full}
		switch k % 4 {
		case 1:
			q.BirthDate = Date{Year: 1930 + k%80}
		case 2:
			q.BirthDate = Date{Year: 1930 + k%80, Month: 5, Day: 4}
		case 3:
			q.BirthDate = Date{Year: 1930 + k%80, ToYear: 1933 + k%80}
		}
		for _, o := range []SearchOptions{{}, {Threshold: 0.7, MaxHits: -1}} {
			got, err := ix.Search(q, o)
			if err != nil {
				t.Fatal(err)
			}
			want, err := fresh.Search(q, o)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%q %v threshold %v: %d hits after the changes, %d built afresh", q.Name, q.BirthDate, o.Threshold, len(got), len(want))
			}
		}
	}
}

// postingSet returns the years and signatures of a list's postings by
// record key (record numbers differ between indexes).
func postingSet(ix *Index, pl postList) map[string][2]uint64 {
	m := make(map[string][2]uint64)
	add := func(es []pent) {
		for _, e := range es {
			m[ix.recs[e.rec].key] = [2]uint64{uint64(e.years), e.sig}
		}
	}
	add(pl.ents)
	if pl.bands != nil {
		for _, l := range pl.bands.lists {
			add(l)
		}
	}
	return m
}

// TestBandWindow checks that walkList skips no band holding a record
// whose class of years passes: for query dates of each kind, every set of
// passing classes and every span, no record of a band outside the window
// passes.
func TestBandWindow(t *testing.T) {
	dobs := []Date{{Year: 1970, Month: 3, Day: 4}, {Year: 1970}, {Year: 1968, ToYear: 1972}, {Year: 1801}, {Year: 2099}}
	for _, dob := range dobs {
		p := &Prepared{dob: dob}
		for set := 0; set < 1<<(numYearsClasses-yearsSame); set++ {
			var pass [numYearsClasses]bool
			pass[yearsNoQuery], pass[yearsNone] = true, true
			for c := yearsSame; c < numYearsClasses; c++ {
				pass[c] = set&(1<<(c-yearsSame)) != 0
			}
			for span := 0; span <= maxBandSpan; span++ {
				lo, hi := p.bandWindow(&pass, span)
				for y := minBandYear; y <= maxBandYear; y++ {
					if y >= lo && y <= hi {
						continue
					}
					for h := y; h <= y+span; h++ {
						if c := p.yearsClass(uint32(y)<<16 | uint32(h)); pass[c] {
							t.Fatalf("query %v, passing %v, span %d: window %d to %d skips years %d to %d (class %d)", dob, pass, span, lo, hi, y, h, c)
						}
					}
				}
			}
		}
	}
}
