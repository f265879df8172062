package mrz_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening/mrz"
)

func BenchmarkParse(b *testing.B) {
	cases := []struct {
		name  string
		lines []string
	}{
		{"TD3", specimenTD3},
		{"TD1", specimenTD1},
		{"TD1-long-number", []string{
			"I<UTOD23145890<7349<<<<<<<<<<<",
			"3407127M9507122UTO<<<<<<<<<<<2",
			"STEVENSON<<PETER<JOHN<<<<<<<<<",
		}},
		{"TD3-failed-check", []string{specimenTD3[0], specimenTD3[1][:43] + "9"}},
	}
	mrz.Parse(specimenTD3...) // load the country table outside the timings
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if m, _ := testParser.Parse(c.lines...); m == nil {
					b.Fatal("no MRZ")
				}
			}
		})
	}
	// The default parser reads the clock on every call.
	b.Run("TD3-default-clock", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := mrz.Parse(specimenTD3...); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("TD3-text", func(b *testing.B) {
		text := strings.Join(specimenTD3, "\r\n")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := testParser.ParseText(text); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkParseLatency times single Parse calls of TD3 and TD1 in turn
// and reports the median and the 99th percentile.
func BenchmarkParseLatency(b *testing.B) {
	mrz.Parse(specimenTD3...)
	inputs := [][]string{specimenTD3, specimenTD1}
	times := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		m, _ := testParser.Parse(inputs[i%2]...)
		times[i] = time.Since(start)
		if m == nil {
			b.Fatal("no MRZ")
		}
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(times[len(times)*99/100].Nanoseconds()), "p99-ns")
}

func BenchmarkBuild(b *testing.B) {
	m, err := testParser.Parse(specimenTD3...)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := mrz.Build(m); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseAllocs(t *testing.T) {
	mrz.Parse(specimenTD3...)
	tests := []struct {
		name  string
		lines []string
		max   float64
	}{
		// the MRZ itself, and "ANNA MARIA"
		{"TD3", specimenTD3, 2},
		{"TD1", specimenTD1, 2},
	}
	for _, tt := range tests {
		got := testing.AllocsPerRun(100, func() { testParser.Parse(tt.lines...) })
		if got > tt.max {
			t.Errorf("%s: got %v allocations per Parse, want at most %v", tt.name, got, tt.max)
		}
	}
}
