package gate_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
	"github.com/bordersec/portcullis/screening/mrz"
)

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeEventSamples(t *testing.T) {
	cfg := loadConfig(t)
	tests := []struct {
		file  string
		field string // "" when valid
	}{
		{"egate.json", ""},
		{"kiosk.json", ""},
		{"bad_scores.json", "face.score"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			ev, err := gate.DecodeEvent(readSample(t, tt.file))
			if err != nil {
				t.Fatalf("DecodeEvent: %v", err)
			}
			err = cfg.ValidateEvent(ev, now)
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("ValidateEvent: %v", err)
			case tt.field != "" && fieldOf(err) != tt.field:
				t.Fatalf("ValidateEvent = %v, want an error naming %s", err, tt.field)
			}
			// The samples' MRZs verify: they are seeds of the fuzz target,
			// which should start from events that can be accepted.
			for _, lines := range [][]string{ev.Document.MRZ, ev.Document.DG1} {
				if lines == nil {
					continue
				}
				if _, err := (mrz.Parser{Now: now}).Parse(lines...); err != nil {
					t.Errorf("sample MRZ %q: %v", lines, err)
				}
			}
		})
	}
}

func TestDecodeEventErrors(t *testing.T) {
	tests := []struct {
		name, body, field string
	}{
		{"empty", "  ", "body"},
		{"not JSON", "gate=1", "body"},
		{"truncated", `{"gate":"A"`, "body"},
		{"trailing", `{"gate":"A","time":"2026-11-21T10:00:00Z"} {}`, "body"},
		{"unknown field", `{"gate":"A","tiem":"2026-11-21T10:00:00Z"}`, "tiem"},
		{"unknown nested field", `{"gate":"A","time":"2026-11-21T10:00:00Z","face":{"score":0.5,"treshold":1}}`, "treshold"},
		{"score as text", `{"time":"2026-11-21T10:00:00Z","face":{"score":"high"}}`, "face.score"},
		{"mrz as text", `{"time":"2026-11-21T10:00:00Z","document":{"mrz":"P<UTO"}}`, "document.mrz"},
		{"attempt fraction", `{"time":"2026-11-21T10:00:00Z","attempt":1.5}`, "attempt"},
		{"no time", `{"gate":"A"}`, "time"},
		{"time without zone", `{"time":"2026-11-21T10:00:00"}`, "time"},
		{"time as number", `{"time":1700000000}`, "time"},
		{"array", `[]`, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gate.DecodeEvent([]byte(tt.body))
			if err == nil {
				t.Fatal("DecodeEvent succeeded")
			}
			if got := fieldOf(err); got != tt.field {
				t.Errorf("field %q, want %q (%v)", got, tt.field, err)
			}
			if !errors.Is(err, screening.ErrInvalid) {
				t.Errorf("%v does not match screening.ErrInvalid", err)
			}
		})
	}
}

