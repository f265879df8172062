package gate_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
	"github.com/bordersec/portcullis/screening/mrz"
)

// now is the server's clock in the tests.
var now = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func loadConfig(t testing.TB) *gate.Config {
	t.Helper()
	f, err := os.Open("testdata/gates.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := gate.LoadConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// screener is a fake gate.Screener: CLEAR with document version 1, unless
// fn says otherwise.
type screener struct {
	mu    sync.Mutex
	fn    func(t *screening.Traveller) (*screening.Decision, error)
	calls []screening.Traveller
}

func (s *screener) Screen(ctx context.Context, t *screening.Traveller) (*screening.Decision, error) {
	s.mu.Lock()
	s.calls = append(s.calls, *t)
	fn := s.fn
	s.mu.Unlock()
	if err := screening.ValidateTraveller(t); err != nil {
		return nil, err
	}
	if fn != nil {
		return fn(t)
	}
	return &screening.Decision{Outcome: screening.Clear, Hits: []screening.Hit{}, WatchlistVersion: 3, DocumentVersion: 1, AlgorithmVersion: "test"}, nil
}

// memLog is an in-memory gate.Log.
type memLog struct {
	mu   sync.Mutex
	recs []*gate.Record
	fail error
}

func (l *memLog) Record(ctx context.Context, r *gate.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return l.fail
	}
	c := *r
	l.recs = append(l.recs, &c)
	return nil
}

func (l *memLog) Events(ctx context.Context, q gate.Query, fn func(*gate.Record) error) error {
	l.mu.Lock()
	recs := slices.Clone(l.recs)
	l.mu.Unlock()
	slices.SortFunc(recs, func(a, b *gate.Record) int { return strings.Compare(a.ID, b.ID) })
	n := 0
	for _, r := range recs {
		if (q.Digest != "" && r.Document.Digest != q.Digest) || (q.Gate != "" && r.Gate != q.Gate) ||
			(!q.From.IsZero() && r.Time.Before(q.From)) || (!q.To.IsZero() && !r.Time.Before(q.To)) || (q.After != "" && r.ID <= q.After) {
			continue
		}
		if err := fn(r); err != nil {
			return err
		}
		if n++; q.Limit > 0 && n >= q.Limit {
			return nil
		}
	}
	return nil
}

func (l *memLog) Event(ctx context.Context, id string) (*gate.Record, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.recs {
		if r.ID == id {
			return r, nil
		}
	}
	return nil, screening.ErrNotFound
}

var testKey = []byte("0123456789abcdef0123456789abcdef")

type env struct {
	svc *gate.Service
	sc  *screener
	log *memLog
	now time.Time
}

func newEnv(t testing.TB, log *memLog) *env {
	t.Helper()
	if log == nil {
		log = &memLog{}
	}
	dig, err := gate.NewDigester(testKey)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{sc: &screener{}, log: log, now: now}
	e.svc, err = gate.New(gate.Options{Config: loadConfig(t), Screener: e.sc, Log: log, Digester: dig,
		Memory: gate.MemoryOptions{Documents: 10_000, Shards: 4}, Now: func() time.Time { return e.now }, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) decide(t testing.TB, ev *gate.Event) *gate.Result {
	t.Helper()
	res, err := e.svc.Decide(context.Background(), ev, "key-1")
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	return res
}

// holder is a document and its holder.
type holder struct {
	surname, given, number, country, nationality string
	birth, expiry                                screening.Date
	sex                                          screening.Gender
}

var anna = holder{surname: "ERIKSSON", given: "ANNA MARIA", number: "L898902C3", country: "UTO", nationality: "UTO",
	birth: screening.Exact(1974, 8, 12), expiry: screening.Exact(2031, 4, 15), sex: screening.GenderFemale}

var bob = holder{surname: "SMITH", given: "ROBERT JOHN", number: "503719842", country: "GBR", nationality: "GBR",
	birth: screening.Exact(1980, 2, 29), expiry: screening.Exact(2029, 6, 30), sex: screening.GenderMale}

func (h holder) lines(t testing.TB) []string {
	t.Helper()
	lines, err := mrz.Build(&mrz.MRZ{Format: mrz.TD3, DocumentCode: "P", IssuingState: h.country, Primary: h.surname,
		Secondary: h.given, Number: h.number, Nationality: h.nationality, BirthDate: h.birth, Sex: h.sex, ExpiryDate: h.expiry})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func f64(v float64) *float64 { return &v }
func boolp(v bool) *bool     { return &v }

// genuine returns a genuine traveller's event at gate, at, with every check
// passed.
func genuine(t testing.TB, h holder, gateID string, at time.Time) *gate.Event {
	t.Helper()
	port, _, _ := strings.Cut(gateID, "-")
	lines := h.lines(t)
	return &gate.Event{
		Gate: gateID, Port: port, Time: at, Direction: gate.Entry, Attempt: 1,
		Document:       gate.Document{MRZ: lines, DG1: slices.Clone(lines)},
		Chip:           &gate.Chip{PassiveAuth: gate.Passed, ChipAuth: gate.Passed, DG1MatchesMRZ: gate.Passed},
		Face:           &gate.Score{Score: f64(0.91), Threshold: f64(0.6)},
		Liveness:       &gate.Score{Score: f64(0.97), Threshold: f64(0.5)},
		MorphSuspected: boolp(false),
	}
}

func codes(rs []gate.Reason) []string {
	out := []string{}
	for _, r := range rs {
		c := string(r.Code)
		if r.Check != "" {
			c += ":" + string(r.Check)
		}
		out = append(out, c)
	}
	return out
}

func fieldOf(err error) string {
	var ve *screening.ValidationError
	if errors.As(err, &ve) {
		return ve.Field
	}
	return "(not a ValidationError: " + err.Error() + ")"
}
