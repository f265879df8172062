// Package hist is a latency histogram in the manner of HdrHistogram: values
// fall into log-linear buckets, so that recording is a few instructions,
// memory is fixed (about 60 KiB), histograms merge by adding counts, and a
// quantile is read back with a relative error below 1/128 (0.8%).
//
// Values are non-negative integers, usually nanoseconds. Values below 128
// are kept exactly; above, each power of two is cut into 128 buckets of
// equal width. Min, Max, Count and Mean are exact.
package hist

import (
	"math"
	"math/bits"
	"time"
)

// subBits is the number of bits of a value kept below its leading bit:
// 2^subBits buckets per power of two.
const subBits = 7

const (
	subCount   = 1 << subBits
	numBuckets = (64 - subBits) * subCount
)

// Histogram counts values in log-linear buckets. The zero value is an empty
// histogram ready to use. A Histogram is not safe for concurrent use: give
// each goroutine its own and Merge them.
type Histogram struct {
	counts   [numBuckets]uint64
	n        uint64
	min, max int64
	sum      float64
}

// New returns an empty Histogram.
func New() *Histogram { return new(Histogram) }

// bucket returns the index of the bucket of v (v >= 0).
func bucket(v uint64) int {
	if v < subCount {
		return int(v)
	}
	e := bits.Len64(v) - subBits - 1 // shift that leaves subBits+1 bits
	m := v >> uint(e)                // in [subCount, 2*subCount)
	return (e+1)*subCount + int(m-subCount)
}

// bounds returns the lowest and highest value of bucket i.
func bounds(i int) (lo, hi uint64) {
	if i < subCount {
		return uint64(i), uint64(i)
	}
	e := i/subCount - 1
	m := uint64(subCount + i%subCount)
	lo = m << uint(e)
	return lo, lo + (uint64(1) << uint(e)) - 1
}

// Record adds one value. A negative value is recorded as 0.
func (h *Histogram) Record(v int64) {
	if v < 0 {
		v = 0
	}
	if h.n == 0 || v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.n++
	h.sum += float64(v)
	h.counts[bucket(uint64(v))]++
}

// RecordDuration adds one duration, in nanoseconds.
func (h *Histogram) RecordDuration(d time.Duration) { h.Record(int64(d)) }

// Merge adds the values of o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.n == 0 {
		return
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
	h.sum += o.sum
	for i, c := range o.counts {
		h.counts[i] += c
	}
}

// Reset empties the histogram.
func (h *Histogram) Reset() { *h = Histogram{} }

// Count returns the number of values recorded.
func (h *Histogram) Count() uint64 { return h.n }

// Min returns the smallest value recorded, or 0 when there is none.
func (h *Histogram) Min() int64 { return h.min }

// Max returns the largest value recorded, or 0 when there is none.
func (h *Histogram) Max() int64 { return h.max }

// Mean returns the mean of the values, or 0 when there is none.
func (h *Histogram) Mean() float64 {
	if h.n == 0 {
		return 0
	}
	return h.sum / float64(h.n)
}

// Quantile returns the value at quantile q (0.99 for p99): the smallest
// bucket bound at or below which at least a fraction q of the values lie,
// read as the highest value of that bucket, so that the answer errs high
// (by less than 1/128 of it) and never low. The result lies between Min and
// Max; Quantile(0) is Min and Quantile(1) is Max. An empty histogram gives
// 0; q is clamped to [0, 1].
func (h *Histogram) Quantile(q float64) int64 {
	if h.n == 0 {
		return 0
	}
	switch {
	case q <= 0 || math.IsNaN(q):
		return h.min
	case q >= 1:
		return h.max
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			_, hi := bounds(i)
			v := int64(hi)
			if hi > math.MaxInt64 {
				v = math.MaxInt64
			}
			return min(max(v, h.min), h.max)
		}
	}
	return h.max
}

// QuantileDuration returns Quantile(q) as a duration.
func (h *Histogram) QuantileDuration(q float64) time.Duration {
	return time.Duration(h.Quantile(q))
}
