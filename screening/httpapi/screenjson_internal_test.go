package httpapi

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// checkSameScreenDecode fails t unless decodeScreenRequest and
// unmarshalStrict, the encoding/json decoder that other bodies still go
// through, give the same request, or the same problem.
func checkSameScreenDecode(t *testing.T, body []byte) {
	t.Helper()
	var got, want screenRequest
	gotErr := decodeScreenRequest(body, &got)
	wantErr := unmarshalStrict(body, &want)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("body %q:\ndecodeScreenRequest = %+v, %v\nencoding/json = %+v, %v", body, got, gotErr, want, wantErr)
	}
	if wantErr != nil {
		gp, _ := problemOf(gotErr)
		wp, _ := problemOf(wantErr)
		if !reflect.DeepEqual(gp, wp) || gotErr.Error() != wantErr.Error() {
			t.Fatalf("body %q:\ndecodeScreenRequest %+v\nencoding/json       %+v", body, gp, wp)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("body %q:\ndecodeScreenRequest %#v\nencoding/json       %#v", body, got, want)
	}
}

// screenCases are bodies on the edges of the JSON grammar, of
// encoding/json's rules and of the request's fields: the differential
// test's cases and the fuzz target's seeds.
var screenCases = []string{
	``, `  `, "\u00a0", "\x85", `{}`, `null`, `null x`, `nullx`, `[]`, `[1,2]`, `123`, `123x`, `"abc"`, `true`, `tru`, `{`,
	`{"name":`, `{"name":"A"`, `{"name":"A",}`, `{"name" "A"}`, `{,}`, `{"name":}`,
	`{"name":"A B"}`, `{"name":"A B"}x`, `{"name":"A B"} {"name":"B"}`, `{"name":"A B"}}`, `{"name":"A B"}]`,
	`{"name":"A B"} ]`, `{"name":"A B"}` + " \t\r\n", `{"name":"A B"}` + "\u00a0", `{"name":"A B"},`,
	`{"NAME":"A","Given_Names":"B","SURNAME":"C","ſurname":"D"}`, `{"name":"A","gıven_names":"X"}`, `{"name":"A","GİVEN_NAMES":"X"}`, `{"name":"A","name":"B"}`, `{"name":null}`,
	`{"name":42}`, `{"name":"A","colour":"red"}`, `{"colour":"red","name":42}`, `{"":1}`, `{"Traveller":{}}`,
	`{"Traveller.name":1}`, `{"xTraveller.y":1}`, `{"n\u0061me":"\u00e9\ud83d\ude00\ud800x\udc00\\\/\b\f\n\r\t\""}`,
	"{\"name\":\"\xff\xfe\xed\xa0\x80\"}", "{\"name\":\"a\x01\"}", `{"name":"\x"}`, `{"name":"\u12G4"}`, `{"name":"\u12`,
	`{"name":"A\u0000B"}`, `{"name":"<b>&amp;</b>"}`,
	`{"birth_date":"1970-13-01"}`, `{"birth_date":"1960-01-31"}`, `{"birth_date":"1960"}`, `{"birth_date":"1960/1965"}`,
	`{"birth_date":null}`, `{"birth_date":"1960-01-31","birth_date":null}`, `{"birth_date":"1960-01-31","birth_date":"x"}`,
	`{"birth_date":1960}`, `{"birth_date":{}}`, `{"birth_date":[]}`, `{"birth_date":true}`, `{"birth_date":"\u0031960"}`,
	`{"nationality":"Atlantis"}`, `{"nationality":1}`, `{"gender":"Q"}`, `{"gender":false}`,
	`{"name_truncated":true}`, `{"name_truncated":false}`, `{"name_truncated":null}`, `{"name_truncated":"yes"}`,
	`{"name_truncated":1}`, `{"name_truncated":tru}`, `{"name_truncated":nul}`,
	`{"document":null}`, `{"document":{}}`, `{"document":7}`, `{"document":"P"}`, `{"document":[]}`,
	`{"document":{"number":7}}`, `{"document":{"number":" ","country":"RUS"}}`, `{"document":{"x":1}}`,
	`{"document":{"type":"P"},"document":{"number":"1"}}`, `{"document":{"type":"P"},"document":null}`,
	`{"document":{"expiry":"2031-01-01"}}`, `{"document":{"expiry":2031}}`, `{"document":{"expiry":"x"},"document":{"note":"n"}}`,
	`{"document":{"NUMBER":"1","Country":"RUS","TYPE":"P","Note":"","EXPIRY":null}}`,
	`{"reference":1}`, `{"reference":"` + strings.Repeat("r", 200) + `"}`, `{"mrz":null}`, `{"mrz":[]}`, `{"mrz":"P<UTO"}`,
	`{"mrz":[1]}`, `{"mrz":["a",null,"c"]}`, `{"mrz":["a","b"],"mrz":[null]}`, `{"mrz":["a","b"],"mrz":null}`,
	`{"mrz":[,]}`, `{"mrz":["a",]}`, `{"mrz":["a" "b"]}`, `{"name":"A","mrz":["x"]}`,
	`{"foo":{"bar":[1,2,{"baz":tru}]}}`, `{"foo":{"bar" 1}}`, `{"name":1,"foo":{1:2}}`,
	`{"name":1.5e400}`, `{"name":-}`, `{"name":01}`, `{"name":1.}`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), `{"foo":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
}

// screenSamples returns the sample bodies of testdata/screen.
func screenSamples(tb testing.TB) [][]byte {
	files, err := filepath.Glob(filepath.Join("testdata", "screen", "*.json"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no samples: %v", err)
	}
	var out [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func TestDecodeScreenRequestMatchesDecodeJSON(t *testing.T) {
	for _, body := range screenCases {
		checkSameScreenDecode(t, []byte(body))
	}
	lists, err := os.ReadFile(filepath.Join("testdata", "lists.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(lists, []byte("\n")) {
		checkSameScreenDecode(t, line)
	}
	for _, b := range screenSamples(t) {
		checkSameScreenDecode(t, b)
		// Every prefix, and every byte replaced by a few others.
		for i := range b {
			checkSameScreenDecode(t, b[:i])
			for _, c := range []byte{' ', '"', '}', ']', ',', ':', '\\', 'x', '0', 'n', '[', '{', 0x80} {
				m := bytes.Clone(b)
				m[i] = c
				checkSameScreenDecode(t, m)
			}
		}
	}
}

// FuzzDecodeScreenRequestMatchesDecodeJSON compares decodeScreenRequest
// with the encoding/json decoder: the same request, or the same problem.
func FuzzDecodeScreenRequestMatchesDecodeJSON(f *testing.F) {
	for _, b := range screenSamples(f) {
		f.Add(b)
	}
	lists, err := os.ReadFile(filepath.Join("testdata", "lists.jsonl"))
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range bytes.Split(lists, []byte("\n")) {
		f.Add(line)
	}
	for _, body := range screenCases {
		if len(body) < 1000 {
			f.Add([]byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkSameScreenDecode(t, body) })
}

// TestStrayClosingBracketRefused: json.Decoder.More, which decodeJSON
// used to check for data after the body, takes a } or ] for the end of an
// enclosing value and so let `{"name":"A B"}}` through.
func TestStrayClosingBracketRefused(t *testing.T) {
	for _, body := range []string{`{"name":"A B"}}`, `{"name":"A B"}]`, "{\"name\":\"A B\"}\n ]", `null}`} {
		for _, decode := range []struct {
			name string
			f    func([]byte, *screenRequest) error
		}{{"decodeScreenRequest", decodeScreenRequest}, {"unmarshalStrict", func(b []byte, r *screenRequest) error { return unmarshalStrict(b, r) }}} {
			var req screenRequest
			err := decode.f([]byte(body), &req)
			p, _ := problemOf(err)
			if err == nil || p.Status != 400 || p.Field != "" || p.Detail != "data after the JSON value" {
				t.Errorf("%s(%q) = %v (%+v), want 400 data after the JSON value", decode.name, body, err, p)
			}
		}
	}
}

// BenchmarkDecodeScreenRequest compares decodeScreenRequest with the
// encoding/json decoder on the sample bodies:
//
//	go test ./screening/httpapi -run '^$' -bench DecodeScreenRequest -count 6 | benchstat -col /impl -
func BenchmarkDecodeScreenRequest(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("testdata", "screen", "*.json"))
	for _, name := range files {
		body, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		for _, impl := range []struct {
			name   string
			decode func([]byte, *screenRequest) error
		}{
			{"encoding-json", func(body []byte, req *screenRequest) error { return unmarshalStrict(body, req) }},
			{"jsonwire", decodeScreenRequest},
		} {
			b.Run("sample="+strings.TrimSuffix(filepath.Base(name), ".json")+"/impl="+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					var req screenRequest
					if err := impl.decode(body, &req); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
