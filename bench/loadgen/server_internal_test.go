package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/httpapi"
	"github.com/bordersec/portcullis/screening/listfmt"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
	"github.com/bordersec/portcullis/store"
)

// testServer is a Portcullis server in the test's process, on a loopback
// port, over a store in a temporary directory, with one key per role.
type testServer struct {
	url     string
	keys    map[httpapi.Role]string
	targets string // a JSON Lines file of the synthetic entries, if any
	db      *store.DB
}

type serverOpts struct {
	synthetic int  // synthetic person entries to import as list "synthetic"
	bundled   bool // import the bundled UN, OFAC and UK lists, as serve seeds them
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func startServer(tb testing.TB, o serverOpts) *testServer {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	db, err := store.Open(filepath.Join(dir, "data"), &store.Options{Logger: quiet()})
	if err != nil {
		tb.Fatal(err)
	}
	ts := &testServer{db: db, keys: map[httpapi.Role]string{}}
	if o.synthetic > 0 {
		var buf bytes.Buffer
		w := jsonl.NewWriter(&buf)
		g := fixtures.NewGenerator(42)
		for i := range o.synthetic {
			if err := w.Write(g.Person(i)); err != nil {
				tb.Fatal(err)
			}
		}
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
		ts.targets = filepath.Join(dir, "synthetic.jsonl")
		if err := os.WriteFile(ts.targets, buf.Bytes(), 0o600); err != nil {
			tb.Fatal(err)
		}
		if _, err := db.Import(ctx, "synthetic", jsonl.NewReader(&buf), screening.ImportOptions{Actor: "test"}); err != nil {
			tb.Fatal(err)
		}
	}
	if o.bundled {
		for _, l := range fixtures.BundledLists() {
			r, err := listfmt.Open(l.Format, fixtures.Lists(), l.Path)
			if err != nil {
				tb.Fatal(err)
			}
			_, err = db.Import(ctx, l.Name, r, screening.ImportOptions{Actor: "test", Format: l.Format, SkipInvalid: true})
			r.Close()
			if err != nil {
				tb.Fatal(err)
			}
		}
	}
	kr := httpapi.NewKeyring("")
	for _, r := range httpapi.Roles {
		k, _, err := kr.Generate(r, string(r), time.Now())
		if err != nil {
			tb.Fatal(err)
		}
		ts.keys[r] = k
	}
	engine := screening.New(db, screening.Options{Logger: quiet()})
	if err := engine.Open(ctx); err != nil {
		tb.Fatal(err)
	}
	// Measure the steady state, not the matcher's start-up warm-up, which
	// runs in the background and competes for the cores.
	<-engine.Warmed()
	srv, err := httpapi.New(httpapi.Options{Engine: engine, Lists: db, Decisions: db, Keys: kr, Logger: quiet()})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ts.url = "http://" + ln.Addr().String()
	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(ln)
	}()
	tb.Cleanup(func() {
		// Close the listener rather than srv.Shutdown: the engine uses the
		// request's *fasthttp.RequestCtx as its context, and fasthttp's
		// Shutdown races with RequestCtx.Done (valyala/fasthttp#1907),
		// which -race reports. loadgen has closed its connections by now.
		ln.Close()
		<-served
		engine.Close()
		db.Close()
	})
	return ts
}
