package edifact_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bordersec/portcullis/screening/edifact"
)

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var lenient = &edifact.Options{Lenient: true}

// countSegments counts the segments of an interchange written with the
// given terminator and no released terminators: every terminator ends one,
// except the one inside the UNA.
func countSegments(data []byte, una bool, term byte) int {
	n := bytes.Count(data, []byte{term})
	if una {
		n--
	}
	return n
}

func TestParseSamples(t *testing.T) {
	tests := []struct {
		file string
		// strict is the sentinel a strict Parse fails with (nil: it
		// succeeds), at segment strictSeg with tag strictTag.
		strict    error
		strictSeg int
		strictTag string
		una       string // the service characters in effect
		groups    int
		warnings  int
	}{
		{"gtas__apis-messages__Test1.txt", edifact.ErrCount, 109, "UNT", "UNA:+.? '", 1, 3},
		{"gtas__apis-messages__Test3.txt", edifact.ErrCharset, 852, "NAD", "UNA:+.? '", 1, 2},
		{"gtas__apis-messages__airline2.edi", edifact.ErrCount, 113, "UNT", "UNA:*.? $", 1, 2},
		{"gtas__apis-messages__apisMessage.txt", nil, 0, "", "UNA:+.?*'", 1, 0},
		{"gtas__apis-messages__multiple_flight_leg_apis.txt", edifact.ErrEnvelope, 50, "UNZ", "UNA:+.? '", 1, 1},
		{"gtas__tamr-integration-data__flight1.txt", edifact.ErrCount, 182, "UNT", "UNA:+.? '", 0, 1},
		{"gtas__tamr-integration-data__flight2.txt", edifact.ErrCount, 181, "UNT", "UNA:+.? '", 0, 1},
		{"gtas__tamr-integration-data__flight3.txt", edifact.ErrCount, 188, "UNT", "UNA:+.? '", 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data := readSample(t, tt.file)
			_, err := edifact.Parse(data, nil)
			if !errors.Is(err, tt.strict) || (tt.strict == nil) != (err == nil) {
				t.Fatalf("strict Parse: got error %v, want %v", err, tt.strict)
			}
			if err != nil {
				var e *edifact.Error
				if !errors.As(err, &e) {
					t.Fatalf("strict Parse: got %T, want *edifact.Error", err)
				}
				if e.Segment != tt.strictSeg || e.Tag != tt.strictTag {
					t.Errorf("strict Parse: error at segment %d %s, want %d %s (%v)", e.Segment, e.Tag, tt.strictSeg, tt.strictTag, err)
				}
			}

			ic, err := edifact.Parse(data, lenient)
			if err != nil {
				t.Fatalf("lenient Parse: %v", err)
			}
			if got := ic.Service.UNA(); got != tt.una {
				t.Errorf("service characters: got %q, want %q", got, tt.una)
			}
			// Independent count: one segment per terminator, minus the
			// UNA's own (none of the samples releases a terminator).
			if want := countSegments(data, ic.HasUNA, ic.Service.Terminator); ic.Segments != want {
				t.Errorf("segments: got %d, want %d", ic.Segments, want)
			}
			if got := len(ic.Messages); got != 1 {
				t.Errorf("messages: got %d, want 1", got)
			}
			if got := len(ic.Groups); got != tt.groups {
				t.Errorf("groups: got %d, want %d", got, tt.groups)
			}
			if ic.WarningCount != tt.warnings || len(ic.Warnings) != tt.warnings {
				t.Errorf("warnings: got %d (%d kept), want %d: %v", ic.WarningCount, len(ic.Warnings), tt.warnings, ic.Warnings)
			}
			m := ic.Messages[0]
			if m.Type != "PAXLST" {
				t.Errorf("message type: got %q, want PAXLST", m.Type)
			}
			// UNB + (UNG) + UNH + body + UNT + (UNE) + UNZ.
			env := 4 + 2*tt.groups
			if got, want := len(m.Segments), ic.Segments-env; got != want {
				t.Errorf("body segments: got %d, want %d", got, want)
			}
			for i, s := range m.Segments {
				if s.Pos != m.Header.Pos+1+i {
					t.Fatalf("segment %d: Pos %d, want %d", i, s.Pos, m.Header.Pos+1+i)
				}
			}
		})
	}
}

