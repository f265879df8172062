package screening_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
)

// memSource is an in-memory screening.Source: a list of changes.
type memSource struct {
	mu      sync.Mutex
	changes []*screening.Change
}

func (m *memSource) put(e *screening.Entry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := uint64(len(m.changes) + 1)
	c := *e
	c.Version = n
	m.changes = append(m.changes, &screening.Change{Seq: n, Version: n, Op: screening.OpUpdate, List: e.List, ID: e.ID, After: &c})
}

func (m *memSource) del(list, id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := uint64(len(m.changes) + 1)
	m.changes = append(m.changes, &screening.Change{Seq: n, Version: n, Op: screening.OpDelete, List: list, ID: id,
		Before: &screening.Entry{ID: id, List: list}})
}

// Snapshot gives nothing: the engine catches up from the change feed.
func (m *memSource) Snapshot(ctx context.Context, fn func(*screening.Entry) error) (uint64, uint64, error) {
	return 0, 0, nil
}

func (m *memSource) ChangesAfter(ctx context.Context, seq uint64, fn func(*screening.Change) error) error {
	m.mu.Lock()
	cs := append([]*screening.Change(nil), m.changes...)
	m.mu.Unlock()
	for _, c := range cs {
		if c.Seq > seq {
			if err := fn(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func newEngine(t *testing.T, src *memSource, o screening.Options) *screening.Engine {
	t.Helper()
	o.Logger = discard()
	e := screening.New(src, o)
	if err := e.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func entry(id string, action screening.Action, names ...string) *screening.Entry {
	e := &screening.Entry{ID: id, List: "l", Kind: screening.KindPerson, Action: action}
	for _, n := range names {
		e.Names = append(e.Names, screening.Name{Full: n})
	}
	return e
}

func screen(t *testing.T, e *screening.Engine, tr screening.Traveller) *screening.Decision {
	t.Helper()
	d, err := e.Screen(context.Background(), &tr)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestEngineFollowsChanges(t *testing.T) {
	src := &memSource{}
	src.put(entry("a", screening.ActionRefer, "Viktor Antonovich Krasnov"))
	e := newEngine(t, src, screening.Options{})
	if got := screen(t, e, screening.Traveller{Name: "Viktor Krasnov"}); got.Outcome != screening.Refer || got.WatchlistVersion != 1 {
		t.Fatalf("listed name: %s at version %d", got.Outcome, got.WatchlistVersion)
	}
	src.put(entry("b", screening.ActionDeny, "Wilhelmina Oosterhuis"))
	tr := screening.Traveller{Name: "Wilhelmina Oosterhuis"}
	if got := screen(t, e, tr); got.Outcome != screening.Clear {
		t.Fatalf("before Sync the engine already knew: %s", got.Outcome)
	}
	if err := e.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := screen(t, e, tr)
	if got.Outcome != screening.Deny || got.WatchlistVersion != 2 || got.Cached {
		t.Fatalf("after Sync: %s at version %d, cached %v", got.Outcome, got.WatchlistVersion, got.Cached)
	}
	if again := screen(t, e, tr); !again.Cached || again.Outcome != screening.Deny {
		t.Fatalf("the same question at the same version was not served from the cache")
	}
	src.del("l", "b")
	e.Sync(context.Background())
	if got := screen(t, e, tr); got.Outcome != screening.Clear || got.Cached {
		t.Fatalf("after the delete: %s, cached %v", got.Outcome, got.Cached)
	}
	if e.Len() != 1 {
		t.Fatalf("Len = %d, want 1", e.Len())
	}
}

func TestEnginePolicy(t *testing.T) {
	src := &memSource{}
	deny := entry("deny", screening.ActionDeny, "Bartholomew Quisling")
	deny.BirthDates = []screening.Date{screening.Exact(1970, 3, 4)}
	src.put(deny)
	src.put(entry("mon", screening.ActionMonitor, "Cornelius Fudgeworth"))
	future := entry("future", screening.ActionRefer, "Desmond Futurelisted")
	future.ListedFrom = screening.Exact(2999, 1, 1)
	src.put(future)
	withDoc := entry("doc", screening.ActionDeny, "Ezekiel Documented")
	withDoc.Documents = []screening.Document{{Type: "P", Number: "X1234567", Country: "FRA"}, {Number: "NOSTATE99"}}
	src.put(withDoc)
	e := newEngine(t, src, screening.Options{Now: func() time.Time { return time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC) }})

	tests := []struct {
		name string
		tr   screening.Traveller
		want screening.Outcome
		kind screening.HitKind
	}{
		{"strong hit on a deny entry", screening.Traveller{Name: "Bartholomew Quisling", BirthDate: screening.Exact(1970, 3, 4)}, screening.Deny, screening.HitName},
		{"weaker hit on a deny entry", screening.Traveller{Name: "B. Quisling", BirthDate: screening.Exact(1970, 3, 4)}, screening.Refer, screening.HitName},
		{"monitor entry clears", screening.Traveller{Name: "Cornelius Fudgeworth"}, screening.Clear, screening.HitName},
		{"not yet listed", screening.Traveller{Name: "Desmond Futurelisted"}, screening.Clear, ""},
		{"listed document, same state and type", screening.Traveller{Name: "Someone Else", Document: &screening.Document{Type: "P", Number: "x123-4567", Country: "FRA"}}, screening.Deny, screening.HitDocument},
		{"same number, other state", screening.Traveller{Name: "Someone Else", Document: &screening.Document{Type: "P", Number: "X1234567", Country: "DEU"}}, screening.Clear, ""},
		{"same number, other type", screening.Traveller{Name: "Someone Else", Document: &screening.Document{Type: "I", Number: "X1234567", Country: "FRA"}}, screening.Clear, ""},
		{"listed without state: weaker", screening.Traveller{Name: "Someone Else", Document: &screening.Document{Type: "P", Number: "NOSTATE99", Country: "ITA"}}, screening.Refer, screening.HitDocument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := screen(t, e, tt.tr)
			if d.Outcome != tt.want {
				t.Fatalf("outcome %s, want %s; hits %+v", d.Outcome, tt.want, d.Hits)
			}
			if tt.kind != "" && (len(d.Hits) == 0 || d.Hits[0].Kind != tt.kind) {
				t.Fatalf("hits %+v, want a %s hit first", d.Hits, tt.kind)
			}
		})
	}
}

// failingSource cannot be read.
type failingSource struct{ memSource }

func (f *failingSource) Snapshot(context.Context, func(*screening.Entry) error) (uint64, uint64, error) {
	return 0, 0, fmt.Errorf("disk gone")
}

func TestEngineNotReadyRefers(t *testing.T) {
	e := screening.New(&failingSource{}, screening.Options{Logger: discard()})
	if err := e.Open(context.Background()); err == nil {
		t.Fatal("Open over a failing source succeeded")
	}
	d := screen(t, e, screening.Traveller{Name: "Anyone At All"})
	if d.Outcome != screening.Refer || len(d.Reasons) == 0 {
		t.Fatalf("an engine without its lists answered %s %v; want REFER", d.Outcome, d.Reasons)
	}
}

// TestWarmedClosesWithoutOpen: what waits for the warm-up is released by
// Close even when Open failed and no warm-up ran.
func TestWarmedClosesWithoutOpen(t *testing.T) {
	e := screening.New(&failingSource{}, screening.Options{Logger: discard()})
	if err := e.Open(context.Background()); err == nil {
		t.Fatal("Open over a failing source succeeded")
	}
	select {
	case <-e.Warmed():
		t.Fatal("Warmed closed before Close, with no warm-up run")
	default:
	}
	e.Close()
	select {
	case <-e.Warmed():
	case <-time.After(10 * time.Second):
		t.Fatal("Warmed still open after Close")
	}
	e.Close() // twice is fine
}

func TestScreenManyKeepsOrderAndFailsSafe(t *testing.T) {
	src := &memSource{}
	src.put(entry("a", screening.ActionRefer, "Viktor Antonovich Krasnov"))
	e := newEngine(t, src, screening.Options{})
	var ts []*screening.Traveller
	for i := range 100 {
		switch {
		case i%10 == 3:
			ts = append(ts, &screening.Traveller{Name: "Viktor Krasnov"})
		case i == 50:
			ts = append(ts, &screening.Traveller{BirthDate: screening.Exact(1970, 1, 1)})
		default:
			ts = append(ts, &screening.Traveller{Name: fmt.Sprintf("Passenger Plain %d", i)})
		}
	}
	res := e.ScreenMany(context.Background(), ts, nil)
	for i, r := range res {
		want := screening.Clear
		if i%10 == 3 || i == 50 {
			want = screening.Refer
		}
		if r.Decision.Outcome != want {
			t.Errorf("passenger %d: %s, want %s", i, r.Decision.Outcome, want)
		}
		if (i == 50) != (r.Err != nil) {
			t.Errorf("passenger %d: err %v", i, r.Err)
		}
	}
}

func TestValidateTraveller(t *testing.T) {
	tests := []struct {
		tr    screening.Traveller
		field string
	}{
		{screening.Traveller{Name: "A B"}, ""},
		{screening.Traveller{Surname: "B"}, ""},
		{screening.Traveller{}, "name"},
		{screening.Traveller{Name: "A", Surname: "B"}, "name"},
		{screening.Traveller{Name: "A", Nationality: "XYZ"}, "nationality"},
		{screening.Traveller{Name: "A", Gender: "male"}, "gender"},
		{screening.Traveller{Name: "A", Document: &screening.Document{Number: "1", Country: "Mars"}}, "document.country"},
	}
	for _, tt := range tests {
		err := screening.ValidateTraveller(&tt.tr)
		field := ""
		if ve, ok := err.(*screening.ValidationError); ok {
			field = ve.Field
		} else if err != nil {
			field = "?" + err.Error()
		}
		if field != tt.field {
			t.Errorf("ValidateTraveller(%+v) field %q, want %q (%v)", tt.tr, field, tt.field, err)
		}
	}
	tr := screening.Traveller{Name: " A  B ", Gender: "male", Nationality: "Russia"}
	tr.Normalize()
	if tr.Name != "A B" || tr.Gender != screening.GenderMale || tr.Nationality != "RUS" {
		t.Errorf("Normalize = %+v", tr)
	}
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// panickyDocs is a document list with a bug.
type panickyDocs struct{}

func (panickyDocs) CheckDocument(context.Context, screening.Document) (screening.DocumentCheck, error) {
	panic("bug in the document list")
}
func (panickyDocs) DocumentVersion() uint64 { return 1 }

func TestEnginePanicRefers(t *testing.T) {
	e := newEngine(t, &memSource{}, screening.Options{Documents: panickyDocs{}})
	tr := &screening.Traveller{Name: "Plain Traveller", Document: &screening.Document{Type: "P", Number: "123", Country: "GBR"}}
	res := e.ScreenMany(context.Background(), []*screening.Traveller{tr, tr}, nil)
	for i, r := range res {
		if r.Decision.Outcome != screening.Refer {
			t.Fatalf("passenger %d: a panic gave %s, want REFER", i, r.Decision.Outcome)
		}
	}
}

// TestEngineDeadlineRefers: a screening that cannot finish within the
// engine's deadline is referred with a reason, never cleared, whether the
// name search or the engine notices first.
func TestEngineDeadlineRefers(t *testing.T) {
	src := &memSource{}
	for i := 0; i < 200; i++ {
		src.put(entry(fmt.Sprint("e", i), screening.ActionRefer, fmt.Sprintf("Person Number%d Krasnov", i)))
	}
	e := newEngine(t, src, screening.Options{Deadline: time.Nanosecond, CacheSize: -1})
	d := screen(t, e, screening.Traveller{Name: "Wilhelmina Oosterhuis"})
	if d.Outcome != screening.Refer {
		t.Fatalf("a screening past its deadline answered %s; want REFER", d.Outcome)
	}
	found := false
	for _, r := range d.Reasons {
		if strings.Contains(r, "deadline") {
			found = true
		}
	}
	if !found {
		t.Fatalf("reasons %q do not name the deadline", d.Reasons)
	}
}

// TestCacheFollowsTheDay: an entry listed from tomorrow is not screened
// today, and tomorrow a CLEAR cached today must not be served.
func TestCacheFollowsTheDay(t *testing.T) {
	src := &memSource{}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var day atomic.Int64
	en := entry("e1", screening.ActionDeny, "Ivan Petrovich Sidorov")
	en.ListedFrom = screening.DateOf(now.AddDate(0, 0, 1))
	src.put(en)
	e := newEngine(t, src, screening.Options{Now: func() time.Time { return now.AddDate(0, 0, int(day.Load())) }})
	tr := screening.Traveller{Name: "Ivan Petrovich Sidorov"}
	if d := screen(t, e, tr); d.Outcome != screening.Clear {
		t.Fatalf("the day before the entry is listed: %s", d.Outcome)
	}
	day.Store(1)
	if d := screen(t, e, tr); d.Outcome != screening.Deny || d.Cached {
		t.Fatalf("the day the entry is listed: %s, cached %v; want DENY", d.Outcome, d.Cached)
	}
}

// cutSource is a memSource whose ChangesAfter fails once, after the first
// two changes it gives: in the middle of an import, whose changes share a
// Seq.
type cutSource struct {
	memSource
	cut atomic.Bool
}

func (s *cutSource) ChangesAfter(ctx context.Context, seq uint64, fn func(*screening.Change) error) error {
	s.mu.Lock()
	cs := append([]*screening.Change(nil), s.changes...)
	s.mu.Unlock()
	given := 0
	for _, c := range cs {
		if c.Seq <= seq {
			continue
		}
		if given == 2 && s.cut.CompareAndSwap(true, false) {
			return fmt.Errorf("deadline in the middle of an import")
		}
		if err := fn(c); err != nil {
			return err
		}
		given++
	}
	return nil
}

// TestSyncCutInAnImport: a follow cut short in the middle of an import
// must not skip the import's remaining entries.
func TestSyncCutInAnImport(t *testing.T) {
	src := &cutSource{}
	e := screening.New(src, screening.Options{CacheSize: -1, Logger: discard()})
	if err := e.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	a := entry("a", screening.ActionDeny, "Ivan Petrovich Sidorov")
	b := entry("b", screening.ActionDeny, "Oleg Nikolaevich Smirnov")
	src.mu.Lock()
	src.changes = append(src.changes,
		&screening.Change{Seq: 1, Version: 1, Op: screening.OpImport, List: "l"},
		&screening.Change{Seq: 1, Version: 1, Op: screening.OpCreate, List: "l", ID: "a", After: a},
		&screening.Change{Seq: 1, Version: 1, Op: screening.OpCreate, List: "l", ID: "b", After: b},
	)
	src.mu.Unlock()
	src.cut.Store(true)
	_ = e.Sync(context.Background()) // cut (unless the engine's own follower met the cut first)
	if err := e.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if src.cut.Load() {
		t.Fatal("the follow was never cut")
	}
	if d := screen(t, e, screening.Traveller{Name: "Oleg Nikolaevich Smirnov"}); d.Outcome != screening.Deny {
		t.Fatalf("the import's last entry after a cut follow: %s (engine holds %d entries at version %d)", d.Outcome, e.Len(), e.Version())
	}
}

// TestRedactRemovesTravellerData: after the retention period a decision
// record keeps the outcome and what was hit, and nothing of the traveller:
// not the data, not reasons that may quote it, not a listed document's
// number.
func TestRedactRemovesTravellerData(t *testing.T) {
	r := &screening.DecisionRecord{
		Outcome:   screening.Deny,
		Reference: "PAX 12",
		Traveller: &screening.Traveller{Name: "Ivan Sidorov"},
		Reasons:   []string{`data quality: birth_date: invalid (got "1985-02-30")`},
		Hits: []screening.Hit{
			{Kind: screening.HitListedDocument, List: "documents", EntryID: "GBR/P/123456789", Status: "stolen", Detail: "document reported stolen"},
			{Kind: screening.HitName, List: "un", EntryID: "QDi.001", Action: screening.ActionDeny},
		},
	}
	r.Redact()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"Sidorov", "PAX 12", "1985-02-30", "123456789"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the redacted record holds %q: %s", secret, b)
		}
	}
	if r.Outcome != screening.Deny || r.Hits[1].EntryID != "QDi.001" || r.Hits[0].Status != "stolen" {
		t.Errorf("redaction lost the outcome or what was hit: %s", b)
	}
}
