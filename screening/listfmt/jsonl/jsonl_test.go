package jsonl_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
)

func readAll(t *testing.T, in string) ([]*screening.Entry, []*screening.RecordError) {
	t.Helper()
	entries, skipped, err := screening.ReadAll(jsonl.NewReader(strings.NewReader(in)), true)
	if err != nil {
		t.Fatal(err)
	}
	return entries, skipped
}

func TestRoundTrip(t *testing.T) {
	in, err := os.ReadFile("testdata/sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	entries, skipped := readAll(t, string(in))
	if len(entries) != 3 || len(skipped) != 0 {
		t.Fatalf("read %d entries, %d skipped; want 3, 0", len(entries), len(skipped))
	}
	var out bytes.Buffer
	w := jsonl.NewWriter(&out)
	for _, e := range entries {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	again, _ := readAll(t, out.String())
	var out2 bytes.Buffer
	w2 := jsonl.NewWriter(&out2)
	for _, e := range again {
		w2.Write(e)
	}
	w2.Flush()
	if out.String() != out2.String() {
		t.Fatalf("export is not stable:\n%s\n%s", out.String(), out2.String())
	}
	first := entries[0]
	if len(first.Names) != 3 || first.Names[1].Full != "Иван Иванович Петров" || !first.Names[2].Weak() ||
		len(first.BirthDates) != 4 || first.BirthDates[3].Precision() != screening.PrecisionRange ||
		first.Documents[0].Expiry != screening.Exact(2030, 4, 1) {
		t.Fatalf("first entry = %+v", first)
	}
	if entries[1].Kind != screening.KindPerson || entries[1].Action != screening.ActionDeny {
		t.Errorf("defaults: kind %q action %q", entries[1].Kind, entries[1].Action)
	}
}

func TestRecordErrors(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a","names":["A"]}`,
		`{"id":"b","names":[]}`,
		``,
		`{"id":"c","names":["C"],"birth_dates":["1960-02-30"]}`,
		`{"id":"d","names":["D"],"gender":7}`,
		`{"id":"e","names":["E"]} {"id":"f"}`,
		`{"id":"g","names":["G"],"list":"other"}`,
		`[1,2]`,
		`{"id":"h","names":["H"]}`,
	}, "\n")
	r := jsonl.NewReader(strings.NewReader(in))
	r.List = "mine"
	entries, skipped, err := screening.ReadAll(r, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		t.Fatalf("read %d good entries, want 2", len(entries))
	}
	want := []struct {
		line  int
		field string
	}{{2, "names"}, {4, "birth_dates[0]"}, {5, "gender"}, {6, ""}, {7, ""}, {8, ""}}
	if len(skipped) != len(want) {
		t.Fatalf("skipped %d: %v", len(skipped), skipped)
	}
	for i, w := range want {
		if skipped[i].Record != w.line {
			t.Errorf("error %d at line %d, want %d: %v", i, skipped[i].Record, w.line, skipped[i])
		}
		var ve *screening.ValidationError
		if w.field != "" && (!errors.As(skipped[i], &ve) || ve.Field != w.field) {
			t.Errorf("line %d: error %v does not name field %q", w.line, skipped[i], w.field)
		}
	}
}

func TestLongLine(t *testing.T) {
	long := `{"id":"x","names":["` + strings.Repeat("a", jsonl.MaxLineBytes) + `"]}`
	in := long + "\n" + `{"id":"y","names":["Y"]}` + "\n"
	r := jsonl.NewReader(strings.NewReader(in))
	_, err := r.Read()
	var re *screening.RecordError
	if !errors.As(err, &re) || re.Record != 1 {
		t.Fatalf("long line: %v", err)
	}
	e, err := r.Read()
	if err != nil || e.ID != "y" || r.Record() != 2 {
		t.Fatalf("after a long line: %+v, %v, line %d", e, err, r.Record())
	}
	if _, err := r.Read(); err != io.EOF {
		t.Fatalf("end: %v", err)
	}
}

func FuzzReader(f *testing.F) {
	in, err := os.ReadFile("testdata/sample.jsonl")
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range bytes.Split(in, []byte("\n")) {
		f.Add(line)
	}
	f.Add([]byte(`{"id":"x","names":[{"given":"A","family":"B","strength":"weak"}],"birth_dates":["1960/1950"]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := jsonl.NewReader(bytes.NewReader(b))
		for range 100 {
			e, err := r.Read()
			if err == io.EOF {
				return
			}
			var re *screening.RecordError
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("non-record error: %v", err)
			}
			if err == nil {
				if verr := e.Validate(); verr != nil {
					t.Fatalf("returned an invalid entry: %v", verr)
				}
				var buf bytes.Buffer
				w := jsonl.NewWriter(&buf)
				w.Write(e)
				w.Flush()
				back, err := jsonl.NewReader(&buf).Read()
				if err != nil || back.ID != e.ID || len(back.Names) != len(e.Names) {
					t.Fatalf("re-reading %q: %+v, %v", buf.String(), back, err)
				}
			}
		}
	})
}