func TestParseSampleFields(t *testing.T) {
	ic, err := edifact.Parse(readSample(t, "gtas__apis-messages__airline2.edi"), lenient)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"syntax", ic.Syntax, "UNOA"},
		{"version", ic.SyntaxVersion, "4"},
		{"sender", ic.Sender.ID, "SDT"},
		{"sender qualifier", ic.Sender.Qualifier, "ZZ"},
		{"recipient", ic.Recipient.ID, "JMAPIS"},
		{"date", ic.Date, "140211"},
		{"time", ic.Time, "1800"},
		{"control ref", ic.ControlRef, "1402111800"},
		{"app ref", ic.AppRef, "APIS"},
		{"group type", ic.Groups[0].Type, "PAXLST"},
		{"group sender", ic.Groups[0].Sender.ID, "AMERICAN AIRLINES"},
		{"group version", ic.Groups[0].Version + ":" + ic.Groups[0].Release, "D:02B"},
		{"message ref", ic.Messages[0].Ref, "1402111800"},
		{"association", ic.Messages[0].Association, "IATA"},
		{"common access ref", ic.Messages[0].CommonAccessRef, "AA346"},
		{"sequence", ic.Messages[0].Sequence + ":" + ic.Messages[0].SequenceMark, "10:F"},
		{"first body tag", ic.Messages[0].Segments[0].Tag, "BGM"},
		{"NAD name", ic.Messages[0].Segments[8].Value(4, 1), "BETTON"},
		{"trailing empty component", ic.Messages[0].Segments[8].Value(4, 3), ""},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if got := len(ic.Messages[0].Segments[8].Element(4)); got != 3 {
		t.Errorf("NAD name components: got %d, want 3", got)
	}
}

// build joins segments with the default terminator.
func build(segs ...string) []byte {
	return []byte(strings.Join(segs, "'") + "'")
}

func TestParseRelease(t *testing.T) {
	data := []byte("UNB+UNOA:4+A+B+250101:1200+1'UNH+1+PAXLST:D:05B:UN:IATA'" +
		"FTX+AAA+++O?'NEIL?+CO?:LTD??:X'RFF+?:?+?'?'??'UNT+4+1'UNZ+1+1'")
	ic, err := edifact.Parse(data, nil)
	if err != nil {
		t.Fatal(err)
	}
	segs := ic.Messages[0].Segments
	if got, want := len(segs), 2; got != want {
		t.Fatalf("segments: got %d, want %d", got, want)
	}
	tests := []struct {
		seg, el, comp int
		want          string
	}{
		{0, 4, 1, "O'NEIL+CO:LTD?"},
		{0, 4, 2, "X"},
		{1, 1, 1, ":+''?"},
	}
	for _, tt := range tests {
		if got := segs[tt.seg].Value(tt.el, tt.comp); got != tt.want {
			t.Errorf("segment %d element %d component %d: got %q, want %q", tt.seg, tt.el, tt.comp, got, tt.want)
		}
	}
}

