package matcher_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bordersec/portcullis/matcher"
)

func person(key string, names ...string) matcher.Record {
	r := matcher.Record{Key: key, Kind: matcher.Person}
	for _, n := range names {
		r.Names = append(r.Names, matcher.RecordName{Full: n})
	}
	return r
}

func keys(ms []matcher.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Key)
	}
	return out
}

func TestIndexUpsertRemove(t *testing.T) {
	ix := matcher.NewIndex(matcher.Options{})
	for _, r := range []matcher.Record{
		person("un/1", "Sergei Kuzhugetovich Shoigu", "Сергей Кужугетович Шойгу"),
		person("un/2", "John Smith"),
		{Key: "uk/3", Kind: matcher.Organization, Names: []matcher.RecordName{{Full: "ROMASHKA LLC"}}},
	} {
		if err := ix.Upsert(r); err != nil {
			t.Fatalf("Upsert(%q): %v", r.Key, err)
		}
	}
	if got := ix.Len(); got != 3 {
		t.Fatalf("Len = %d, want 3", got)
	}
	search := func(q matcher.Query) []string {
		t.Helper()
		ms, err := ix.Search(q, matcher.SearchOptions{})
		if err != nil {
			t.Fatalf("Search(%+v): %v", q, err)
		}
		return keys(ms)
	}
	tests := []struct {
		q    matcher.Query
		want string
	}{
		{matcher.Query{Name: "SHOYGU SERGEY"}, "[un/1]"},
		{matcher.Query{Given: "JOHN", Family: "SMYTH"}, "[un/2]"},
		{matcher.Query{Name: "ООО Ромашка", Kind: matcher.Organization}, "[uk/3]"},
		{matcher.Query{Name: "ROMASHKA"}, "[]"}, // a person query does not hit organisations
		{matcher.Query{Name: "JANE DOE"}, "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(search(tt.q)); got != tt.want {
			t.Errorf("Search(%+v) = %s, want %s", tt.q, got, tt.want)
		}
	}
	// Replacing a record drops its old names.
	if err := ix.Upsert(person("un/2", "Jane Doe")); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(search(matcher.Query{Name: "JOHN SMITH"})); got != "[]" {
		t.Errorf("after replace, JOHN SMITH hits %s, want none", got)
	}
	if got := fmt.Sprint(search(matcher.Query{Name: "JANE DOE"})); got != "[un/2]" {
		t.Errorf("after replace, JANE DOE hits %s, want [un/2]", got)
	}
	if !ix.Remove("un/1") || ix.Remove("un/1") {
		t.Errorf("Remove(un/1) twice: want true then false")
	}
	if got := fmt.Sprint(search(matcher.Query{Name: "SERGEI SHOIGU"})); got != "[]" {
		t.Errorf("after remove, SERGEI SHOIGU hits %s, want none", got)
	}
	if got := ix.Len(); got != 2 {
		t.Errorf("Len = %d, want 2", got)
	}
}

func TestIndexErrors(t *testing.T) {
	ix := matcher.NewIndex(matcher.Options{})
	if err := ix.Upsert(person("", "John Smith")); !errors.Is(err, matcher.ErrNoKey) {
		t.Errorf("Upsert without key: got %v, want ErrNoKey", err)
	}
	if err := ix.Upsert(person("k", "", "--", "山田")); !errors.Is(err, matcher.ErrNoName) {
		t.Errorf("Upsert without readable name: got %v, want ErrNoName", err)
	}
	if ix.Len() != 0 {
		t.Errorf("refused records changed the index")
	}
	for _, q := range []string{"", "  ", "J R", "山田太郎"} {
		if _, err := ix.Search(matcher.Query{Name: q}, matcher.SearchOptions{}); !errors.Is(err, matcher.ErrNoName) {
			t.Errorf("Search(%q): got %v, want ErrNoName (fail safe: not a clear result)", q, err)
		}
	}
}