func TestValidateEvent(t *testing.T) {
	cfg := loadConfig(t)
	tests := []struct {
		name  string
		edit  func(ev *gate.Event)
		field string
		err   error
	}{
		{"no gate", func(ev *gate.Event) { ev.Gate = "" }, "gate", nil},
		{"unknown gate", func(ev *gate.Event) { ev.Gate, ev.Port = "LHR-T9-E99", "LHR" }, "gate", gate.ErrUnknownGate},
		{"gate id with a slash", func(ev *gate.Event) { ev.Gate = "LHR/E01" }, "gate", nil},
		{"wrong port", func(ev *gate.Event) { ev.Port = "LGW" }, "port", gate.ErrWrongPort},
		{"no port", func(ev *gate.Event) { ev.Port = "" }, "port", nil},
		{"no time", func(ev *gate.Event) { ev.Time = time.Time{} }, "time", nil},
		{"future", func(ev *gate.Event) { ev.Time = now.Add(3 * time.Minute) }, "time", gate.ErrFuture},
		{"stale", func(ev *gate.Event) { ev.Time = now.Add(-16 * time.Minute) }, "time", gate.ErrStale},
		{"no direction", func(ev *gate.Event) { ev.Direction = "" }, "direction", nil},
		{"bad direction", func(ev *gate.Event) { ev.Direction = "in" }, "direction", nil},
		{"long reference", func(ev *gate.Event) { ev.Reference = strings.Repeat("x", 129) }, "reference", nil},
		{"control in reference", func(ev *gate.Event) { ev.Reference = "a\nb" }, "reference", nil},
		{"negative attempt", func(ev *gate.Event) { ev.Attempt = -1 }, "attempt", nil},
		{"attempt 100", func(ev *gate.Event) { ev.Attempt = 100 }, "attempt", nil},
		{"face above 1", func(ev *gate.Event) { ev.Face.Score = f64(1.01) }, "face.score", gate.ErrScore},
		{"face below 0", func(ev *gate.Event) { ev.Face.Score = f64(-0.01) }, "face.score", gate.ErrScore},
		{"face without score", func(ev *gate.Event) { ev.Face.Score = nil }, "face.score", nil},
		{"face threshold", func(ev *gate.Event) { ev.Face.Threshold = f64(7) }, "face.threshold", gate.ErrScore},
		{"liveness", func(ev *gate.Event) { ev.Liveness.Score = f64(2) }, "liveness.score", gate.ErrScore},
		{"passive auth status", func(ev *gate.Event) { ev.Chip.PassiveAuth = "ok" }, "chip.passive_authentication", nil},
		{"passive auth not supported", func(ev *gate.Event) { ev.Chip.PassiveAuth = gate.NotSupported }, "chip.passive_authentication", nil},
		{"chip auth status", func(ev *gate.Event) { ev.Chip.ChipAuth = "maybe" }, "chip.chip_authentication", nil},
		{"dg1 status", func(ev *gate.Event) { ev.Chip.DG1MatchesMRZ = "yes" }, "chip.dg1_matches_mrz", nil},
		{"no document", func(ev *gate.Event) { ev.Document = gate.Document{} }, "document", nil},
		{"garbage MRZ", func(ev *gate.Event) { ev.Document.MRZ = []string{"HELLO", "WORLD"} }, "document.mrz", nil},
		{"lower-case DG1", func(ev *gate.Event) { ev.Document.DG1[1] = strings.ToLower(ev.Document.DG1[1]) }, "document.dg1", nil},
		{"four lines", func(ev *gate.Event) { ev.Document.MRZ = append(ev.Document.MRZ, "A", "B") }, "document.mrz", nil},
		{"long line", func(ev *gate.Event) { ev.Document.DG1[0] = strings.Repeat("<", 100) }, "document.dg1[0]", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := genuine(t, anna, "LHR-T5-E01", now.Add(-time.Minute))
			tt.edit(ev)
			err := cfg.ValidateEvent(ev, now)
			if err == nil {
				t.Fatal("ValidateEvent succeeded")
			}
			if got := fieldOf(err); got != tt.field {
				t.Errorf("field %q, want %q (%v)", got, tt.field, err)
			}
			if tt.err != nil && !errors.Is(err, tt.err) {
				t.Errorf("%v does not match %v", err, tt.err)
			}
			// Decide refuses the same event with the same error, and
			// records nothing.
			e := newEnv(t, nil)
			if _, derr := e.svc.Decide(t.Context(), ev, ""); fieldOf(derr) != tt.field {
				t.Errorf("Decide = %v, want the field %s", derr, tt.field)
			}
			if len(e.log.recs) != 0 {
				t.Errorf("a refused event was recorded")
			}
		})
	}
	ok := genuine(t, anna, "LHR-T5-E01", now.Add(90*time.Second))
	if err := cfg.ValidateEvent(ok, now); err != nil {
		t.Errorf("an event within the clock skew: %v", err)
	}
}
