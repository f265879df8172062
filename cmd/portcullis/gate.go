package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
	"github.com/bordersec/portcullis/screening/httpapi"
	"github.com/bordersec/portcullis/store"
)

// gateFlags are serve's flags for the e-gate and kiosk endpoints.
type gateFlags struct {
	config    *string
	retention *int
	memory    *int
}

// addGateFlags adds the gate flags to serve's flag set.
func addGateFlags(fs *flag.FlagSet) *gateFlags {
	return &gateFlags{
		config: fs.String("gate-config", "", "the gate configuration `file` (ports, gates, profiles); without it POST /v1/gate-events is not served"),
		retention: fs.Int("event-retention-days", int(store.DefaultEventRetention/(24*time.Hour)),
			"days a gate event is kept in the event log"),
		memory: fs.Int("gate-memory", 10_000_000, "documents the recent-use memory holds (about 68 bytes each)"),
	}
}

// check validates the flags' values, before anything is opened.
func (f *gateFlags) check() error {
	if *f.retention < 1 {
		return fmt.Errorf("serve: --event-retention-days must be at least 1: %w", errUsage)
	}
	if *f.memory < 1000 {
		return fmt.Errorf("serve: --gate-memory must be at least 1000: %w", errUsage)
	}
	return nil
}

// openGate loads the gate configuration, opens the event log and the gate
// service, and rebuilds its recent-use memory from the log. It returns nil
// options (no gate endpoints) when --gate-config is not given, and a
// function that closes the event log (before the store). documents says
// whether the engine checks a lost and stolen documents list: e-gates
// require it, so without one every e-gate event is referred, which the log
// says once.
func openGate(ctx context.Context, f *gateFlags, db *store.DB, engine *screening.Engine, documents bool, log *slog.Logger) (*httpapi.GateOptions, func() error, error) {
	nop := func() error { return nil }
	if *f.config == "" {
		return nil, nop, nil
	}
	file, err := os.Open(*f.config)
	if err != nil {
		return nil, nop, fmt.Errorf("serve: --gate-config: %w", err)
	}
	cfg, err := gate.LoadConfig(file)
	file.Close()
	if err != nil {
		return nil, nop, fmt.Errorf("serve: --gate-config %s: %w", *f.config, err)
	}
	events, err := db.OpenEvents(ctx, &store.EventOptions{Retention: time.Duration(*f.retention) * 24 * time.Hour})
	if err != nil {
		return nil, nop, err
	}
	dig, err := gate.NewDigester(events.DigestKey())
	if err == nil {
		var svc *gate.Service
		svc, err = gate.New(gate.Options{Config: cfg, Screener: engine, Log: events, Digester: dig, Logger: log,
			Memory: gate.MemoryOptions{Documents: *f.memory}})
		if err == nil && time.Duration(*f.retention)*24*time.Hour < svc.Horizon() {
			err = fmt.Errorf("serve: --event-retention-days %d is shorter than the %v the gates' recent-use memory must look back (travel times, reuse and probe windows): %w",
				*f.retention, svc.Horizon(), errUsage)
		}
		if err == nil {
			start := time.Now()
			var n int
			if n, err = svc.Open(ctx); err == nil {
				log.Info("gate service ready", "config", *f.config, "events_replayed", n, "horizon", svc.Horizon().String(),
					"memory_documents", *f.memory, "seconds", time.Since(start).Seconds())
				if !documents {
					log.Warn("gate: no lost and stolen documents list is loaded; e-gate profiles require it, so their events are referred")
				}
				return &httpapi.GateOptions{Service: svc, Events: events}, events.Close, nil
			}
		}
	}
	return nil, nop, errors.Join(err, events.Close())
}
