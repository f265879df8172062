package edifact_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/screening/edifact"
)

// synthetic returns an interchange of n persons in the shape of a PAXLST
// message, each with the segments a carrier sends.
func synthetic(n int) []byte {
	var b strings.Builder
	b.WriteString("UNA:+.? 'UNB+UNOA:4+AIRLINE:ZZ+BORDER:ZZ+250601:1030+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'" +
		"NAD+MS+++OPS'TDT+20+XX123+++XX'LOC+125+LHR'DTM+189:2506011300:201'LOC+87+JFK'DTM+232:2506011600:201'")
	segs := 8
	for i := range n {
		fmt.Fprintf(&b, "NAD+FL+++O?'NEIL%d:MARY:ANN'ATT+2++F'DTM+329:800101'LOC+178+LHR'LOC+179+JFK'NAT+2+GBR'"+
			"RFF+AVF:ABC123'RFF+ABO:P%09d'DOC+P:110:111+%09d'DTM+36:300101'LOC+91+GBR'", i, i, i)
		segs += 11
	}
	fmt.Fprintf(&b, "CNT+42:%d'UNT+%d+1'UNZ+1+1'", n, segs+2)
	return []byte(b.String())
}

func BenchmarkParse(b *testing.B) {
	inputs := []struct {
		name string
		data []byte
	}{
		{"Test3-260", readSample(b, "gtas__apis-messages__Test3.txt")},
	}
	for _, n := range []int{400, 1000} {
		data := synthetic(n)
		if _, err := edifact.Parse(data, nil); err != nil {
			b.Fatal(err)
		}
		inputs = append(inputs, struct {
			name string
			data []byte
		}{fmt.Sprintf("persons-%d", n), data})
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.data)))
			for b.Loop() {
				if _, err := edifact.Parse(in.data, lenient); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWriter(b *testing.B) {
	ic, err := edifact.Parse(readSample(b, "gtas__apis-messages__airline2.edi"), lenient)
	if err != nil {
		b.Fatal(err)
	}
	segs := ic.Messages[0].Segments
	b.ReportAllocs()
	for b.Loop() {
		w, err := edifact.NewWriter(io.Discard, nil)
		if err != nil {
			b.Fatal(err)
		}
		for i := range segs {
			if err := w.WriteSegment(segs[i].Tag, segs[i].Elements...); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(segs)), "segments/op")
}
