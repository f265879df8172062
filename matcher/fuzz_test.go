package matcher_test

import (
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/bordersec/portcullis/matcher"
)

// fuzzSeeds adds a sample of real names, in every script of the lists.
func fuzzSeeds(f *testing.F, add func(string)) {
	for i, le := range loadLists(f) {
		if i%97 != 0 {
			continue
		}
		for _, n := range le.e.Names {
			add(nameText(n))
		}
	}
	for _, s := range []string{"", "SMITH<<JOHN<PAUL", "Сергей Шойгу", "محمد حمزة زبيدي", "Γεώργιος", "ABD AR-RAHMAN",
		"ООО Ромашка", "\xff", "ٱلْبَغْدَادِيّ", "Ǆ ǅ ǆ", "İı", "ᾯ"} {
		add(s)
	}
}

func FuzzNormalize(f *testing.F) {
	fuzzSeeds(f, func(s string) { f.Add(s) })
	f.Fuzz(func(t *testing.T, s string) {
		n := matcher.Normalize(s)
		if again := matcher.Normalize(n); again != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, again)
		}
		if !utf8.ValidString(n) || strings.Contains(n, "  ") || strings.TrimSpace(n) != n {
			t.Fatalf("Normalize(%q) = %q: not trimmed single-spaced UTF-8", s, n)
		}
		matcher.ParseMRZName(s)
	})
}

func FuzzScoreNames(f *testing.F) {
	var prev string
	fuzzSeeds(f, func(s string) {
		f.Add(s, prev, false)
		prev = s
	})
	f.Fuzz(func(t *testing.T, a, b string, org bool) {
		k := matcher.Person
		if org {
			k = matcher.Organization
		}
		ab, ex := matcher.ScoreNames(a, b, k)
		ba, _ := matcher.ScoreNames(b, a, k)
		if ab != ba {
			t.Fatalf("not symmetric: (%q, %q) %v, reversed %v", a, b, ab, ba)
		}
		if ab < 0 || ab > 1 || math.IsNaN(ab) {
			t.Fatalf("ScoreNames(%q, %q) = %v: outside [0,1]", a, b, ab)
		}
		if ex.Algorithm != matcher.AlgorithmVersion {
			t.Fatalf("explanation without algorithm version: %+v", ex)
		}
	})
}

var fuzzIndex = sync.OnceValue(func() *matcher.Index {
	ix := matcher.NewIndex(matcher.Options{})
	es, err := realLists()
	if err != nil {
		panic(err)
	}
	for i, le := range es {
		if i%5 == 0 {
			_ = ix.Upsert(recordOf(le.list, le.e))
		}
	}
	return ix
})

// FuzzSearch runs hostile queries against an index of real names: the
// search must not panic, and its hits must be sound.
func FuzzSearch(f *testing.F) {
	fuzzSeeds(f, func(s string) { f.Add(s, 1970, uint8('M')) })
	ix := fuzzIndex()
	f.Fuzz(func(t *testing.T, name string, year int, gender uint8) {
		q := matcher.Query{Name: name, BirthDate: matcher.Date{Year: year % 3000, Month: year % 13, Day: year % 29}, Gender: gender}
		ms, err := ix.Search(q, matcher.SearchOptions{Threshold: 0.5, MaxHits: -1})
		if err != nil {
			// The only refusal is "no name to match", and only for a name
			// without a word longer than an initial once titles are gone.
			if !errors.Is(err, matcher.ErrNoName) || (hasLongWord(name) && !onlyTitles(name)) {
				t.Fatalf("Search(%q): %v", name, err)
			}
			return
		}
		for _, m := range ms {
			if m.Score < 0.5 || m.Score > 1 || m.NameScore < 0 || m.NameScore > 1 || m.Key == "" {
				t.Fatalf("Search(%q): unsound hit %+v", name, m)
			}
		}
	})
}

// onlyTitles reports whether every word longer than an initial is a
// title or particle the matcher may drop or join (DR, MR, AL ...).
func onlyTitles(name string) bool {
	for _, w := range strings.Fields(matcher.Normalize(name)) {
		if len(w) > 1 && len(w) > 4 {
			return false
		}
	}
	return true
}

func hasLongWord(name string) bool {
	for _, w := range strings.Fields(matcher.Normalize(name)) {
		if len(w) > 1 {
			return true
		}
	}
	return false
}
