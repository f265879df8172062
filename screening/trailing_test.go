package screening_test

import (
	"testing"

	"github.com/bordersec/portcullis/screening"
)

// TestStrictDecodersRefuseStrayBrackets: a stray } or ] after an object,
// which json.Decoder.More takes for the end of the input, is refused by
// every strict decoder that uses TrailingData, here an outside entry.
func TestStrictDecodersRefuseStrayBrackets(t *testing.T) {
	ok := `{"id":"T-1","kind":"person","names":["Ivan Petrov"],"action":"refer"}`
	var e screening.Entry
	if err := screening.DecodeEntryJSONStrict([]byte(ok+" \n"), &e); err != nil {
		t.Fatalf("an entry with trailing white space: %v", err)
	}
	for _, tail := range []string{"}", " ]", "\n}", " {}", "x"} {
		if err := screening.DecodeEntryJSONStrict([]byte(ok+tail), &e); err == nil {
			t.Errorf("entry followed by %q accepted", tail)
		}
	}
}
