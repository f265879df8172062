package jsonwire_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/screening/internal/jsonwire"
)

// decoderMsg words the error of a json.Decoder reading data as Reader
// words it.
func decoderMsg(data []byte) string {
	var v any
	err := json.NewDecoder(bytes.NewReader(data)).Decode(&v)
	var se *json.SyntaxError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, se)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "truncated JSON"
	}
	return err.Error()
}

func TestReaderSyntaxErrors(t *testing.T) {
	tests := []struct {
		name, in string
	}{
		{"valid object", `{"a":[1,-2.5e+3,true,false,null,"x\u00e9"],"b":{}}`},
		{"valid scalar", `-0.5E-7`},
		{"truncated object", `{"a":1`},
		{"truncated string", `"abc`},
		{"truncated escape", `"\u00`},
		{"truncated literal", `tru`},
		{"truncated exponent", `1e`},
		{"bad literal", `nul1`},
		{"bad escape", `"\q"`},
		{"bad hex escape", `"\u00g0"`},
		{"control in string", "\"a\tb\""},
		{"leading zero", `[01]`},
		{"minus alone", `[-]`},
		{"dot without digits", `[1.]`},
		{"exponent without digits", `[1e+]`},
		{"missing colon", `{"a" 1}`},
		{"missing comma", `{"a":1 "b":2}`},
		{"trailing comma in object", `{"a":1,}`},
		{"trailing comma in array", `[1,]`},
		{"key not a string", `{1:2}`},
		{"empty member", `{,}`},
		{"single quote", `['a']`},
		{"stray bracket", `]`},
		{"too deep", strings.Repeat("[", 10001) + strings.Repeat("]", 10001)},
		{"deep enough", strings.Repeat("[", 10000) + strings.Repeat("]", 10000)},
		{"non-ASCII byte", "[\xff]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := jsonwire.NewReader([]byte(tt.in))
			r.Skip()
			got := ""
			if e := r.Err(); e != nil {
				got = e.Msg
				if e.Field != "" {
					t.Errorf("field %q, want none for a syntax error", e.Field)
				}
			}
			if want := decoderMsg([]byte(tt.in)); got != want {
				t.Errorf("Reader: %q\nencoding/json: %q", got, want)
			}
		})
	}
}

func TestReaderTypeErrors(t *testing.T) {
	names := []string{"name", "doc"}
	inner := []string{"number"}
	tests := []struct {
		in, field, msg string
	}{
		{`{"name":"A"}`, "", ""},
		{`{"NAME":"A"}`, "", ""},
		{`{"name":1.5}`, "name", "want a string, got JSON number"},
		{`{"name":[]}`, "name", "want a string, got JSON array"},
		{`{"doc":{"number":true}}`, "doc.number", "want a string, got JSON bool"},
		{`{"doc":"x"}`, "doc", "want an object, got JSON string"},
		{`{"colour":1,"name":2}`, "colour", "unknown field"},
		{`{"":1}`, `""`, "unknown field"},
		{`{"name":2,"colour":1}`, "name", "want a string, got JSON number"},
		{`{"name":2,"colour":1,`, "", "truncated JSON"},
		{`[1]`, "", "want an object, got JSON array"},
	}
	for _, tt := range tests {
		r := jsonwire.NewReader([]byte(tt.in))
		var name, number string
		for more := r.Object(); more; more = r.Next() {
			switch r.Field(names) {
			case 0:
				jsonwire.String(r, &name)
			case 1:
				for more := r.Object(); more; more = r.Next() {
					if r.Field(inner) == 0 {
						jsonwire.String(r, &number)
					}
				}
			}
		}
		var field, msg string
		if e := r.Err(); e != nil {
			field, msg = e.Field, e.Msg
		}
		if field != tt.field || msg != tt.msg {
			t.Errorf("%s: error %q (field %q), want %q (field %q)", tt.in, msg, field, tt.msg, tt.field)
		}
	}
}

// escapeCases are strings on the edges of encoding/json's escaping.
var escapeCases = []string{"", "plain", `"quoted"`, `back\slash`, "\b\f\n\r\t", "\x00\x01\x1f\x7f", "<a href='x'>&amp;</a>",
	"\u2028\u2029", "é日本😀", "\xff", "a\xc3", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\ufffd", "/*</script>*/"}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range escapeCases {
		want, _ := json.Marshal(s)
		if got := jsonwire.AppendString([]byte("x"), s, true); string(got) != "x"+string(want) {
			t.Errorf("AppendString(%q, html) = %s, want %s", s, got[1:], want)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		want = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		if got := jsonwire.AppendString(nil, s, false); !bytes.Equal(got, want) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
	w := jsonwire.Writer{}
	w.Strings(escapeCases)
	w.Raw(",")
	w.Strings(nil)
	want, _ := json.Marshal(escapeCases)
	if string(w.B) != string(want)+",null" {
		t.Errorf("Strings = %s, want %s,null", w.B, want)
	}
}

func TestWriterFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e-6, 9.999e-7, 1e-7, 123456789, 1e20, 1e21, -1e21,
		math.MaxFloat64, math.SmallestNonzeroFloat64, 1.0 / 3} {
		w := jsonwire.Writer{}
		w.Float(f)
		want, _ := json.Marshal(f)
		if w.Failed || string(w.B) != string(want) {
			t.Errorf("Float(%v) = %s (failed %v), want %s", f, w.B, w.Failed, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		w := jsonwire.Writer{}
		w.Float(f)
		if !w.Failed {
			t.Errorf("Float(%v) did not fail", f)
		}
	}
}
