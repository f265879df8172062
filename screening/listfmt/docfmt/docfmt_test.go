package docfmt_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/docfmt"
)

// readAll reads every record, copying the documents, and the record errors
// with their lines.
func readAll(t testing.TB, r docfmt.Reader) ([]screening.DocumentEntry, []int, []*screening.RecordError) {
	t.Helper()
	var docs []screening.DocumentEntry
	var lines []int
	var bad []*screening.RecordError
	for {
		d, err := r.Read()
		if err == io.EOF {
			return docs, lines, bad
		}
		var re *screening.RecordError
		if errors.As(err, &re) {
			if re.Record != r.Record() {
				t.Errorf("record error at line %d, Record() = %d", re.Record, r.Record())
			}
			bad = append(bad, re)
			continue
		}
		if err != nil {
			t.Fatalf("line %d: %v", r.Record(), err)
		}
		docs = append(docs, *d)
		lines = append(lines, r.Record())
	}
}

// sampleDocs are the documents of testdata/sample.csv and sample.jsonl, and
// the lines they are on.
var sampleDocs = []screening.DocumentEntry{
	{Country: "GBR", Type: "P", Number: "123456789", Status: screening.StatusStolen, Reported: screening.Exact(2024, 3, 1), Source: "UKPA"},
	{Country: "DEU", Type: "I", Number: "L01X00T47", Status: screening.StatusLost, Reported: screening.Date{Year: 2023, Month: 11}},
	{Country: "D", Type: "P", Number: "C01X-00T47", Status: screening.StatusStolenBlank, Reported: screening.Date{Year: 2022}, Source: "Bundespolizei, Referat 3"},
	{Country: "FRA", Type: "P", Number: "12AB34567", Status: screening.StatusRevoked},
	{Country: "UTO", Type: "P", Number: "L898902C3", Status: screening.StatusInvalid, Reported: screening.Exact(2012, 4, 15), Source: `ICAO "specimen"`},
}

func TestSamples(t *testing.T) {
	tests := []struct {
		file, format string
		lines        []int
	}{
		{"testdata/sample.csv", docfmt.CSV, []int{3, 4, 6, 7, 8}},
		{"testdata/sample.jsonl", docfmt.JSONL, []int{1, 2, 4, 5, 6}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			f, err := os.Open(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := docfmt.NewReader(tt.format, f)
			if err != nil {
				t.Fatal(err)
			}
			docs, lines, bad := readAll(t, r)
			if len(bad) > 0 {
				t.Fatalf("record errors: %v", bad)
			}
			if !reflect.DeepEqual(docs, sampleDocs) {
				t.Errorf("got  %+v\nwant %+v", docs, sampleDocs)
			}
			if !reflect.DeepEqual(lines, tt.lines) {
				t.Errorf("lines = %v, want %v", lines, tt.lines)
			}
		})
	}
}

func TestBadRecords(t *testing.T) {
	tests := []struct {
		file, format string
		good         []int
		bad          map[int]string // line: a part of the message
	}{
		{"testdata/bad.csv", docfmt.CSV, []int{2, 9}, map[int]string{
			3: "status", 4: "reported", 5: "4 fields, want 6", 6: "not closed", 7: "quote inside", 8: "status: required",
		}},
		{"testdata/bad.jsonl", docfmt.JSONL, []int{1, 8}, map[int]string{
			2: `unknown field "colour"`, 3: "number: want a string", 4: "ends inside", 5: "more than one", 6: "status: required",
			7: "reported",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			f, err := os.Open(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, _ := docfmt.NewReader(tt.format, f)
			_, lines, bad := readAll(t, r)
			if !reflect.DeepEqual(lines, tt.good) {
				t.Errorf("good lines = %v, want %v", lines, tt.good)
			}
			got := map[int]string{}
			for _, re := range bad {
				got[re.Record] = re.Error()
			}
			if len(got) != len(tt.bad) {
				t.Errorf("bad lines = %v, want %d of them", got, len(tt.bad))
			}
			for line, want := range tt.bad {
				if !strings.Contains(got[line], want) {
					t.Errorf("line %d: error %q, want it to contain %q", line, got[line], want)
				}
			}
		})
	}
}

func TestHeader(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"unknown column", "country,type,number,status,colour\n", `unknown column "colour"`},
		{"twice", "country,type,number,status,Number\n", `column "number" twice`},
		{"missing", "country,number,status\nGBR,1,lost\n", `no "type" column`},
		{"bad quoting", "country,\"type,number,status\n", "not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := docfmt.NewCSVReader(strings.NewReader(tt.input))
			_, err := r.Read()
			if !errors.Is(err, docfmt.ErrHeader) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "line 1") {
				t.Fatalf("err = %v, want ErrHeader on line 1 with %q", err, tt.want)
			}
			if _, err2 := r.Read(); err2 != err {
				t.Errorf("second Read: %v, want the same header error", err2)
			}
		})
	}
}

