package gate_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
)

// refWireEvent and refDecodeEvent are DecodeEvent as it was written with
// encoding/json: the reference the hand-written decoder must equal.
type refWireEvent struct {
	Gate           string         `json:"gate"`
	Port           string         `json:"port"`
	Time           *string        `json:"time"`
	Direction      gate.Direction `json:"direction"`
	Reference      string         `json:"reference"`
	Attempt        int            `json:"attempt"`
	Document       gate.Document  `json:"document"`
	Chip           *gate.Chip     `json:"chip"`
	Face           *gate.Score    `json:"face"`
	Liveness       *gate.Score    `json:"liveness"`
	MorphSuspected *bool          `json:"morph_suspected"`
}

func refDecodeEvent(data []byte) (*gate.Event, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, &screening.ValidationError{Field: "body", Err: errors.New("empty body: a JSON object is required")}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w refWireEvent
	if err := dec.Decode(&w); err != nil {
		ve := screening.JSONError(err)
		if ve.Field == "" {
			ve.Field = "body"
		}
		return nil, ve
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &screening.ValidationError{Field: "body", Err: errors.New("data after the JSON object")}
	}
	ev := &gate.Event{
		Gate: w.Gate, Port: w.Port, Direction: w.Direction, Reference: w.Reference, Attempt: w.Attempt,
		Document: w.Document, Chip: w.Chip, Face: w.Face, Liveness: w.Liveness, MorphSuspected: w.MorphSuspected,
	}
	if w.Time == nil {
		return nil, &screening.ValidationError{Field: "time", Err: errors.New("required: an RFC 3339 time such as 2026-11-21T10:00:00Z")}
	}
	t, err := time.Parse(time.RFC3339Nano, *w.Time)
	if err != nil {
		return nil, &screening.ValidationError{Field: "time", Value: *w.Time, Err: errors.New("want an RFC 3339 time with a zone, such as 2026-11-21T10:00:00Z")}
	}
	ev.Time = t
	return ev, nil
}

// checkSameDecode fails t unless DecodeEvent and refDecodeEvent give the
// same event, or errors with the same field, value and message.
func checkSameDecode(t *testing.T, body []byte) {
	t.Helper()
	got, gotErr := gate.DecodeEvent(body)
	want, wantErr := refDecodeEvent(body)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("body %q:\nDecodeEvent = %+v, %v\nencoding/json = %+v, %v", body, got, gotErr, want, wantErr)
	}
	if wantErr != nil {
		var g, w *screening.ValidationError
		if !errors.As(gotErr, &g) || !errors.As(wantErr, &w) {
			t.Fatalf("body %q: errors %v, %v are not ValidationErrors", body, gotErr, wantErr)
		}
		if g.Field != w.Field || g.Value != w.Value || g.Error() != w.Error() {
			t.Fatalf("body %q:\nDecodeEvent error   %q (field %q)\nencoding/json error %q (field %q)", body, g, g.Field, w, w.Field)
		}
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("body %q:\nDecodeEvent   %#v\nencoding/json %#v", body, got, want)
	}
}

