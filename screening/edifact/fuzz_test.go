package edifact_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/bordersec/portcullis/screening/edifact"
)

// FuzzParse checks that Parse never panics, that its errors are *Error,
// and that what it reads can be written back and read again to the same
// segments.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/gtas__*")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
		f.Add(data, true)
	}
	f.Add([]byte("UNB+UNOC:4+S+R+250101:1200+7'UNH+1+PAXLST:D:05B:UN'NAD+FL+++M\xfcller?'S'UNT+3+1'UNZ+1+7'"), false)
	f.Add([]byte("UNA|*,! ~UNB*UNOY|4*S*R*250101|1200*7~UNG*PAXLST*S*R*250101|1200*1*UN*D|05B~UNH*1*PAXLST|D|05B|UN~BGM*745!~~UNT*3*1~UNE*1*1~UNZ*1*7~"), false)
	f.Add([]byte("UNB\x1dUNOB\x1f3\x1dS\x1dR\x1d250101\x1f1200\x1d7\x1cUNH\x1d1\x1dPAXLST\x1cUNT\x1d2\x1d1\x1cUNZ\x1d1\x1d7\x1c"), true)
	f.Fuzz(func(t *testing.T, data []byte, lenientMode bool) {
		opts := &edifact.Options{Lenient: lenientMode, MaxSize: 1 << 20}
		ic, err := edifact.Parse(data, opts)
		if err != nil {
			var e *edifact.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not an *edifact.Error: %v", err, err)
			}
			if ic != nil {
				t.Fatalf("partial interchange returned with %v", err)
			}
			if err.Error() == "" {
				t.Fatalf("empty error message")
			}
			return
		}
		n := 2 // UNB, UNZ
		for _, g := range ic.Groups {
			if g.Header.Tag != "UNG" || g.Trailer.Tag != "UNE" {
				t.Fatalf("group %q: header %s, trailer %s", g.Ref, g.Header.Tag, g.Trailer.Tag)
			}
			n += 2
		}
		for _, m := range ic.Messages {
			n += len(m.Segments) + 2
			if m.Group >= len(ic.Groups) {
				t.Fatalf("message %q in group %d of %d", m.Ref, m.Group, len(ic.Groups))
			}
		}
		if n != ic.Segments {
			t.Fatalf("segments: %d in the envelope, %d read", n, ic.Segments)
		}
		out, err := rewrite(ic)
		if err != nil {
			// Replaced characters cannot be written back; nor can a
			// repetition separator in a value when there is no release
			// character.
			if hasWarning(ic, edifact.ErrCharset) || hasWarning(ic, edifact.ErrSyntax) ||
				(ic.Service.Release == 0 && errors.Is(err, edifact.ErrSyntax)) {
				return
			}
			t.Fatalf("rewrite: %v", err)
		}
		again, err := edifact.Parse(out, opts)
		if err != nil {
			t.Fatalf("Parse of the rewritten interchange: %v\n%q", err, out)
		}
		sameSegments(t, ic, again)
	})
}