func TestEvidence(t *testing.T) {
	ix := matcher.NewIndex(matcher.Options{})
	r := person("k", "Muhammad Hamza Zubaydi")
	r.BirthDates = []matcher.Date{{Year: 1960, Month: 4, Day: 3}, {Year: 1962}}
	r.Nationalities = []string{"IRQ"}
	r.Gender = 'M'
	if err := ix.Upsert(r); err != nil {
		t.Fatal(err)
	}
	name := "MOHAMMED HAMZA ZUBAIDI"
	base, _ := matcher.ScoreNames(name, "Muhammad Hamza Zubaydi", matcher.Person)
	tests := []struct {
		what   string
		q      matcher.Query
		effect float64
		note   string
	}{
		{"exact", matcher.Query{BirthDate: matcher.Date{Year: 1960, Month: 4, Day: 3}}, 0.05, "exact"},
		{"swapped", matcher.Query{BirthDate: matcher.Date{Year: 1960, Month: 3, Day: 4}}, 0.03, "day and month swapped"},
		{"same year", matcher.Query{BirthDate: matcher.Date{Year: 1962, Month: 1, Day: 1}}, 0.02, "same year"},
		{"partial query", matcher.Query{BirthDate: matcher.Date{Year: 1960, Month: 4}}, 0.03, "same year and month"},
		{"query range", matcher.Query{BirthDate: matcher.Date{Year: 1958, ToYear: 1961}}, 0.01, "within query range"},
		{"few years", matcher.Query{BirthDate: matcher.Date{Year: 1966, Month: 1, Day: 1}}, -0.10, "4 years apart"},
		{"several years", matcher.Query{BirthDate: matcher.Date{Year: 1969, Month: 1, Day: 1}}, -0.15, "7 years apart"},
		{"conflict", matcher.Query{BirthDate: matcher.Date{Year: 1975, Month: 1, Day: 1}}, -0.20, "10 or more years apart"},
		{"nationality", matcher.Query{Nationality: "irq"}, 0.02, "same"},
		{"other nationality", matcher.Query{Nationality: "SYR"}, -0.03, "different"},
		{"gender", matcher.Query{Gender: 'F'}, -0.08, "different"},
	}
	for _, tt := range tests {
		q := tt.q
		q.Name = name
		ms, err := ix.Search(q, matcher.SearchOptions{Threshold: 0.5})
		if err != nil || len(ms) != 1 {
			t.Fatalf("%s: Search: %v, %d hits", tt.what, err, len(ms))
		}
		m := ms[0]
		if len(m.Explanation.Evidence) != 1 {
			t.Fatalf("%s: evidence %+v, want one piece", tt.what, m.Explanation.Evidence)
		}
		ev := m.Explanation.Evidence[0]
		if math.Abs(ev.Effect-tt.effect) > 1e-9 || ev.Note != tt.note {
			t.Errorf("%s: evidence %+v, want effect %+.2f note %q", tt.what, ev, tt.effect, tt.note)
		}
		if want := math.Round(min(1, base+tt.effect)*1000) / 1000; math.Abs(m.Score-want) > 0.0015 {
			t.Errorf("%s: score %.3f, want name %.3f %+.2f", tt.what, m.Score, base, tt.effect)
		}
	}
}

// realIndex indexes the bundled UN, OFAC and UK lists.
var realIndex = sync.OnceValues(func() (*matcher.Index, error) {
	es, err := realLists()
	if err != nil {
		return nil, err
	}
	ix := matcher.NewIndex(matcher.Options{})
	rs := make([]matcher.Record, len(es))
	for i, le := range es {
		rs[i] = recordOf(le.list, le.e)
	}
	return ix, ix.UpsertAll(rs, 2)
})

// recallQueries are queries near the listed names: perturbed real names of
// every kind the harness uses, and names of other entries as they are.
func recallQueries(t *testing.T, n int) []matcher.Query {
	es := loadLists(t)
	r := rand.New(rand.NewPCG(99, 1))
	cats := []string{catTypo, catSwap, catDrop, catInitial, catTranslit, catParticle, "", ""}
	var qs []matcher.Query
	for len(qs) < n {
		le := es[r.IntN(len(es))]
		name := nameText(le.e.Names[r.IntN(len(le.e.Names))])
		q := matcher.Query{Name: name, Kind: kindOf(le.e)}
		if cat := cats[r.IntN(len(cats))]; cat != "" {
			p, ok := perturb(r, name, cat)
			if !ok {
				continue
			}
			q.Name = p
		}
		if _, err := matcher.Prepare(q); err != nil {
			continue
		}
		qs = append(qs, q)
	}
	return qs
}