func TestParseServiceChars(t *testing.T) {
	tests := []struct {
		name string
		data string
	}{
		{"default, no UNA", "UNB+UNOA:3+S+R+250101:1200+7'UNH+1+PAXLST:D:05B:UN'BGM+745+A?+B'UNT+3+1'UNZ+1+7'"},
		{"UNA defaults", "UNA:+.? 'UNB+UNOA:3+S+R+250101:1200+7'UNH+1+PAXLST:D:05B:UN'BGM+745+A?+B'UNT+3+1'UNZ+1+7'"},
		{"custom", "UNA|*,!_~UNB*UNOA|3*S*R*250101|1200*7~UNH*1*PAXLST|D|05B|UN~BGM*745*A+B~UNT*3*1~UNZ*1*7~"},
		{"custom with release", "UNA#^.\\ %UNB^UNOA#3^S^R^250101#1200^7%UNH^1^PAXLST#D#05B#UN%BGM^745^A+B%UNT^3^1%UNZ^1^7%"},
		{"newline terminator", "UNA:+.? \nUNB+UNOA:3+S+R+250101:1200+7\r\nUNH+1+PAXLST:D:05B:UN\r\nBGM+745+A?+B\nUNT+3+1\nUNZ+1+7\n"},
		{"CR terminator and LF", "UNA:+.? \r\nUNB+UNOA:3+S+R+250101:1200+7\r\nUNH+1+PAXLST:D:05B:UN\r\nBGM+745+A?+B\r\nUNT+3+1\r\nUNZ+1+7\r\n"},
		{"level B defaults", "UNB\x1dUNOB\x1f3\x1dS\x1dR\x1d250101\x1f1200\x1d7\x1cUNH\x1d1\x1dPAXLST\x1fD\x1f05B\x1fUN\x1cBGM\x1d745\x1dA+B\x1cUNT\x1d3\x1d1\x1cUNZ\x1d1\x1d7\x1c"},
		{"white space between segments", "\ufeff  UNA:+.? '\r\n UNB+UNOA:3+S+R+250101:1200+7'\r\n\tUNH+1+PAXLST:D:05B:UN'\n\nBGM+745+A?+B'  UNT+3+1'UNZ+1+7'\r\n\x1a"},
		{"release without UNA release", "UNA:+.  'UNB+UNOA:3+S+R+250101:1200+7'UNH+1+PAXLST:D:05B:UN'BGM+745+A?+B'UNT+3+1'UNZ+1+7'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ic, err := edifact.Parse([]byte(tt.data), nil)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got, want := ic.ControlRef, "7"; got != want {
				t.Errorf("control ref: got %q, want %q", got, want)
			}
			bgm := ic.Messages[0].Segments[0]
			want := "A+B"
			if tt.name == "release without UNA release" {
				want = "A?" // no release character: '?' is data and '+' separates
			}
			if got := bgm.Value(2, 1); got != want {
				t.Errorf("BGM element 2: got %q, want %q", got, want)
			}
			if got := bgm.Value(1, 1); got != "745" {
				t.Errorf("BGM element 1: got %q, want 745", got)
			}
		})
	}
}

