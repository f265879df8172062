package gate_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
)

func TestDecideChecks(t *testing.T) {
	at := now.Add(-10 * time.Second)
	listed := func(kind screening.HitKind) func(*screening.Traveller) (*screening.Decision, error) {
		return func(*screening.Traveller) (*screening.Decision, error) {
			return &screening.Decision{Outcome: screening.Deny, DocumentVersion: 4, Hits: []screening.Hit{{Kind: kind, List: "documents",
				EntryID: "UTO/P/L898902C3", Score: 1, Strong: true, Action: screening.ActionDeny, Status: "stolen", Detail: "L898902C3"}}}, nil
		}
	}
	tests := []struct {
		name     string
		gate     string
		edit     func(ev *gate.Event)
		screen   func(*screening.Traveller) (*screening.Decision, error)
		decision gate.Outcome
		codes    []string
		checks   map[gate.Check]gate.Status
	}{
		{name: "genuine", decision: gate.Accept, codes: []string{},
			checks: map[gate.Check]gate.Status{gate.CheckFace: gate.Passed, gate.CheckDG1: gate.Passed, gate.CheckRecentUse: gate.Passed, gate.CheckDocumentList: gate.Passed}},
		{name: "imposter", edit: func(ev *gate.Event) { ev.Face.Score = f64(0.31) }, decision: gate.Refer,
			codes: []string{"face_mismatch"}, checks: map[gate.Check]gate.Status{gate.CheckFace: gate.Failed}},
		{name: "device threshold raised to the profile's", edit: func(ev *gate.Event) { ev.Face.Score, ev.Face.Threshold = f64(0.55), f64(0.4) },
			decision: gate.Refer, codes: []string{"face_mismatch"}},
		{name: "strict port profile", gate: "CDG-2E-E03", edit: func(ev *gate.Event) { ev.Face.Score = f64(0.65) },
			decision: gate.Refer, codes: []string{"face_mismatch"}},
		{name: "strict port requires morph detection", gate: "CDG-2E-E04", edit: func(ev *gate.Event) { ev.MorphSuspected = nil },
			decision: gate.Refer, codes: []string{"check_not_done:morph"}},
		{name: "morph detection not required elsewhere", edit: func(ev *gate.Event) { ev.MorphSuspected = nil },
			decision: gate.Accept, codes: []string{}, checks: map[gate.Check]gate.Status{gate.CheckMorph: gate.NotDone}},
		{name: "presentation attack", edit: func(ev *gate.Event) { ev.Liveness.Score = f64(0.12) }, decision: gate.Refer,
			codes: []string{"presentation_attack"}, checks: map[gate.Check]gate.Status{gate.CheckLiveness: gate.Failed}},
		{name: "morph", edit: func(ev *gate.Event) { ev.MorphSuspected = boolp(true) }, decision: gate.Refer, codes: []string{"morph_suspected"}},
		{name: "forged chip", edit: func(ev *gate.Event) { ev.Chip.PassiveAuth = gate.Failed }, decision: gate.Refer, codes: []string{"chip_auth_failed"}},
		{name: "cloned chip", edit: func(ev *gate.Event) { ev.Chip.ChipAuth = gate.Failed }, decision: gate.Refer, codes: []string{"chip_auth_failed"}},
		{name: "chip without active authentication", edit: func(ev *gate.Event) { ev.Chip.ChipAuth = gate.NotSupported },
			decision: gate.Accept, codes: []string{}, checks: map[gate.Check]gate.Status{gate.CheckChipAuth: gate.NotSupported}},
		{name: "no active authentication claimed by an unsigned chip", edit: func(ev *gate.Event) {
			ev.Chip.ChipAuth, ev.Chip.PassiveAuth = gate.NotSupported, gate.NotDone
		}, decision: gate.Refer, codes: []string{"check_not_done:passive_authentication", "check_not_done:chip_authentication"},
			checks: map[gate.Check]gate.Status{gate.CheckChipAuth: gate.NotDone, gate.CheckPassiveAuth: gate.NotDone}},
		{name: "altered printed page", edit: func(ev *gate.Event) {
			ev.Document.MRZ = holder{surname: "ERIKSEN", given: "ANNA MARIA", number: "L898902C3", country: "UTO", nationality: "UTO",
				birth: anna.birth, expiry: anna.expiry, sex: anna.sex}.lines(t)
			ev.Chip.DG1MatchesMRZ = gate.NotDone
		}, decision: gate.Refer, codes: []string{"chip_mrz_mismatch"}, checks: map[gate.Check]gate.Status{gate.CheckDG1: gate.Failed}},
		{name: "device reports mismatch", edit: func(ev *gate.Event) { ev.Document.MRZ = nil; ev.Chip.DG1MatchesMRZ = gate.Failed },
			decision: gate.Refer, codes: []string{"chip_mrz_mismatch"}},
		{name: "check digit", edit: func(ev *gate.Event) {
			l := []byte(ev.Document.MRZ[1])
			l[19] = '9' // a digit of the birth date
			ev.Document.MRZ[1] = string(l)
		}, decision: gate.Refer, codes: []string{"mrz_check_digit", "mrz_check_digit", "chip_mrz_mismatch"}},
		{name: "expired", edit: func(ev *gate.Event) {
			h := anna
			h.expiry = screening.Exact(2026, 11, 20)
			ev.Document.MRZ, ev.Document.DG1 = h.lines(t), h.lines(t)
		}, decision: gate.Refer, codes: []string{"document_expired"}},
		{name: "expires today", edit: func(ev *gate.Event) {
			h := anna
			h.expiry = screening.Exact(2026, 11, 21)
			ev.Document.MRZ, ev.Document.DG1 = h.lines(t), h.lines(t)
		}, decision: gate.Accept, codes: []string{}},
		{name: "stolen document", screen: listed(screening.HitListedDocument), decision: gate.Refer, codes: []string{"document_listed"},
			checks: map[gate.Check]gate.Status{gate.CheckDocumentList: gate.Failed, gate.CheckWatchlist: gate.Passed}},
		{name: "look-alike number stolen", screen: listed(screening.HitNearDocument), decision: gate.Refer, codes: []string{"document_listed"}},
		{name: "watchlist", screen: func(*screening.Traveller) (*screening.Decision, error) {
			return &screening.Decision{Outcome: screening.Refer, DocumentVersion: 1, Hits: []screening.Hit{{Kind: screening.HitName, List: "un", EntryID: "QDi.1", Score: 0.93, Action: screening.ActionRefer}}}, nil
		}, decision: gate.Refer, codes: []string{"watchlist_hit"}, checks: map[gate.Check]gate.Status{gate.CheckWatchlist: gate.Failed}},
		{name: "monitor hit only", screen: func(*screening.Traveller) (*screening.Decision, error) {
			return &screening.Decision{Outcome: screening.Clear, DocumentVersion: 1, Hits: []screening.Hit{{Kind: screening.HitName, List: "x", EntryID: "M", Score: 0.9, Action: screening.ActionMonitor}}}, nil
		}, decision: gate.Accept, codes: []string{}},
		{name: "engine incomplete", screen: func(*screening.Traveller) (*screening.Decision, error) {
			return &screening.Decision{Outcome: screening.Refer, DocumentVersion: 1, Reasons: []string{"engine could not complete the screening: deadline reached"}}, nil
		}, decision: gate.Refer, codes: []string{"screening_incomplete"},
			checks: map[gate.Check]gate.Status{gate.CheckWatchlist: gate.NotDone, gate.CheckDocumentList: gate.NotDone}},
		{name: "engine error", screen: func(*screening.Traveller) (*screening.Decision, error) { return nil, errors.New("store down") },
			decision: gate.Refer, codes: []string{"screening_incomplete"}},
		{name: "engine refers without reason", screen: func(*screening.Traveller) (*screening.Decision, error) {
			return &screening.Decision{Outcome: screening.Refer, DocumentVersion: 1}, nil
		}, decision: gate.Refer, codes: []string{"screening_incomplete"}},
		{name: "no document list", screen: func(*screening.Traveller) (*screening.Decision, error) {
			return &screening.Decision{Outcome: screening.Clear}, nil
		}, decision: gate.Refer, codes: []string{"check_not_done:document_list"}},
		{name: "gate without camera", edit: func(ev *gate.Event) { ev.Face, ev.Liveness = nil, nil }, decision: gate.Refer,
			codes: []string{"check_not_done:face", "check_not_done:liveness"}, checks: map[gate.Check]gate.Status{gate.CheckFace: gate.NotDone}},
		{name: "gate without chip", edit: func(ev *gate.Event) { ev.Chip, ev.Document.DG1 = nil, nil }, decision: gate.Refer,
			codes: []string{"check_not_done:passive_authentication", "check_not_done:chip_authentication", "check_not_done:dg1_matches_mrz"}},
		{name: "kiosk without chip or camera", gate: "LHR-T5-K01", edit: func(ev *gate.Event) {
			ev.Chip, ev.Document.DG1, ev.Face, ev.Liveness, ev.MorphSuspected = nil, nil, nil, nil, nil
		}, decision: gate.Accept, codes: []string{},
			checks: map[gate.Check]gate.Status{gate.CheckFace: gate.NotDone, gate.CheckPassiveAuth: gate.NotDone, gate.CheckDG1: gate.NotDone, gate.CheckMorph: gate.NotDone}},
		{name: "kiosk whose profile requires a face", gate: "LHR-T5-K02", edit: func(ev *gate.Event) { ev.Face = nil },
			decision: gate.Refer, codes: []string{"check_not_done:face"}},
		{name: "kiosk still checks what it gets", gate: "LHR-T5-K01", edit: func(ev *gate.Event) { ev.Face = &gate.Score{Score: f64(0.2)} },
			decision: gate.Refer, codes: []string{"face_mismatch"}},
		{name: "unscreenable name", edit: func(ev *gate.Event) {
			ev.Document.MRZ = nil
			ev.Document.DG1 = []string{"P<UTO" + strings.Repeat("<", 39), anna.lines(t)[1]}
			ev.Chip.DG1MatchesMRZ = gate.NotDone
		}, decision: gate.Refer, codes: []string{"mrz_unreadable", "screening_incomplete", "check_not_done:dg1_matches_mrz"}},
		{name: "many reasons at once", edit: func(ev *gate.Event) {
			ev.Face.Score, ev.Liveness.Score, ev.Chip.ChipAuth, ev.MorphSuspected = f64(0.1), f64(0.1), gate.Failed, boolp(true)
		}, decision: gate.Refer, codes: []string{"chip_auth_failed", "face_mismatch", "presentation_attack", "morph_suspected"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.sc.fn = tt.screen
			g := tt.gate
			if g == "" {
				g = "LHR-T5-E01"
			}
			ev := genuine(t, anna, g, at)
			if tt.edit != nil {
				tt.edit(ev)
			}
			res := e.decide(t, ev)
			if got := codes(res.Reasons); res.Decision != tt.decision || !slices.Equal(got, tt.codes) {
				t.Fatalf("decision %s %v, want %s %v\nreasons: %+v", res.Decision, got, tt.decision, tt.codes, res.Reasons)
			}
			for k, want := range tt.checks {
				if got := res.Checks.Get(k); got != want {
					t.Errorf("check %s = %s, want %s", k, got, want)
				}
			}
			// Every check has a status, and ACCEPT never comes with a
			// required check not done.
			for _, k := range gate.AllChecks {
				if res.Checks.Get(k) == "" {
					t.Errorf("check %s has no status", k)
				}
			}
			if len(e.log.recs) != 1 {
				t.Fatalf("%d records, want 1", len(e.log.recs))
			}
			rec := e.log.recs[0]
			if rec.ID != res.EventID || rec.Decision != res.Decision || len(rec.Reasons) != len(res.Reasons) {
				t.Errorf("record %+v does not match the result %+v", rec, res)
			}
			// The record holds no traveller data in plain text.
			b := recordText(t, rec)
			for _, secret := range []string{"L898902C3", "ERIKSSON", "ANNA", "740812", "1974-08-12"} {
				if strings.Contains(b, secret) {
					t.Errorf("record holds %q: %s", secret, b)
				}
			}
		})
	}
}

