package edifact_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/bordersec/portcullis/screening/edifact"
)

func TestWriterEscapes(t *testing.T) {
	tests := []struct {
		name string
		sc   edifact.ServiceChars
		v    string
		want string
	}{
		{"plain", edifact.DefaultServiceChars, "SMITH", "FTX+SMITH'"},
		{"apostrophe", edifact.DefaultServiceChars, "O'NEIL", "FTX+O?'NEIL'"},
		{"all service characters", edifact.DefaultServiceChars, "a:b+c?d'e", "FTX+a?:b?+c??d?'e'"},
		{"space repetition not released", edifact.DefaultServiceChars, "A B", "FTX+A B'"},
		{"repetition released", edifact.ServiceChars{Component: ':', Element: '+', Decimal: '.', Release: '?', Repetition: '*', Terminator: '\''}, "A*B", "FTX+A?*B'"},
		{"custom", edifact.ServiceChars{Component: '|', Element: '*', Decimal: ',', Release: '!', Repetition: ' ', Terminator: '~'}, "a*b|c!d~'", "FTX*a!*b!|c!!d!~'~"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w, err := edifact.NewWriter(&b, &edifact.WriterOptions{Service: tt.sc})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.WriteSegment("FTX", edifact.Element{tt.v}); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWriterCharsets(t *testing.T) {
	tests := []struct {
		syntax string
		v      string
		want   string // bytes written for v; "" when an error is wanted
		err    error
	}{
		{"UNOA", "SMITH", "SMITH", nil},
		{"UNOA", "MÜLLER", "", edifact.ErrCharset},
		{"UNOC", "MÜLLER", "M\xdcLLER", nil},
		{"UNOC", "Łódź", "", edifact.ErrCharset},
		{"UNOD", "Łódź", "\xa3\xf3d\xbc", nil},
		{"UNOY", "李 Łódź", "李 Łódź", nil},
		{"UNOA", "TAB\tX", "", edifact.ErrCharset},
		{"UNOY", "C1\u0085X", "", edifact.ErrCharset},
		{"UNOY", "BAD\xffUTF8", "", edifact.ErrCharset},
	}
	for _, tt := range tests {
		t.Run(tt.syntax+" "+tt.v, func(t *testing.T) {
			var b bytes.Buffer
			w, err := edifact.NewWriter(&b, &edifact.WriterOptions{Syntax: tt.syntax})
			if err != nil {
				t.Fatal(err)
			}
			err = w.WriteSegment("FTX", edifact.Element{tt.v})
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("got error %v, want %v", err, tt.err)
			}
			if err != nil {
				if err2 := w.WriteSegment("BGM", edifact.Element{"745"}); err2 != err {
					t.Errorf("error not sticky: got %v after %v", err2, err)
				}
				if err := w.Flush(); err == nil {
					t.Errorf("Flush after an error: got nil")
				}
				if b.Len() != 0 {
					t.Errorf("wrote %q after an error", b.String())
				}
				return
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if got, want := b.String(), "FTX+"+tt.want+"'"; got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	if _, err := edifact.NewWriter(&bytes.Buffer{}, &edifact.WriterOptions{Syntax: "UNOX"}); !errors.Is(err, edifact.ErrCharset) {
		t.Errorf("unknown syntax: got %v, want ErrCharset", err)
	}
	bad := edifact.DefaultServiceChars
	bad.Element = ':'
	if _, err := edifact.NewWriter(&bytes.Buffer{}, &edifact.WriterOptions{Service: bad}); !errors.Is(err, edifact.ErrServiceString) {
		t.Errorf("bad service characters: got %v, want ErrServiceString", err)
	}
	w, _ := edifact.NewWriter(&bytes.Buffer{}, nil)
	if err := w.WriteSegment("ftx", edifact.Element{"x"}); !errors.Is(err, edifact.ErrSyntax) {
		t.Errorf("bad tag: got %v, want ErrSyntax", err)
	}
	noRelease := edifact.DefaultServiceChars
	noRelease.Release = 0
	w, _ = edifact.NewWriter(&bytes.Buffer{}, &edifact.WriterOptions{Service: noRelease})
	if err := w.WriteSegment("FTX", edifact.Element{"O'NEIL"}); !errors.Is(err, edifact.ErrSyntax) {
		t.Errorf("service character without release: got %v, want ErrSyntax", err)
	}
}

func TestWriterMessage(t *testing.T) {
	var b bytes.Buffer
	w, err := edifact.NewWriter(&b, &edifact.WriterOptions{Newline: true})
	if err != nil {
		t.Fatal(err)
	}
	steps := []func() error{
		w.WriteUNA,
		func() error {
			return w.WriteSegment("UNB", edifact.Element{"UNOA", "4"}, edifact.Element{"S"}, edifact.Element{"R"}, edifact.Element{"250101", "1200"}, edifact.Element{"7"})
		},
		func() error {
			return w.WriteSegment("UNH", edifact.Element{"M1"}, edifact.Element{"CUSRES", "D", "05B", "UN", "IATA"})
		},
		func() error { return w.WriteSegment("BGM", edifact.Element{"962"}) },
		func() error { return w.WriteSegment("ERC", edifact.Element{"0Z"}) },
		func() error { return w.WriteUNT("M1") },
		func() error { return w.WriteSegment("UNZ", edifact.Element{"1"}, edifact.Element{"7"}) },
		w.Flush,
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	want := "UNA:+.? '\nUNB+UNOA:4+S+R+250101:1200+7'\nUNH+M1+CUSRES:D:05B:UN:IATA'\nBGM+962'\nERC+0Z'\nUNT+4+M1'\nUNZ+1+7'\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, err := edifact.Parse(b.Bytes(), nil); err != nil {
		t.Errorf("strict Parse of the output: %v", err)
	}
}

func TestServiceCharsValidate(t *testing.T) {
	d := edifact.DefaultServiceChars
	mod := func(f func(*edifact.ServiceChars)) edifact.ServiceChars {
		sc := d
		f(&sc)
		return sc
	}
	tests := []struct {
		name string
		sc   edifact.ServiceChars
		ok   bool
	}{
		{"default", d, true},
		{"no release", mod(func(s *edifact.ServiceChars) { s.Release = 0 }), true},
		{"repetition star", mod(func(s *edifact.ServiceChars) { s.Repetition = '*' }), true},
		{"line feed terminator", mod(func(s *edifact.ServiceChars) { s.Terminator = '\n' }), true},
		{"same separators", mod(func(s *edifact.ServiceChars) { s.Element = s.Component }), false},
		{"release is terminator", mod(func(s *edifact.ServiceChars) { s.Release = '\'' }), false},
		{"letter", mod(func(s *edifact.ServiceChars) { s.Component = 'A' }), false},
		{"digit", mod(func(s *edifact.ServiceChars) { s.Terminator = '0' }), false},
		{"space", mod(func(s *edifact.ServiceChars) { s.Element = ' ' }), false},
		{"zero", mod(func(s *edifact.ServiceChars) { s.Terminator = 0 }), false},
		{"decimal", mod(func(s *edifact.ServiceChars) { s.Decimal = ';' }), false},
	}
	for _, tt := range tests {
		err := tt.sc.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%s: got %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && !errors.Is(err, edifact.ErrServiceString) {
			t.Errorf("%s: got %v, want ErrServiceString", tt.name, err)
		}
	}
}

// rewrite writes every segment of ic back with the same service characters
// and character set.
func rewrite(ic *edifact.Interchange) ([]byte, error) {
	var b bytes.Buffer
	w, err := edifact.NewWriter(&b, &edifact.WriterOptions{Service: ic.Service, Syntax: ic.Syntax})
	if err != nil {
		return nil, err
	}
	if err := w.WriteUNA(); err != nil {
		return nil, err
	}
	write := func(s *edifact.Segment) {
		// Errors are sticky: the Flush below returns the first.
		_ = w.WriteSegment(s.Tag, s.Elements...)
	}
	write(&ic.Header)
	group := -1
	for i := range ic.Messages {
		m := &ic.Messages[i]
		if m.Group != group {
			if group >= 0 {
				write(&ic.Groups[group].Trailer)
			}
			group = m.Group
			write(&ic.Groups[group].Header)
		}
		write(&m.Header)
		for j := range m.Segments {
			write(&m.Segments[j])
		}
		write(&m.Trailer)
	}
	if group >= 0 {
		write(&ic.Groups[group].Trailer)
	}
	write(&ic.Trailer)
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// sameSegments compares the tags and values of two interchanges.
func sameSegments(t testing.TB, a, b *edifact.Interchange) {
	t.Helper()
	flat := func(ic *edifact.Interchange) [][]edifact.Element {
		var out [][]edifact.Element
		add := func(s *edifact.Segment) {
			out = append(out, append([]edifact.Element{{s.Tag}}, s.Elements...))
		}
		add(&ic.Header)
		for i := range ic.Messages {
			m := &ic.Messages[i]
			add(&m.Header)
			for j := range m.Segments {
				add(&m.Segments[j])
			}
			add(&m.Trailer)
		}
		add(&ic.Trailer)
		return out
	}
	fa, fb := flat(a), flat(b)
	if len(fa) != len(fb) {
		t.Fatalf("segments: got %d, want %d", len(fb), len(fa))
	}
	for i := range fa {
		if !reflect.DeepEqual(fa[i], fb[i]) {
			t.Fatalf("segment %d: got %q, want %q", i+1, fb[i], fa[i])
		}
	}
}

func TestRoundTripSamples(t *testing.T) {
	files, err := filepath.Glob("testdata/gtas__*")
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			ic, err := edifact.Parse(readSample(t, filepath.Base(f)), lenient)
			if err != nil {
				t.Fatal(err)
			}
			out, err := rewrite(ic)
			if hasWarning(ic, edifact.ErrCharset) {
				// Text the reader could not decode (U+FFFD) cannot be
				// written back in the declared set.
				if !errors.Is(err, edifact.ErrCharset) {
					t.Fatalf("rewrite of replaced characters: got %v, want ErrCharset", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("rewrite: %v", err)
			}
			again, err := edifact.Parse(out, lenient)
			if err != nil {
				t.Fatalf("Parse of the rewritten interchange: %v", err)
			}
			sameSegments(t, ic, again)
			if again.Service != ic.Service {
				t.Errorf("service characters: got %q, want %q", again.Service.UNA(), ic.Service.UNA())
			}
		})
	}
}

func hasWarning(ic *edifact.Interchange, target error) bool {
	for _, w := range ic.Warnings {
		if errors.Is(w, target) {
			return true
		}
	}
	return false
}