func TestParseCharsets(t *testing.T) {
	env := func(syntax, name string) []byte {
		return build("UNB+"+syntax+":4+S+R+250101:1200+7", "UNH+1+PAXLST:D:05B:UN", "NAD+FL+++"+name, "UNT+3+1", "UNZ+1+7")
	}
	tests := []struct {
		name   string
		data   []byte
		want   string
		strict error // error of a strict parse
	}{
		{"UNOA ASCII", env("UNOA", "SMITH"), "SMITH", nil},
		{"UNOB lower case", env("UNOB", "Smith"), "Smith", nil},
		{"UNOC Latin-1", env("UNOC", "M\xfcller:Ren\xe9"), "Müller", nil},
		{"UNOD Latin-2", env("UNOD", "\xa3\xf3d\xbc"), "Łódź", nil},
		{"UNOE Cyrillic", env("UNOE", "\xb8\xd2\xd0\xdd\xde\xd2"), "Иванов", nil},
		{"UNOY UTF-8", env("UNOY", "Łódź"), "Łódź", nil},
		{"UNOW UTF-8", env("UNOW", "李"), "李", nil},
		{"UNOA high byte", env("UNOA", "NOV\x87K"), "NOV\ufffdK", edifact.ErrCharset},
		{"UNOC C1 control", env("UNOC", "NOV\x87K"), "NOV\ufffdK", edifact.ErrCharset},
		{"UNOY invalid UTF-8", env("UNOY", "NOV\xffK"), "NOV\ufffdK", edifact.ErrCharset},
		{"control character", env("UNOA", "NO\x01VAK"), "NO\ufffdVAK", edifact.ErrSyntax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := edifact.Parse(tt.data, nil)
			if !errors.Is(err, tt.strict) || (tt.strict == nil) != (err == nil) {
				t.Fatalf("strict Parse: got %v, want %v", err, tt.strict)
			}
			ic, err := edifact.Parse(tt.data, lenient)
			if err != nil {
				t.Fatalf("lenient Parse: %v", err)
			}
			if got := ic.Messages[0].Segments[0].Value(4, 1); got != tt.want {
				t.Errorf("name: got %q, want %q", got, tt.want)
			}
			if got, want := ic.WarningCount > 0, tt.strict != nil; got != want {
				t.Errorf("warned: got %v, want %v (%v)", got, want, ic.Warnings)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	ok := []string{"UNB+UNOA:4+S+R+250101:1200+7", "UNH+1+PAXLST:D:05B:UN", "BGM+745", "UNT+3+1", "UNZ+1+7"}
	with := func(i int, seg ...string) []byte { // replace segment i by seg
		s := append(append(append([]string{}, ok[:i]...), seg...), ok[i+1:]...)
		return build(s...)
	}
	tests := []struct {
		name    string
		data    []byte
		opts    *edifact.Options
		want    error
		seg     int
		tag     string
		element int
	}{
		{"empty", nil, nil, edifact.ErrNotEDIFACT, 0, "", 0},
		{"not EDIFACT", []byte(`{"passengers": []}`), nil, edifact.ErrNotEDIFACT, 0, "", 0},
		{"short UNA", []byte("UNA:+"), nil, edifact.ErrServiceString, 0, "UNA", 0},
		{"UNA repeats a separator", []byte("UNA::.? 'UNB:UNOA'"), nil, edifact.ErrServiceString, 0, "UNA", 0},
		{"UNA letter separator", []byte("UNA:A.? 'UNB'"), nil, edifact.ErrServiceString, 0, "UNA", 0},
		{"UNA only", []byte("UNA:+.? '  "), nil, edifact.ErrEnvelope, 0, "", 0},
		{"first segment not UNB", build(append([]string{"UNH+1+X"}, ok...)...), nil, edifact.ErrNotEDIFACT, 0, "", 0},
		{"first segment after UNA not UNB", build(append([]string{"UNA:+.? 'UNH+1+X"}, ok...)...), nil, edifact.ErrEnvelope, 1, "UNH", 0},
		{"unknown character set", with(0, "UNB+UNOX:4+S+R+250101:1200+7"), nil, edifact.ErrCharset, 1, "UNB", 1},
		{"IATA character set", with(0, "UNB+IATB:1+S+R+250101:1200+7"), nil, edifact.ErrCharset, 1, "UNB", 1},
		{"no sender", with(0, "UNB+UNOA:4++R+250101:1200+7"), nil, edifact.ErrEnvelope, 1, "UNB", 2},
		{"no control reference", with(0, "UNB+UNOA:4+S+R+250101:1200"), nil, edifact.ErrEnvelope, 1, "UNB", 5},
		{"no UNZ", build(ok[:4]...), nil, edifact.ErrEnvelope, 5, "", 0},
		{"no UNT", build(ok[0], ok[1], ok[2], ok[4]), nil, edifact.ErrEnvelope, 4, "UNZ", 0},
		{"UNH inside message", with(2, "UNH+2+PAXLST:D:05B:UN"), nil, edifact.ErrEnvelope, 3, "UNH", 0},
		{"UNH without type", with(1, "UNH+1"), nil, edifact.ErrEnvelope, 2, "UNH", 2},
		{"segment outside message", build(ok[0], "BGM+745", ok[1], ok[2], ok[3], ok[4]), nil, edifact.ErrEnvelope, 2, "BGM", 0},
		{"UNT without UNH", build(ok[0], "UNT+2+1", ok[4]), nil, edifact.ErrEnvelope, 2, "UNT", 0},
		{"second UNB", with(2, "UNB+UNOA:4+S+R+250101:1200+8"), nil, edifact.ErrEnvelope, 3, "UNB", 0},
		{"UNT count", with(3, "UNT+4+1"), nil, edifact.ErrCount, 4, "UNT", 1},
		{"UNT count not a number", with(3, "UNT+X+1"), nil, edifact.ErrCount, 4, "UNT", 1},
		{"UNT reference", with(3, "UNT+3+2"), nil, edifact.ErrReference, 4, "UNT", 2},
		{"UNZ count", with(4, "UNZ+2+7"), nil, edifact.ErrCount, 5, "UNZ", 1},
		{"UNZ reference", with(4, "UNZ+1+8"), nil, edifact.ErrReference, 5, "UNZ", 2},
		{"UNE without UNG", build(ok[0], ok[1], ok[2], ok[3], "UNE+1+1", ok[4]), nil, edifact.ErrEnvelope, 5, "UNE", 0},
		{"UNG not closed", build(ok[0], "UNG+PAXLST+S+R+250101:1200+1+UN+D:05B", ok[1], ok[2], ok[3], ok[4]), nil, edifact.ErrEnvelope, 6, "UNZ", 0},
		{"UNE count", build(ok[0], "UNG+PAXLST+S+R+250101:1200+1+UN+D:05B", ok[1], ok[2], ok[3], "UNE+2+1", ok[4]), nil, edifact.ErrCount, 6, "UNE", 1},
		{"UNE reference", build(ok[0], "UNG+PAXLST+S+R+250101:1200+1+UN+D:05B", ok[1], ok[2], ok[3], "UNE+1+9", ok[4]), nil, edifact.ErrReference, 6, "UNE", 2},
		{"message outside group", build(ok[0], "UNG+PAXLST+S+R+250101:1200+1+UN+D:05B", ok[1], ok[2], ok[3], "UNE+1+1", ok[1], ok[2], ok[3], "UNZ+2+7"), nil, edifact.ErrEnvelope, 7, "UNH", 0},
		{"data after UNZ", append(build(ok...), "UNB+"...), nil, edifact.ErrEnvelope, 5, "UNZ", 0},
		{"bad tag", with(2, "bgm+745"), nil, edifact.ErrSyntax, 3, "bgm", 0},
		{"long tag", with(2, "BGMX+745"), nil, edifact.ErrSyntax, 3, "BGMX", 0},
		{"empty segment", with(2, ""), nil, edifact.ErrSyntax, 3, "", 0},
		{"no terminator", []byte(strings.Join(ok, "'")), nil, edifact.ErrSyntax, 5, "UNZ", 2},
		{"release at the end", []byte(strings.Join(ok, "'") + "?"), nil, edifact.ErrSyntax, 5, "UNZ", 2},
		{"control character", with(2, "BGM+7\x0045"), nil, edifact.ErrSyntax, 3, "BGM", 1},
		{"too large", build(ok...), &edifact.Options{MaxSize: 20}, edifact.ErrLimit, 0, "", 0},
		{"too many segments", build(ok...), &edifact.Options{MaxSegments: 4}, edifact.ErrLimit, 5, "", 0},
		{"too many elements", with(2, "BGM+1+2+3+4+5+6"), &edifact.Options{MaxElements: 5}, edifact.ErrLimit, 3, "BGM", 6},
		{"too many components", with(2, "BGM+1:2:3:4:5"), &edifact.Options{MaxComponents: 4}, edifact.ErrLimit, 3, "BGM", 1},
		{"lenient does not forgive a broken envelope", build(ok[0], ok[1], ok[2], ok[4]), lenient, edifact.ErrEnvelope, 4, "UNZ", 0},
		{"lenient does not forgive limits", with(2, "BGM+1+2+3+4+5+6"), &edifact.Options{MaxElements: 5, Lenient: true}, edifact.ErrLimit, 3, "BGM", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ic, err := edifact.Parse(tt.data, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
			if ic != nil {
				t.Errorf("got a partial interchange with the error")
			}
			var e *edifact.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %T, want *edifact.Error", err)
			}
			if e.Segment != tt.seg || e.Tag != tt.tag || e.Element != tt.element {
				t.Errorf("got segment %d tag %q element %d, want %d %q %d (%v)", e.Segment, e.Tag, e.Element, tt.seg, tt.tag, tt.element, err)
			}
			if msg := err.Error(); msg == "" || (tt.tag != "" && !strings.Contains(msg, tt.tag)) {
				t.Errorf("message %q does not name the tag %q", msg, tt.tag)
			}
		})
	}
}

func TestParseLenientDeviations(t *testing.T) {
	data := build("UNB+UNOA:4+S+R+250101:1200+7", "UNH+1+PAXLST:D:05B:UN", "BGM+745", "UNT+9+2", "UNZ+3+8")
	data = append(data, "garbage"...)
	ic, err := edifact.Parse(data, lenient)
	if err != nil {
		t.Fatalf("lenient Parse: %v", err)
	}
	var got []error
	for _, w := range ic.Warnings {
		got = append(got, w.Err)
	}
	want := []error{edifact.ErrCount, edifact.ErrReference, edifact.ErrCount, edifact.ErrReference, edifact.ErrEnvelope}
	if len(got) != len(want) {
		t.Fatalf("warnings: got %v, want %v", ic.Warnings, want)
	}
	for i := range want {
		if !errors.Is(got[i], want[i]) {
			t.Errorf("warning %d: got %v, want %v", i, ic.Warnings[i], want[i])
		}
	}
}

func TestParseWarningCap(t *testing.T) {
	segs := []string{"UNB+UNOA:4+S+R+250101:1200+7", "UNH+1+PAXLST:D:05B:UN"}
	for range edifact.MaxWarnings + 10 {
		segs = append(segs, "FTX+\x80")
	}
	segs = append(segs, "UNT+112+1", "UNZ+1+7")
	ic, err := edifact.Parse(build(segs...), lenient)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(ic.Warnings), edifact.MaxWarnings; got != want {
		t.Errorf("kept warnings: got %d, want %d", got, want)
	}
	if got, want := ic.WarningCount, edifact.MaxWarnings+10; got != want {
		t.Errorf("warning count: got %d, want %d", got, want)
	}
}

func TestRead(t *testing.T) {
	data := readSample(t, "gtas__apis-messages__apisMessage.txt")
	ic, err := edifact.Read(bytes.NewReader(data), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ic.ControlRef, "000006640"; got != want {
		t.Errorf("control ref: got %q, want %q", got, want)
	}
	_, err = edifact.Read(bytes.NewReader(data), &edifact.Options{MaxSize: len(data) - 1})
	if !errors.Is(err, edifact.ErrLimit) {
		t.Errorf("Read of %d bytes with MaxSize %d: got %v, want ErrLimit", len(data), len(data)-1, err)
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  *edifact.Error
		want string
	}{
		{&edifact.Error{Segment: 12, Tag: "UNT", Element: 1, Msg: "UNT counts 3", Err: edifact.ErrCount},
			"segment 12 (UNT), element 1: UNT counts 3 (control count mismatch)"},
		{&edifact.Error{Segment: 3, Tag: "NAD", Element: 4, Component: 2, Err: edifact.ErrCharset},
			"segment 3 (NAD), element 4, component 2: character set"},
		{&edifact.Error{Offset: 7, Tag: "UNA", Msg: "UNA has 5 characters, want 9", Err: edifact.ErrServiceString},
			"UNA at byte 7: UNA has 5 characters, want 9 (invalid service string advice)"},
		{&edifact.Error{Segment: 2, Msg: "just a note"}, "segment 2: just a note"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
