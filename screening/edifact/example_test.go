package edifact_test

import (
	"errors"
	"fmt"
	"os"

	"github.com/bordersec/portcullis/screening/edifact"
)

func ExampleParse() {
	data := []byte("UNA:+.? 'UNB+UNOC:4+AIRLINE:ZZ+BORDER:ZZ+250601:1030+42'" +
		"UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'NAD+FL+++O?'NEIL:Se\xe1n'UNT+4+1'UNZ+1+42'")
	ic, err := edifact.Parse(data, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ic.Syntax, ic.Sender.ID, "->", ic.Recipient.ID, "ref", ic.ControlRef)
	for _, m := range ic.Messages {
		fmt.Println(m.Type, m.Version+":"+m.Release, len(m.Segments), "segments")
		nad := m.Segments[1]
		fmt.Printf("%s %s, %s (segment %d)\n", nad.Tag, nad.Value(4, 1), nad.Value(4, 2), nad.Pos)
	}
	// Output:
	// UNOC AIRLINE -> BORDER ref 42
	// PAXLST D:05B 2 segments
	// NAD O'NEIL, Seán (segment 4)
}

func ExampleParse_error() {
	data := []byte("UNB+UNOA:4+AIRLINE+BORDER+250601:1030+42'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'UNT+9+1'UNZ+1+42'")
	_, err := edifact.Parse(data, nil)
	var e *edifact.Error
	if errors.As(err, &e) {
		fmt.Println(e.Segment, e.Tag, e.Element, errors.Is(err, edifact.ErrCount))
	}
	fmt.Println(err)
	// Output:
	// 4 UNT 1 true
	// segment 4 (UNT), element 1, component 1: UNT counts 9, but there are 3 segments in the message (control count mismatch)
}

func ExampleWriter() {
	w, err := edifact.NewWriter(os.Stdout, &edifact.WriterOptions{Newline: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	w.WriteSegment("UNH", edifact.Element{"1"}, edifact.Element{"CUSRES", "D", "05B", "UN", "IATA"})
	w.WriteSegment("FTX", edifact.Element{"AAP"}, nil, nil, edifact.Element{"O'NEIL: 50% + 1?"})
	w.WriteUNT("1")
	if err := w.Flush(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// UNH+1+CUSRES:D:05B:UN:IATA'
	// FTX+AAP+++O?'NEIL?: 50% ?+ 1??'
	// UNT+3+1'
}