// TestIndexRecall measures the index against a scan of every record: of
// the hits the scan finds at the referral threshold, the index must find
// at least 99.5%. RECALL_QUERIES sets the number of queries (default 200).
func TestIndexRecall(t *testing.T) {
	ix, err := realIndex()
	if err != nil {
		t.Fatal(err)
	}
	n := 200
	if v, err := strconv.Atoi(os.Getenv("RECALL_QUERIES")); err == nil && v > 0 {
		n = v
	}
	opts := matcher.SearchOptions{MaxHits: -1}
	found, total, extra := 0, 0, 0
	for _, q := range recallQueries(t, n) {
		p, err := matcher.Prepare(q)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, m := range ix.SearchPrepared(p, opts, nil) {
			got[m.Key] = m.Score
		}
		brute := ix.BruteForce(p, opts)
		for _, m := range brute {
			total++
			if s, ok := got[m.Key]; ok {
				found++
				if math.Abs(s-m.Score) > 1e-9 {
					t.Errorf("query %q, record %s: index score %.4f, scan score %.4f", q.Name, m.Key, s, m.Score)
				}
			} else if testing.Verbose() {
				t.Logf("missed: query %q: %s %.3f %s", q.Name, m.Key, m.Score, m.Explanation.String())
			}
		}
		extra += len(got) - len(brute)
	}
	recall := ratio(found, total)
	t.Logf("index recall: %d of %d brute-force hits (%.4f) over %d queries", found, total, recall, n)
	if total < n/2 {
		t.Fatalf("only %d brute-force hits for %d queries: the queries do not test the index", total, n)
	}
	if recall < 0.995 {
		t.Errorf("index recall %.4f, want at least 0.995", recall)
	}
	if extra > 0 {
		t.Errorf("the index returned %d hits the scan did not", extra)
	}
}

// TestSearchAgreesWithScoreNames checks that the name score of a hit is the
// score ScoreNames gives the query and the listed name.
func TestSearchAgreesWithScoreNames(t *testing.T) {
	ix, err := realIndex()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string][]matcher.RecordName{}
	for _, le := range loadLists(t) {
		r := recordOf(le.list, le.e)
		names[r.Key] = r.Names
	}
	checked := 0
	for _, q := range recallQueries(t, 150) {
		ms, err := ix.Search(q, matcher.SearchOptions{Threshold: 0.7, MaxHits: 3})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			n := names[m.Key][m.Explanation.NameIndex]
			text := n.Full
			if text == "" {
				text = n.Given + " " + n.Family
			}
			s, _ := ix.ScoreNames(q.Name, text, q.Kind)
			if n.Weak {
				s = max(0, s-0.05)
			}
			if math.Abs(s-m.NameScore) > 0.0011 {
				t.Errorf("query %q ~ %s %q: Search name score %.3f, ScoreNames %.3f", q.Name, m.Key, text, m.NameScore, s)
			}
			checked++
		}
	}
	if checked < 50 {
		t.Errorf("only %d hits checked", checked)
	}
}

// TestConcurrentSearchAndUpsert runs searches while records change; run
// with -race.
func TestConcurrentSearchAndUpsert(t *testing.T) {
	ix := matcher.NewIndex(matcher.Options{})
	for i := 0; i < 200; i++ {
		if err := ix.Upsert(person(fmt.Sprint("k", i), fmt.Sprintf("PERSON%c NUMBER%c SMITH", 'A'+i%26, 'A'+i/26))); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			p, err := matcher.Prepare(matcher.Query{Name: "PERSONA NUMBERA SMITH"})
			if err != nil {
				t.Error(err)
				return
			}
			var dst []matcher.Match
			for {
				select {
				case <-stop:
					return
				default:
				}
				dst = ix.SearchPrepared(p, matcher.SearchOptions{}, dst[:0])
			}
		}(g)
	}
	for i := 0; i < 2000; i++ {
		k := fmt.Sprint("k", i%300)
		if i%5 == 0 {
			ix.Remove(k)
			continue
		}
		if err := ix.Upsert(person(k, fmt.Sprintf("PERSON%c NUMBER%c SMITH", 'A'+i%26, 'A'+i%7))); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if err := ix.Upsert(person("last", "Zebulon Quixote")); err != nil {
		t.Fatal(err)
	}
	ms, _ := ix.Search(matcher.Query{Name: "QUIXOTE ZEBULON"}, matcher.SearchOptions{})
	if fmt.Sprint(keys(ms)) != "[last]" {
		t.Errorf("after concurrent changes: got %v, want [last]", keys(ms))
	}
}