// eventCases are bodies on the edges of the JSON grammar and of encoding/json's
// rules, for the differential test and as fuzz seeds.
var eventCases = []string{
	``, `  `, "\u00a0", "\x85", `{}`, `null`, `null `, `null x`, `[]`, `[1,2] x`, `123`, `123x`, `-`, `01`, `"abc"x`,
	`true`, `tru`, `tru `, `{`, `{"gate"`, `{"gate":`, `{"gate":"a"`, `{"gate":"a",`, `{"gate":"a",}`,
	`{"gate" "a"}`, `{"gate":"a" "port":"b"}`, `{,}`, `{"gate":}`, `{"time":"2026-11-21T10:00:00Z"}x`,
	`{"time":"2026-11-21T10:00:00Z"} {}`, `{"time":"2026-11-21T10:00:00Z"}]`, `{"time":"2026-11-21T10:00:00Z"}  ` + "\n",
	`{"time":null}`, `{"time":""}`, `{"time":"2026-11-21T10:00:00"}`, `{"time":1}`, `{"time":"2026-11-21T10:00:00.123456789+01:00"}`,
	`{"GATE":"a","Time":"2026-11-21T10:00:00Z","ſcore":1}`, `{"gate":"G1","tıme":"2026-11-21T10:00:00Z"}`,
	`{"gate":"G1","time":"2026-11-21T10:00:00Z","dırectİon":"exit"}`, `{"gate":"G1","time":"2026-11-21T10:00:00Z","liveness":{"Kind":1}}`, `{"gate":"a","gate":"b","time":"2026-11-21T10:00:00Z"}`,
	`{"gate":null,"time":"2026-11-21T10:00:00Z"}`, `{"gate":1,"foo":2}`, `{"foo":2,"gate":1}`, `{"":1}`, `{"fo\u006f":1}`,
	`{"g\u0061te":"\u00e9\ud83d\ude00\ud800x\udc00\\\/\b\f\n\r\t\"","time":"2026-11-21T10:00:00Z"}`,
	"{\"gate\":\"\xff\xfe\xed\xa0\x80\",\"time\":\"2026-11-21T10:00:00Z\"}", "{\"gate\":\"a\x01\"}", `{"gate":"\x"}`, `{"gate":"\u12G4"}`, `{"gate":"\u12`,
	`{"attempt":1.5,"time":"2026-11-21T10:00:00Z"}`, `{"attempt":1e2}`, `{"attempt":-0,"time":"2026-11-21T10:00:00Z"}`,
	`{"attempt":99999999999999999999}`, `{"attempt":"1"}`, `{"attempt":true}`, `{"attempt":null,"time":"2026-11-21T10:00:00Z"}`,
	`{"attempt":-}`, `{"attempt":1.}`, `{"attempt":1.e}`, `{"attempt":1e}`, `{"attempt":1e+}`, `{"attempt":01}`, `{"attempt":-01}`,
	`{"face":{"score":1e400}}`, `{"face":{"score":1e-400},"time":"2026-11-21T10:00:00Z"}`, `{"face":{"score":"high"}}`,
	`{"face":{"score":0.5},"face":{"threshold":0.3},"time":"2026-11-21T10:00:00Z"}`, `{"face":{"score":0.5},"face":null,"time":"2026-11-21T10:00:00Z"}`,
	`{"face":{"score":null},"time":"2026-11-21T10:00:00Z"}`, `{"face":[],"liveness":1}`, `{"face":{"treshold":1}}`, `{"face":{}}`,
	`{"chip":{"passive_authentication":"passed"},"chip":{"chip_authentication":"failed"},"time":"2026-11-21T10:00:00Z"}`,
	`{"chip":"x"}`, `{"chip":{"dg1_matches_mrz":true}}`, `{"morph_suspected":"yes"}`, `{"morph_suspected":1}`,
	`{"morph_suspected":true,"morph_suspected":null,"time":"2026-11-21T10:00:00Z"}`, `{"morph_suspected":fals}`, `{"morph_suspected":nul}`,
	`{"document":null,"time":"2026-11-21T10:00:00Z"}`, `{"document":{"mrz":"P<UTO"}}`, `{"document":{"mrz":[1]}}`,
	`{"document":{"mrz":["a","b","c"]},"document":{"mrz":["x"]},"document":{"mrz":[null,null,null]},"time":"2026-11-21T10:00:00Z"}`,
	`{"document":{"mrz":["a","b"]},"document":{"mrz":[]},"document":{"mrz":[null]},"time":"2026-11-21T10:00:00Z"}`,
	`{"document":{"mrz":["a"]},"document":{"mrz":null},"time":"2026-11-21T10:00:00Z"}`, `{"document":{"mrz":[]},"time":"2026-11-21T10:00:00Z"}`,
	`{"document":{"mrz":[,]}}`, `{"document":{"mrz":["a",]}}`, `{"document":{"mrz":["a" "b"]}}`, `{"document":{"dg1":[{"x":[1,{"y":null}]}]}}`,
	`{"document":{"mrz":[1],"x":1},"attempt":"z"}`, `{"foo":{"bar":[1,2,{"baz":tru}]}}`, `{"foo":{"bar" 1}}`, `{"foo":{1:2}}`,
	`{"reference":"` + strings.Repeat("é", 40) + `","time":"2026-11-21T10:00:00Z"}`,
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001), `{"foo":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
	`{"foo":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`,
}

func TestDecodeEventMatchesEncodingJSON(t *testing.T) {
	for _, body := range eventCases {
		checkSameDecode(t, []byte(body))
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		checkSameDecode(t, b)
		// Every prefix, and every byte replaced by a few others.
		for i := range b {
			checkSameDecode(t, b[:i])
			for _, c := range []byte{' ', '"', '}', ']', ',', ':', '\\', 'x', '0', 0x80} {
				m := bytes.Clone(b)
				m[i] = c
				checkSameDecode(t, m)
			}
		}
	}
}

// FuzzDecodeEventMatchesEncodingJSON compares DecodeEvent with the
// encoding/json decoder it replaced: the same event, or the same error.
func FuzzDecodeEventMatchesEncodingJSON(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, body := range eventCases {
		if len(body) < 1000 {
			f.Add([]byte(body))
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkSameDecode(t, body) })
}

// BenchmarkDecodeEvent compares DecodeEvent with the encoding/json decoder
// it replaced on the sample events:
//
//	go test ./screening/gate -run '^$' -bench DecodeEvent -count 6 | benchstat -col /impl -
func BenchmarkDecodeEvent(b *testing.B) {
	for _, name := range []string{"egate.json", "kiosk.json"} {
		body := readSample(b, name)
		for _, impl := range []struct {
			name   string
			decode func([]byte) (*gate.Event, error)
		}{{"encoding-json", refDecodeEvent}, {"jsonwire", gate.DecodeEvent}} {
			b.Run("sample="+strings.TrimSuffix(name, ".json")+"/impl="+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					if _, err := impl.decode(body); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
