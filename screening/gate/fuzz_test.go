package gate_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
)

// discardLog is a gate.Log that keeps nothing.
type discardLog struct{}

func (discardLog) Record(context.Context, *gate.Record) error { return nil }
func (discardLog) Events(context.Context, gate.Query, func(*gate.Record) error) error {
	return nil
}
func (discardLog) Event(context.Context, string) (*gate.Record, error) {
	return nil, screening.ErrNotFound
}

// FuzzDecideEvent feeds arbitrary bodies through DecodeEvent, ValidateEvent
// and Decide: nothing may panic, every refusal must be a ValidationError
// naming a field, and an ACCEPT must come with every always-required check
// passed and no reason.
func FuzzDecideEvent(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "events", "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed events: %v", err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"gate":"SIN-T3-K01","port":"SIN","time":"2026-11-21T09:58:00Z","direction":"entry","document":{"dg1":["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<","L898902C36UTO7408122F3104150<<<<<<<<<<<<<<<4"]},"face":{"score":0.2}}`))
	cfg := loadConfig(f)
	dig, _ := gate.NewDigester(testKey)
	svc, err := gate.New(gate.Options{Config: cfg, Screener: &screener{}, Log: discardLog{}, Digester: dig,
		Memory: gate.MemoryOptions{Documents: 1000, Shards: 1}, Now: func() time.Time { return now }, Logger: quiet()})
	if err != nil {
		f.Fatal(err)
	}
	if _, err := svc.Open(context.Background()); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := gate.DecodeEvent(body)
		if err != nil {
			var ve *screening.ValidationError
			if !errors.As(err, &ve) || ve.Field == "" {
				t.Fatalf("DecodeEvent error %v is not a ValidationError with a field", err)
			}
			return
		}
		verr := cfg.ValidateEvent(ev, now)
		res, err := svc.Decide(context.Background(), ev, "fuzz")
		if (verr == nil) != (err == nil) {
			t.Fatalf("ValidateEvent = %v but Decide = %v", verr, err)
		}
		if err != nil {
			var ve *screening.ValidationError
			if !errors.As(err, &ve) || ve.Field == "" {
				t.Fatalf("Decide error %v is not a ValidationError with a field", err)
			}
			return
		}
		switch res.Decision {
		case gate.Accept:
			if len(res.Reasons) > 0 {
				t.Fatalf("ACCEPT with reasons %+v", res.Reasons)
			}
			for _, k := range []gate.Check{gate.CheckMRZ, gate.CheckExpiry, gate.CheckWatchlist, gate.CheckRecentUse} {
				if res.Checks.Get(k) != gate.Passed {
					t.Fatalf("ACCEPT with %s %s", k, res.Checks.Get(k))
				}
			}
			for _, k := range gate.AllChecks {
				if res.Checks.Get(k) == gate.Failed {
					t.Fatalf("ACCEPT with %s failed", k)
				}
			}
		case gate.Refer:
			if len(res.Reasons) == 0 {
				t.Fatal("REFER without a reason")
			}
		default:
			t.Fatalf("decision %q", res.Decision)
		}
	})
}

// FuzzLoadConfig feeds arbitrary configuration files to LoadConfig: nothing
// may panic, every error matches ErrConfig, and a configuration that loads
// makes a Service.
func FuzzLoadConfig(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "gates.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{"ports":[{"code":"A","lat":0,"lon":0,"gates":[{"prefix":"A-","count":3,"class":"kiosk"}]}],"min_travel":[{"from":"A","to":"A","time":"1h"}]}`))
	dig, _ := gate.NewDigester(testKey)
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := gate.LoadConfig(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, gate.ErrConfig) {
				t.Fatalf("LoadConfig error %v does not match ErrConfig", err)
			}
			return
		}
		if _, err := gate.New(gate.Options{Config: cfg, Screener: &screener{}, Log: discardLog{}, Digester: dig,
			Memory: gate.MemoryOptions{Documents: 1000, Shards: 1}}); err != nil {
			t.Fatalf("a configuration that loads makes no Service: %v", err)
		}
	})
}