// TestSearchAfterChangesEqualsFresh searches an index, changes the counts
// of its words without adding words (copies of records under new keys,
// removals), and searches again: what the first searches left in the
// index's caches must not leak into the second, which must find what an
// index built afresh from the same records finds, scores and explanations
// included.
func TestSearchAfterChangesEqualsFresh(t *testing.T) {
	rs := syntheticRecords(3000)
	qs := benchQueries(3000, 1500)
	opts := matcher.SearchOptions{Threshold: 0.7, MaxHits: -1}
	ix := matcher.NewIndex(matcher.Options{})
	if err := ix.UpsertAll(rs, 2); err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		ix.Search(q, opts)
	}
	final := slices.Clone(rs)
	for i := range 600 {
		r := rs[i]
		r.Key = fmt.Sprint("copy/", i)
		if err := ix.Upsert(r); err != nil {
			t.Fatal(err)
		}
		final = append(final, r)
	}
	for i := 1000; i < 1400; i++ {
		ix.Remove(rs[i].Key)
	}
	final = slices.Delete(final, 1000, 1400)
	fresh := matcher.NewIndex(matcher.Options{})
	if err := fresh.UpsertAll(final, 2); err != nil {
		t.Fatal(err)
	}
	hits := 0
	for _, q := range qs {
		got, err := ix.Search(q, opts)
		want, werr := fresh.Search(q, opts)
		if !errors.Is(err, werr) {
			t.Fatalf("%+v: error %v, afresh %v", q, err, werr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%+v: after changes\n%+v\nafresh\n%+v", q, got, want)
		}
		hits += len(got)
	}
	if hits < 100 {
		t.Errorf("only %d hits compared", hits)
	}
}

// TestClearSearchDoesNotAllocate pins the common path: a prepared query
// that hits nothing costs no allocation.
func TestClearSearchDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	ix, err := realIndex()
	if err != nil {
		t.Fatal(err)
	}
	p, err := matcher.Prepare(matcher.Query{Name: "EMMA JANE WHITFIELD", BirthDate: matcher.Date{Year: 1984, Month: 2, Day: 9}, Nationality: "GBR", Gender: 'F'})
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]matcher.Match, 0, 8)
	if got := ix.SearchPrepared(p, matcher.SearchOptions{}, dst); len(got) != 0 {
		t.Fatalf("test query hits %v; pick one that does not", keys(got))
	}
	allocs := testing.AllocsPerRun(100, func() { ix.SearchPrepared(p, matcher.SearchOptions{}, dst) })
	if allocs != 0 {
		t.Errorf("clear search: %v allocations per run, want 0", allocs)
	}
}

// TestExplanationWithoutEvidence: a hit on the name alone explains its
// evidence as an empty list, not null, for clients that iterate it.
func TestExplanationWithoutEvidence(t *testing.T) {
	ix := matcher.NewIndex(matcher.Options{})
	if err := ix.Upsert(person("k", "Ivan Petrov")); err != nil {
		t.Fatal(err)
	}
	ms, err := ix.Search(matcher.Query{Kind: matcher.Person, Name: "IVAN PETROV"}, matcher.SearchOptions{})
	if err != nil || len(ms) != 1 {
		t.Fatalf("search: %v, %d hits", err, len(ms))
	}
	b, err := json.Marshal(ms[0].Explanation)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"evidence":[]`) {
		t.Fatalf("explanation %s: want \"evidence\":[]", b)
	}
	// The same without an index.
	_, ex := matcher.ScoreNames("IVAN PETROV", "PETROV IVAN", matcher.Person)
	if b, err := json.Marshal(ex); err != nil || !strings.Contains(string(b), `"evidence":[]`) {
		t.Fatalf("ScoreNames explanation %s (%v): want \"evidence\":[]", b, err)
	}
}
