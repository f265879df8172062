package paxlst_test

import (
	"io"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening/paxlst"
)

var benchSizes = []int{400, 1000}

func generated(b *testing.B, n int) []byte {
	b.Helper()
	data, err := paxlst.Generate(uint64(n), n, &paxlst.GenerateOptions{BadEvery: 50})
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkDecode(b *testing.B) {
	for _, n := range benchSizes {
		data := generated(b, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := paxlst.Decode(data, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkResponse(b *testing.B) {
	for _, n := range benchSizes {
		m, err := paxlst.Decode(generated(b, n), nil)
		if err != nil {
			b.Fatal(err)
		}
		answers := alternate(m)
		opts := &paxlst.ResponseOptions{Now: fixedNow}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := paxlst.WriteResponse(io.Discard, m, answers, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRoundTrip measures a PAXLST message to its CUSRES answer (the
// format side of the carrier endpoint, without screening), with the p50 and
// p99 latency of the iterations.
func BenchmarkRoundTrip(b *testing.B) {
	for _, n := range benchSizes {
		data := generated(b, n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var lat []time.Duration
			for b.Loop() {
				start := time.Now()
				m, err := paxlst.Decode(data, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := paxlst.Response(m, alternate(m), nil); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			pct := func(p float64) float64 {
				return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds())
			}
			b.ReportMetric(pct(0.50), "p50-ns")
			b.ReportMetric(pct(0.99), "p99-ns")
		})
	}
}
