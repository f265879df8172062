package hist_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/bordersec/portcullis/bench/hist"
)

// exact returns the value of rank ceil(q*n) of sorted xs, the definition
// Quantile approximates.
func exact(sorted []int64, q float64) int64 {
	if q <= 0 {
		return sorted[0]
	}
	rank := int(math.Ceil(q * float64(len(sorted))))
	rank = max(rank, 1)
	return sorted[min(rank, len(sorted))-1]
}

func TestQuantileAgainstExactSamples(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	dists := []struct {
		name string
		draw func() int64
	}{
		{"uniform small", func() int64 { return r.Int64N(100) }},
		{"uniform wide", func() int64 { return r.Int64N(50_000_000) }},
		{"lognormal latency", func() int64 {
			return int64(math.Exp(r.NormFloat64()*0.8 + math.Log(400_000)))
		}},
		{"bimodal with tail", func() int64 {
			if r.IntN(1000) == 0 {
				return 20_000_000 + r.Int64N(30_000_000)
			}
			return 100_000 + r.Int64N(200_000)
		}},
		{"huge values", func() int64 { return math.MaxInt64 - r.Int64N(1<<40) }},
	}
	qs := []float64{0, 0.001, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 0.9999, 1}
	for _, d := range dists {
		t.Run(d.name, func(t *testing.T) {
			h := hist.New()
			xs := make([]int64, 100_000)
			for i := range xs {
				xs[i] = d.draw()
				h.Record(xs[i])
			}
			slices.Sort(xs)
			for _, q := range qs {
				got, want := h.Quantile(q), exact(xs, q)
				// The answer is the top of want's bucket: never below want,
				// above it by less than 1/128 of it (exact below 128).
				if got < want || float64(got-want) > float64(want)/128 {
					t.Errorf("Quantile(%v) = %d, want %d (+<0.8%%)", q, got, want)
				}
			}
			if got, want := h.Min(), xs[0]; got != want {
				t.Errorf("Min = %d, want %d", got, want)
			}
			if got, want := h.Max(), xs[len(xs)-1]; got != want {
				t.Errorf("Max = %d, want %d", got, want)
			}
			if got, want := h.Count(), uint64(len(xs)); got != want {
				t.Errorf("Count = %d, want %d", got, want)
			}
		})
	}
}

func TestSmallValuesExact(t *testing.T) {
	h := hist.New()
	for v := int64(1); v <= 100; v++ {
		h.Record(v)
	}
	tests := []struct {
		q    float64
		want int64
	}{{0, 1}, {0.01, 1}, {0.5, 50}, {0.505, 51}, {0.99, 99}, {1, 100}}
	for _, tt := range tests {
		if got := h.Quantile(tt.q); got != tt.want {
			t.Errorf("Quantile(%v) = %d, want %d", tt.q, got, tt.want)
		}
	}
	if got, want := h.Mean(), 50.5; got != want {
		t.Errorf("Mean = %v, want %v", got, want)
	}
}

func TestMergeEqualsRecordingAll(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	all, a, b := hist.New(), hist.New(), hist.New()
	for i := range 50_000 {
		v := r.Int64N(10_000_000)
		all.Record(v)
		if i%3 == 0 {
			a.Record(v)
		} else {
			b.Record(v)
		}
	}
	a.Merge(b)
	a.Merge(hist.New()) // merging an empty histogram changes nothing
	for _, q := range []float64{0, 0.5, 0.99, 0.999, 1} {
		if got, want := a.Quantile(q), all.Quantile(q); got != want {
			t.Errorf("merged Quantile(%v) = %d, want %d", q, got, want)
		}
	}
	if a.Count() != all.Count() || a.Min() != all.Min() || a.Max() != all.Max() || a.Mean() != all.Mean() {
		t.Errorf("merged count/min/max/mean = %d/%d/%d/%v, want %d/%d/%d/%v",
			a.Count(), a.Min(), a.Max(), a.Mean(), all.Count(), all.Min(), all.Max(), all.Mean())
	}
	empty := hist.New()
	empty.Merge(all)
	if empty.Min() != all.Min() {
		t.Errorf("empty.Merge: Min = %d, want %d", empty.Min(), all.Min())
	}
}

func TestEdgeCases(t *testing.T) {
	var h hist.Histogram
	if got := h.Quantile(0.99); got != 0 {
		t.Errorf("empty Quantile = %d, want 0", got)
	}
	if got := h.Mean(); got != 0 {
		t.Errorf("empty Mean = %v, want 0", got)
	}
	h.Record(-5)
	if got := h.Max(); got != 0 {
		t.Errorf("negative value: Max = %d, want 0", got)
	}
	h.RecordDuration(3 * time.Millisecond)
	tests := []struct {
		q    float64
		want int64
	}{{math.NaN(), 0}, {-1, 0}, {2, 3_000_000}, {0.75, 3_000_000}}
	for _, tt := range tests {
		if got := h.Quantile(tt.q); got != tt.want {
			t.Errorf("Quantile(%v) = %d, want %d", tt.q, got, tt.want)
		}
	}
	h.Reset()
	if got := h.Count(); got != 0 {
		t.Errorf("after Reset: Count = %d, want 0", got)
	}
}

func BenchmarkRecord(b *testing.B) {
	h := hist.New()
	b.ReportAllocs()
	v := int64(123_456)
	for i := 0; b.Loop(); i++ {
		h.Record(v + int64(i&1023))
	}
}

func ExampleHistogram() {
	h := hist.New()
	for i := 1; i <= 1000; i++ {
		h.RecordDuration(time.Duration(i) * time.Microsecond)
	}
	fmt.Println("p50", h.QuantileDuration(0.5).Round(time.Microsecond))
	fmt.Println("p99", h.QuantileDuration(0.99).Round(time.Microsecond))
	fmt.Println("max", time.Duration(h.Max()))
	// Output:
	// p50 502µs
	// p99 991µs
	// max 1ms
}