func TestColumnOrderAndOptional(t *testing.T) {
	in := "Number , STATUS,type,country\n  AB 12 , lost , p , gbr \n"
	docs, _, bad := readAll(t, docfmt.NewCSVReader(strings.NewReader(in)))
	want := []screening.DocumentEntry{{Country: "gbr", Type: "p", Number: "AB 12", Status: screening.StatusLost}}
	if len(bad) > 0 || !reflect.DeepEqual(docs, want) {
		t.Fatalf("got %+v %v, want %+v", docs, bad, want)
	}
}

func TestLongLine(t *testing.T) {
	in := "country,type,number,status\nGBR,P," + strings.Repeat("1", docfmt.MaxLineBytes) + ",lost\nGBR,P,2,lost\n"
	docs, lines, bad := readAll(t, docfmt.NewCSVReader(strings.NewReader(in)))
	if len(bad) != 1 || bad[0].Record != 2 || len(docs) != 1 || lines[0] != 3 {
		t.Fatalf("docs %v on lines %v, errors %v; want line 2 refused and line 3 read", docs, lines, bad)
	}
	in = strings.Repeat("x", 300<<10) + "\n" + `{"country":"GBR","type":"P","number":"1","status":"lost"}`
	docs, lines, bad = readAll(t, docfmt.NewJSONLReader(strings.NewReader(in)))
	if len(bad) != 1 || bad[0].Record != 1 || len(docs) != 1 || lines[0] != 2 {
		t.Fatalf("docs %v on lines %v, errors %v; want line 1 refused and line 2 read", docs, lines, bad)
	}
}

func TestUnknownFormat(t *testing.T) {
	if _, err := docfmt.NewReader("documents-xml", strings.NewReader("")); !errors.Is(err, docfmt.ErrUnknownFormat) {
		t.Fatalf("err = %v, want ErrUnknownFormat", err)
	}
}

