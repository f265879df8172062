package screening

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/bordersec/portcullis/matcher"
)

type emptySource struct{}

func (emptySource) Snapshot(context.Context, func(*Entry) error) (uint64, uint64, error) {
	return 0, 1, nil
}
func (emptySource) ChangesAfter(context.Context, uint64, func(*Change) error) error { return nil }

// TestSharedSearchPanicRefers: when the name search a manifest's passengers
// share panics, the passenger who ran it is referred by the engine's
// recover, and so must every passenger who shares it, not be cleared.
func TestSharedSearchPanicRefers(t *testing.T) {
	e := New(emptySource{}, Options{CacheSize: -1, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := e.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	e.upsert(&Entry{ID: "x", List: "l", Kind: KindPerson, Action: ActionDeny, Names: []Name{{Full: "Ivan Petrovich Sidorov"}}})
	tr := &Traveller{Name: "Ivan Petrovich Sidorov"}
	memo := &searchMemo{m: map[matcher.Query]*memoEntry{}}
	// The first passenger's search panics (as a matcher bug would).
	func() {
		defer func() { _ = recover() }()
		memo.share(queryOf(tr), func() ([]matcher.Match, error) { panic("matcher bug") })
	}()
	if d := e.screen(context.Background(), tr, memo); d.Outcome == Clear {
		t.Fatalf("a listed passenger sharing a search that panicked: %s %v", d.Outcome, d.Reasons)
	}
}
