package mix_test

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/bench/mix"
	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/matcher"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
)

func TestParseWeights(t *testing.T) {
	tests := []struct {
		in      string
		want    mix.Weights
		wantErr bool
	}{
		{"clean=90,hit=5,near=5", mix.Weights{Clean: 90, Hit: 5, Near: 5}, false},
		{" hit = 1 , clean=3 ", mix.Weights{Clean: 3, Hit: 1}, false},
		{"near=1", mix.Weights{Near: 1}, false},
		{"clean=1,,", mix.Weights{Clean: 1}, false},
		{"", mix.Weights{}, true},
		{"clean=0,hit=0", mix.Weights{}, true},
		{"clean=-1,hit=2", mix.Weights{}, true},
		{"clean=x", mix.Weights{}, true},
		{"clean", mix.Weights{}, true},
		{"clean=1,clean=2", mix.Weights{}, true},
		{"miss=3", mix.Weights{}, true},
		{"clean=1000001", mix.Weights{}, true},
	}
	for _, tt := range tests {
		got, err := mix.ParseWeights(tt.in)
		if tt.wantErr {
			if !errors.Is(err, mix.ErrWeights) {
				t.Errorf("ParseWeights(%q) = %+v, %v; want an error matching ErrWeights", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseWeights(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		back, err := mix.ParseWeights(got.String())
		if err != nil || back != got {
			t.Errorf("ParseWeights(%q.String()) = %+v, %v; want %+v", got.String(), back, err, got)
		}
	}
}

func synthetic(n int) []*screening.Entry {
	es := fixtures.NewGenerator(7).Persons(n)
	for _, e := range es {
		e.List = "syn"
	}
	return es
}

func TestNew(t *testing.T) {
	if _, err := mix.New(1, mix.DefaultWeights, nil); !errors.Is(err, mix.ErrNoTargets) {
		t.Errorf("New with hits and no targets: %v, want ErrNoTargets", err)
	}
	if _, err := mix.New(1, mix.Weights{Clean: 1}, nil); err != nil {
		t.Errorf("New with clean only and no targets: %v", err)
	}
	if _, err := mix.New(1, mix.Weights{}, synthetic(3)); !errors.Is(err, mix.ErrWeights) {
		t.Errorf("New with zero weights: %v, want ErrWeights", err)
	}
}

func TestProportions(t *testing.T) {
	tests := []mix.Weights{mix.DefaultWeights, {Clean: 1, Hit: 1, Near: 1}, {Hit: 3, Near: 1}, {Clean: 1}}
	targets := synthetic(500)
	const n = 20_000
	for _, w := range tests {
		t.Run(w.String(), func(t *testing.T) {
			m, err := mix.New(11, w, targets)
			if err != nil {
				t.Fatal(err)
			}
			var got [3]int
			for i := range n {
				got[m.Sample(i).Kind]++
			}
			for _, k := range mix.Kinds {
				share, want := float64(got[k])/n, w.Fraction(k)
				// 4.5 standard deviations of a binomial share: a fair draw
				// fails this about once in 150,000 runs.
				tol := 4.5*math.Sqrt(want*(1-want)/n) + 1e-9
				if math.Abs(share-want) > tol {
					t.Errorf("%s: share %.4f, want %.4f ± %.4f", k, share, want, tol)
				}
			}
		})
	}
}

func TestSamplesAreUsableAndLabelled(t *testing.T) {
	targets := synthetic(300)
	m, err := mix.New(5, mix.Weights{Clean: 1, Hit: 1, Near: 1}, targets)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, e := range targets {
		ids[e.List+"/"+e.ID] = true
	}
	nearHow := map[string]int{}
	for i := range 3000 {
		s := m.Sample(i)
		tr := s.Traveller
		if err := screening.ValidateTraveller(&tr); err != nil {
			t.Fatalf("Sample(%d) %+v: %v", i, s, err)
		}
		switch s.Kind {
		case mix.Clean:
			if s.Entry != "" || len(s.Labels) != 0 {
				t.Errorf("Sample(%d): clean with entry %q labels %q", i, s.Entry, s.Labels)
			}
		case mix.Hit, mix.Near:
			if !ids[s.Entry] {
				t.Errorf("Sample(%d): %s from unknown entry %q", i, s.Kind, s.Entry)
			}
		}
		if s.Kind == mix.Near {
			last := s.Labels[len(s.Labels)-1]
			if !strings.HasPrefix(last, "near:") {
				t.Errorf("Sample(%d): near miss labels %q, want a near: label last", i, s.Labels)
			}
			nearHow[last]++
		}
	}
	for _, how := range []string{mix.NearLetters, mix.NearTypos, mix.NearOtherFirst} {
		if nearHow[how] == 0 {
			t.Errorf("no near miss made by %s (%v)", how, nearHow)
		}
	}
}

func TestDeterministic(t *testing.T) {
	targets := synthetic(200)
	a, _ := mix.New(3, mix.Weights{Clean: 1, Hit: 1, Near: 1}, targets)
	b, _ := mix.New(3, mix.Weights{Clean: 1, Hit: 1, Near: 1}, targets)
	c, _ := mix.New(4, mix.Weights{Clean: 1, Hit: 1, Near: 1}, targets)
	differ := 0
	for _, i := range []int{0, 1, 2, 99, 1000, 123456} {
		if got, want := a.Sample(i), b.Sample(i); !reflect.DeepEqual(got, want) {
			t.Errorf("Sample(%d) = %+v, then %+v", i, got, want)
		}
		if !reflect.DeepEqual(a.Sample(i), c.Sample(i)) {
			differ++
		}
	}
	if differ == 0 {
		t.Error("seeds 3 and 4 gave the same samples")
	}
}

// TestHitsMatchNearMissesBorder checks, with the matcher's own name score,
// that hits score as hits against their entry and near misses lower, around
// the refer threshold.
func TestHitsMatchNearMissesBorder(t *testing.T) {
	targets := synthetic(1000)
	byKey := map[string]*screening.Entry{}
	for _, e := range targets {
		byKey[e.List+"/"+e.ID] = e
	}
	m, _ := mix.New(9, mix.Weights{Hit: 1, Near: 1}, targets)
	scores := map[mix.Kind][]float64{}
	for i := range 2000 {
		s := m.Sample(i)
		best := 0.0
		for _, n := range byKey[s.Entry].Names {
			sc, _ := matcher.ScoreNames(s.Traveller.FullName(), n.String(), matcher.Person)
			best = max(best, sc)
		}
		scores[s.Kind] = append(scores[s.Kind], best)
	}
	above := func(xs []float64) float64 {
		n := 0
		for _, x := range xs {
			if x >= matcher.DefaultReferThreshold {
				n++
			}
		}
		return float64(n) / float64(len(xs))
	}
	median := func(xs []float64) float64 { slices.Sort(xs); return xs[len(xs)/2] }
	hitAbove, nearAbove := above(scores[mix.Hit]), above(scores[mix.Near])
	t.Logf("at or above the refer threshold: hits %.2f, near misses %.2f", hitAbove, nearAbove)
	if hitAbove < 0.85 {
		t.Errorf("hits at or above the refer threshold: %.2f, want at least 0.85", hitAbove)
	}
	if nearAbove >= hitAbove-0.1 || nearAbove < 0.2 || nearAbove > 0.8 {
		t.Errorf("near misses at or above the refer threshold: %.2f, want 0.2 to 0.8 and below hits (%.2f)", nearAbove, hitAbove)
	}
	if got := median(scores[mix.Near]); got < 0.6 || got > median(scores[mix.Hit]) {
		t.Errorf("median near-miss score %.3f, want 0.6 to the hits' median", got)
	}
}

func TestTargets(t *testing.T) {
	g := fixtures.NewGenerator(1)
	entries := []*screening.Entry{g.Person(0), g.Organization(0), g.Person(1)}
	got := mix.Targets(entries)
	if len(got) != 2 || got[0] != entries[0] || got[1] != entries[2] {
		t.Errorf("Targets kept %d entries, want the 2 persons", len(got))
	}
}

func TestBundledTargets(t *testing.T) {
	got, err := mix.BundledTargets()
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]int{}
	for _, e := range got {
		if e.Kind != screening.KindPerson {
			t.Fatalf("entry %s/%s is a %s", e.List, e.ID, e.Kind)
		}
		lists[e.List]++
	}
	for _, l := range fixtures.BundledLists() {
		if lists[l.Name] < 100 {
			t.Errorf("list %s: %d persons, want at least 100", l.Name, lists[l.Name])
		}
	}
}

func writeJSONL(t *testing.T, entries []*screening.Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := jsonl.NewWriter(&buf)
	for _, e := range entries {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadTargets(t *testing.T) {
	g := fixtures.NewGenerator(2)
	var entries []*screening.Entry
	for i := range 1000 {
		e := g.Person(i)
		e.Source = ""
		entries = append(entries, e)
	}
	entries = append(entries, g.Organization(0))
	file := writeJSONL(t, entries)

	got, err := mix.ReadTargets(bytes.NewReader(file), "synthetic", 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 99 || len(got) > 100 {
		t.Fatalf("ReadTargets(n=100) = %d entries, want 99 or 100 persons", len(got))
	}
	seen := map[string]bool{}
	late := 0
	for _, e := range got {
		if e.List != "synthetic" || seen[e.ID] {
			t.Errorf("entry %s: list %q (want synthetic), seen before %v", e.ID, e.List, seen[e.ID])
		}
		seen[e.ID] = true
		if e.ID > "SYN-0000500" {
			late++
		}
	}
	// A uniform sample takes about half from the second half of the file.
	if late < 25 || late > 75 {
		t.Errorf("%d of 100 sampled entries from the second half, want about 50", late)
	}
	again, _ := mix.ReadTargets(bytes.NewReader(file), "synthetic", 100, 1)
	if !reflect.DeepEqual(got, again) {
		t.Error("the same seed sampled different entries")
	}
	all, err := mix.ReadTargets(bytes.NewReader(file), "x", 5000, 1)
	if err != nil || len(all) != 1000 {
		t.Errorf("ReadTargets(n > lines) = %d entries, %v; want the 1000 persons", len(all), err)
	}
}

func TestReadTargetsErrors(t *testing.T) {
	good := writeJSONL(t, synthetic(2))
	tests := []struct {
		name  string
		in    string
		n     int
		want  string
		isErr error
	}{
		{"empty", "\n\n", 10, "", mix.ErrNoTargets},
		{"zero sample", string(good), 0, "sample size", nil},
		{"bad line", string(good) + "\n{\"id\": 3}\n", 10, "line 4", nil},
		{"not JSON", "nonsense\n", 10, "line 1", nil},
		{"organisations only", string(writeJSONL(t, []*screening.Entry{fixtures.NewGenerator(1).Organization(0)})), 10, "", mix.ErrNoTargets},
		{"line too long", `{"id":"` + strings.Repeat("x", jsonl.MaxLineBytes+10) + "\"}\n", 10, "line 1: longer", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mix.ReadTargets(strings.NewReader(tt.in), "l", tt.n, 1)
			if err == nil {
				t.Fatal("no error")
			}
			if tt.isErr != nil && !errors.Is(err, tt.isErr) {
				t.Errorf("error %v, want one matching %v", err, tt.isErr)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func BenchmarkSample(b *testing.B) {
	targets := synthetic(1000)
	m, _ := mix.New(1, mix.DefaultWeights, targets)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		m.Sample(i)
	}
}

func ExampleParseWeights() {
	w, err := mix.ParseWeights("clean=90,hit=5,near=5")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %.0f%% hits\n", w, 100*w.Fraction(mix.Hit))
	_, err = mix.ParseWeights("clean=90,miss=10")
	fmt.Println(err)
	// Output:
	// clean=90,hit=5,near=5: 5% hits
	// invalid mix weights: unknown kind "miss": want clean, hit or near
}
