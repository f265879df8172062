package matcher

import (
	"math/rand/v2"
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
