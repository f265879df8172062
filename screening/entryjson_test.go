package screening_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening"
)

func stdJSON(t testing.TB, e *screening.Entry) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	g := fixtures.NewGenerator(5)
	var entries []*screening.Entry
	for i := range 3000 {
		entries = append(entries, g.Person(i))
	}
	for i := range 300 {
		entries = append(entries, g.Organization(i))
	}
	odd := validEntry()
	odd.List, odd.Version, odd.Gender = "l", 42, screening.GenderOther
	odd.Names = append(odd.Names, screening.Name{Full: "a\"b\\c\b\f\n\r\t\x01\u2028\u2029<&>\xff", Strength: screening.StrengthWeak},
		screening.Name{Given: "G", Family: "F", Strength: screening.StrengthStrong})
	odd.Documents[0].Expiry, odd.Documents[0].Note = screening.Exact(2030, 1, 2), "note"
	odd.Identifiers = []screening.Identifier{{Type: "t", Value: "v"}, {Value: "w", Country: "RUS"}}
	odd.ListedFrom, odd.ListedUntil = screening.Exact(2020, 1, 1), screening.Date{Year: 2030}
	odd.Reason, odd.Source = "r", "s"
	entries = append(entries, odd, &screening.Entry{ID: "empty"})
	for _, e := range entries {
		want := stdJSON(t, e)
		if got := e.AppendJSON(nil); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSON(%s):\n got %s\nwant %s", e.ID, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"Ivan", "a\"b\\c\b\f\n\r\t\x01", "\u2028\u2029", "\xff\xfe", "<&>", "Иван"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, full, reason string) {
		e := &screening.Entry{ID: full, Kind: screening.KindPerson, Names: []screening.Name{{Full: full}, {Given: reason, Family: full}}, Action: screening.ActionRefer, Reason: reason}
		if got, want := e.AppendJSON(nil), stdJSON(t, e); !bytes.Equal(got, want) {
			t.Fatalf("AppendJSON:\n got %s\nwant %s", got, want)
		}
	})
}

func BenchmarkAppendJSON(b *testing.B) {
	e := fixtures.NewGenerator(1).Person(3)
	b.Run("AppendJSON", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = e.AppendJSON(buf[:0])
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			stdJSON(b, e)
		}
	})
}

func TestDecodeEntryJSON(t *testing.T) {
	g := fixtures.NewGenerator(9)
	for i := range 2000 {
		e := g.Person(i)
		e.List, e.Version = "l", uint64(i+1)
		b := e.AppendJSON(nil)
		var got, want screening.Entry
		if err := screening.DecodeEntryJSON(b, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("DecodeEntryJSON(%s) =\n%+v\nwant\n%+v", b, got, want)
		}
	}
}

func FuzzDecodeEntryJSON(f *testing.F) {
	g := fixtures.NewGenerator(3)
	for i := range 20 {
		f.Add(g.Person(i).AppendJSON(nil))
	}
	f.Add([]byte(`{"id":"a","id":"b","names":["x"],"names":[]}`))
	f.Add([]byte(`{"ID":"a","names":null,"birth_dates":["1960-13-01",null],"version":0}`))
	f.Add([]byte(`{"id":"\ud83d\ude00\ud800x\u00e9","names":[{"full":"a","FULL":"b"}],"reason":"\xff"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var got, want screening.Entry
		gotErr := screening.DecodeEntryJSON(b, &got)
		wantErr := json.Unmarshal(b, &want)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%s: DecodeEntryJSON err %v, json.Unmarshal err %v", b, gotErr, wantErr)
		}
		if gotErr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", b, got, want)
		}
	})
}

func BenchmarkDecodeEntryJSON(b *testing.B) {
	data := fixtures.NewGenerator(1).Person(3).AppendJSON(nil)
	b.Run("DecodeEntryJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var e screening.Entry
			screening.DecodeEntryJSON(data, &e)
		}
	})
	b.Run("encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var e screening.Entry
			json.Unmarshal(data, &e)
		}
	})
}
