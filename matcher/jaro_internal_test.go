package matcher

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/antzucaro/matchr"
)

// TestJaroWinklerEqualsMatchr holds jaroWinkler to matchr.JaroWinkler(a, b,
// false), bit for bit, over many random pairs: short words over small
// alphabets (many common letters and transpositions), words with digits
// (matchr's prefix stops at a digit), long strings (the fallback path),
// and non-ASCII strings.
func TestJaroWinklerEqualsMatchr(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gen := func(alpha string, maxLen int) string {
		n := r.IntN(maxLen + 1)
		b := make([]rune, n)
		ar := []rune(alpha)
		for i := range b {
			b[i] = ar[r.IntN(len(ar))]
		}
		return string(b)
	}
	cases := []struct {
		name   string
		alpha  string
		maxLen int
		n      int
	}{
		{"tiny alphabet", "AB", 8, 20000},
		{"small alphabet", "ABCDE", 12, 50000},
		{"letters", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 16, 50000},
		{"letters and digits", "AB12C3", 10, 20000},
		{"long", "ABCDEFGH", 90, 5000},
		{"non-ASCII", "AÄBßЖ", 10, 10000},
	}
	for _, c := range cases {
		for i := 0; i < c.n; i++ {
			a, b := gen(c.alpha, c.maxLen), gen(c.alpha, c.maxLen)
			if i%7 == 0 && len(a) > 2 { // near-copies: the interesting cases
				rb := []rune(a)
				k := r.IntN(len(rb) - 1)
				rb[k], rb[k+1] = rb[k+1], rb[k]
				b = string(rb)
			}
			got, want := jaroWinkler(a, b), matchr.JaroWinkler(a, b, false)
			if got != want {
				t.Fatalf("%s: jaroWinkler(%q, %q) = %v, matchr says %v", c.name, a, b, got, want)
			}
		}
	}
}

// TestJaroWinklerNames checks names as the matcher compares them.
func TestJaroWinklerNames(t *testing.T) {
	names := []string{"MUHAMMAD", "MOHAMMED", "MOHAMED", "SMITH", "SMYTHE", "SCHMIDT", "SHOIGU",
		"SHOYGU", "ZELENSKYY", "ZELENSKIY", "ALI", "ALY", "MARTHA", "MARHTA", "DWAYNE", "DUANE",
		"DIXON", "DICKSONX", "ABDULRAHMAN", "ABDURRAHMAN", "A", "AB", ""}
	for _, a := range names {
		for _, b := range names {
			if got, want := jaroWinkler(a, b), matchr.JaroWinkler(a, b, false); got != want {
				t.Errorf("jaroWinkler(%q, %q) = %v, want %v", a, b, got, want)
			}
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"SMITH", "SMITH", 2, 0},
		{"SMITH", "SMTIH", 2, 1},
		{"SMITH", "SMIT", 2, 1},
		{"SMITH", "SMYTHE", 2, 2},
		{"KIM", "KEEM", 2, 2},
		{"ALI", "MUHAMMAD", 2, 3},
		{"", "AB", 2, 2},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, tt.limit); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

// TestEditDistanceEqualsTable holds editDistance to the whole optimal
// string alignment table, capped at limit+1, over random pairs of short
// words over small alphabets (many transpositions and repeated letters)
// (and bytes other than capitals), up to 31 bytes, for limits 1 to 7.
func TestEditDistanceEqualsTable(t *testing.T) {
	osa := func(a, b string) int {
		d := make([][]int, len(a)+1)
		for i := range d {
			d[i] = make([]int, len(b)+1)
			d[i][0] = i
		}
		for j := range d[0] {
			d[0][j] = j
		}
		for i := 1; i <= len(a); i++ {
			for j := 1; j <= len(b); j++ {
				cost := 1
				if a[i-1] == b[j-1] {
					cost = 0
				}
				d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
				if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
					d[i][j] = min(d[i][j], d[i-2][j-2]+1)
				}
			}
		}
		return d[len(a)][len(b)]
	}
	r := rand.New(rand.NewPCG(3, 4))
	gen := func(alpha string, maxLen int) string {
		b := make([]byte, r.IntN(maxLen+1))
		for i := range b {
			b[i] = alpha[r.IntN(len(alpha))]
		}
		return string(b)
	}
	for _, c := range []struct {
		alpha  string
		maxLen int
	}{{"AB", 14}, {"ABC", 14}, {"ABCDEFGH", 14}, {"ABCDEFGHIJKLMNOPQRSTUVWXYZ", 14}, {"AB1a-", 14}, {"ABCD", 31}} {
		alpha := c.alpha
		for i := 0; i < 40000; i++ {
			a, b := gen(alpha, c.maxLen), gen(alpha, c.maxLen)
			if i%3 == 0 && len(a) > 0 { // a near-copy
				b = a[:r.IntN(len(a))] + gen(alpha, 2) + a[r.IntN(len(a)):]
			}
			d := osa(a, b)
			for limit := 1; limit <= 7; limit++ {
				want := min(d, limit+1)
				if len(a) > 31 || len(b) > 31 {
					want = limit + 1
				}
				if got := editDistance(a, b, limit); got != want {
					t.Fatalf("editDistance(%q, %q, %d) = %d, want %d", a, b, limit, got, want)
				}
			}
		}
	}
	long := strings.Repeat("AB", 16)
	if got := editDistance(long, long, 2); got != 3 {
		t.Errorf("editDistance of two words of 32 bytes = %d, want 3 (more than any limit)", got)
	}
}

func BenchmarkJaroWinkler(b *testing.B) {
	pairs := [][2]string{{"MUHAMMAD", "MOHAMMED"}, {"SMITH", "SCHMIDT"}, {"ABDULRAHMAN", "ABDURRAHMAN"}, {"ZELENSKYY", "KUZNETSOV"}}
	b.Run("own", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p := pairs[i%len(pairs)]
			jaroWinkler(p[0], p[1])
		}
	})
	b.Run("matchr", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p := pairs[i%len(pairs)]
			matchr.JaroWinkler(p[0], p[1], false)
		}
	})
}