func TestDecideScreensBothWhenTheyDiffer(t *testing.T) {
	e := newEnv(t, nil)
	ev := genuine(t, anna, "LHR-T5-E02", now.Add(-time.Second))
	e.decide(t, ev)
	if len(e.sc.calls) != 1 {
		t.Fatalf("same MRZ and DG1: %d screenings, want 1", len(e.sc.calls))
	}
	e.sc.calls = nil
	ev = genuine(t, bob, "LHR-T5-E02", now.Add(-time.Second))
	ev.Document.MRZ = anna.lines(t)
	e.decide(t, ev)
	if len(e.sc.calls) != 2 || e.sc.calls[0].Surname != "SMITH" || e.sc.calls[1].Surname != "ERIKSSON" {
		t.Fatalf("altered document: screened %+v, want the chip's holder then the printed one", e.sc.calls)
	}
}

func TestDecideRecordFailure(t *testing.T) {
	log := &memLog{}
	e := newEnv(t, log)
	log.fail = errors.New("disk full")
	_, err := e.svc.Decide(context.Background(), genuine(t, anna, "LHR-T5-E01", now), "k")
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Decide with a failing log = %v, want the log's error", err)
	}
}

func TestDecideNotReady(t *testing.T) {
	dig, _ := gate.NewDigester(testKey)
	svc, err := gate.New(gate.Options{Config: loadConfig(t), Screener: &screener{}, Log: &memLog{}, Digester: dig, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Decide(context.Background(), genuine(t, anna, "LHR-T5-E01", time.Now()), ""); !errors.Is(err, gate.ErrNotReady) {
		t.Fatalf("Decide before Open = %v, want ErrNotReady", err)
	}
}

func recordText(t *testing.T, r *gate.Record) string {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExpiryOnThePortsDay: a document is valid to the end of its expiry
// day where the gate is, not in UTC. At 20:00 UTC it is already the next
// day in Singapore, not yet in London.
func TestExpiryOnThePortsDay(t *testing.T) {
	const conf = `{"ports":[
	  {"code":"SIN","lat":1.36,"lon":103.99,"gates":[{"id":"SIN-E01","class":"egate"}]},
	  {"code":"LHR","lat":51.47,"lon":-0.45,"gates":[{"id":"LHR-E01","class":"egate"}]}]}`
	cfg, err := gate.LoadConfig(strings.NewReader(conf))
	if err != nil {
		t.Fatal(err)
	}
	dig, err := gate.NewDigester(testKey)
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC)
	h := anna
	h.expiry = screening.Exact(2026, 11, 21)
	for _, tt := range []struct {
		gate string
		want gate.Outcome
	}{{"SIN-E01", gate.Refer}, {"LHR-E01", gate.Accept}} {
		svc, err := gate.New(gate.Options{Config: cfg, Screener: &screener{}, Log: &memLog{}, Digester: dig,
			Now: func() time.Time { return clock }, Logger: quiet()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		res, err := svc.Decide(context.Background(), genuine(t, h, tt.gate, clock.Add(-10*time.Second)), "")
		if err != nil {
			t.Fatal(err)
		}
		if res.Decision != tt.want {
			t.Errorf("%s at %v, document expiring on 2026-11-21: %s %v, want %s", tt.gate, clock, res.Decision, res.Reasons, tt.want)
		}
	}
}