// TestWriterRoundTrip writes documents with every awkward field and reads
// them back.
func TestWriterRoundTrip(t *testing.T) {
	docs := append([]screening.DocumentEntry{
		{Country: "GBR", Type: "P", Number: `1"2,3`, Status: screening.StatusLost, Source: "#hash, comma"},
		{Country: "#GB", Type: "P", Number: "X", Status: screening.StatusStolen, Reported: screening.Date{Year: 2001, ToYear: 2003}},
	}, sampleDocs...)
	var buf bytes.Buffer
	w := docfmt.NewCSVWriter(&buf)
	for i := range docs {
		if err := w.Write(&docs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Write(&screening.DocumentEntry{Number: "a\nb"}); !errors.Is(err, docfmt.ErrNotWritable) {
		t.Errorf("a line break: err = %v, want ErrNotWritable", err)
	}
	w.Flush()
	got, _, bad := readAll(t, docfmt.NewCSVReader(&buf))
	if len(bad) > 0 || !reflect.DeepEqual(got, docs) {
		t.Fatalf("read back %+v %v\nwant %+v", got, bad, docs)
	}
}

// TestFastPathAgrees checks lines that take the JSON fast path against
// encoding/json's reading of them, line by line.
func TestFastPathAgrees(t *testing.T) {
	lines := []string{
		`{"country":"GBR","type":"P","number":"1","status":"lost"}`,
		`{"country":"GBR","country":null,"type":"P","number":"1","status":"lost"}`,
		`{ "number" : "é1" , "status":"stolen","type":"P","country":"GBR" }`,
		`{"country":"GBR","type":"P","number":"1\u0041","status":"lost"}`,
		`{"COUNTRY":"GBR","type":"P","number":"1","status":"lost"}`,
		"{\"country\":\"GB\xffR\",\"type\":\"P\",\"number\":\"1\",\"status\":\"lost\"}",
	}
	for _, l := range lines {
		checkAgainstJSON(t, []byte(l))
	}
}

// checkAgainstJSON reads one line with the reader and with encoding/json
// and fails if they disagree on a document both accept.
func checkAgainstJSON(t *testing.T, line []byte) {
	t.Helper()
	if bytes.ContainsAny(line, "\r\n") {
		return
	}
	r := docfmt.NewJSONLReader(bytes.NewReader(line))
	got, err := r.Read()
	var ref struct {
		Country, Type, Number, Status, Reported, Source string
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	jerr := dec.Decode(&ref)
	if err != nil || jerr != nil || dec.More() {
		return
	}
	st, serr := screening.ParseDocumentStatus(ref.Status)
	day, derr := screening.ParseDate(strings.TrimSpace(ref.Reported))
	if serr != nil || derr != nil {
		t.Errorf("%q: read although encoding/json's status %q or date %q is bad", line, ref.Status, ref.Reported)
		return
	}
	want := screening.DocumentEntry{Country: strings.TrimSpace(ref.Country), Type: strings.TrimSpace(ref.Type),
		Number: strings.TrimSpace(ref.Number), Status: st, Reported: day, Source: strings.TrimSpace(ref.Source)}
	if *got != want {
		t.Errorf("%q: read %+v, encoding/json %+v", line, *got, want)
	}
}

func FuzzJSONL(f *testing.F) {
	for _, name := range []string{"testdata/sample.jsonl", "testdata/bad.jsonl"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, l := range bytes.Split(b, []byte("\n")) {
			f.Add(l)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := docfmt.NewJSONLReader(bytes.NewReader(in))
		for n := 0; ; n++ {
			_, err := r.Read()
			if err == io.EOF {
				break
			}
			var re *screening.RecordError
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("not a record error: %v", err)
			}
			if n > len(in)+1 {
				t.Fatal("more records than lines")
			}
		}
		checkAgainstJSON(t, in)
	})
}

func FuzzCSV(f *testing.F) {
	for _, name := range []string{"testdata/sample.csv", "testdata/bad.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("country,type,number,status\n\"a\"\"b\",\"\",c , lost\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		r := docfmt.NewCSVReader(bytes.NewReader(in))
		var docs []screening.DocumentEntry
		for n := 0; ; n++ {
			d, err := r.Read()
			if err == io.EOF {
				break
			}
			var re *screening.RecordError
			if errors.Is(err, docfmt.ErrHeader) {
				return
			}
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("neither a record nor a header error: %v", err)
			}
			if err == nil {
				docs = append(docs, *d)
			}
			if n > len(in)+1 {
				t.Fatal("more records than lines")
			}
		}
		// What was read, written and read again, is the same.
		var buf bytes.Buffer
		w := docfmt.NewCSVWriter(&buf)
		for i := range docs {
			if err := w.Write(&docs[i]); err != nil {
				return
			}
		}
		w.Flush()
		if len(docs) == 0 {
			return
		}
		again, _, bad := readAll(t, docfmt.NewCSVReader(&buf))
		if len(bad) > 0 || !reflect.DeepEqual(again, docs) {
			t.Fatalf("round trip: read %+v (%v), wrote and read %+v", docs, bad, again)
		}
	})
}

func ExampleNewReader() {
	in := "country,type,number,status,reported,source\n" +
		"GBR,P,123456789,stolen,2024-03-01,UKPA\n" +
		"DEU,I,L01X00T47,misplaced,2023-11,\n"
	r, _ := docfmt.NewReader(docfmt.CSV, strings.NewReader(in))
	for {
		d, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(d.Country, d.Type, d.Number, d.Status, d.Reported)
	}
	// Output:
	// GBR P 123456789 stolen 2024-03-01
	// record 3: status: unknown document status "misplaced": want lost, stolen, revoked, invalid or stolen_blank (got "misplaced")
}
