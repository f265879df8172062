package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/httpapi"
	"github.com/bordersec/portcullis/screening/listfmt"
	"github.com/bordersec/portcullis/store"
)

// keysEnv holds API keys given in the environment, as
// "role:key,role:key"; they are hashed when read and never written down.
const keysEnv = "PORTCULLIS_API_KEYS"

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[flags]")
	data := dataFlag(fs)
	listen := fs.String("listen", "127.0.0.1:8080", "the `address` to listen on")
	noSeed := fs.Bool("no-seed", false, "do not load the bundled UN, OFAC and UK lists into an empty store")
	keyFile := fs.String("keys", "", "the API key `file` (default DATA/keys.json); keys in $"+keysEnv+" are added")
	deadline := fs.Duration("deadline", 50*time.Millisecond, "the most one screening may take before it answers REFER")
	retention := fs.Int("retention-days", 180, "days after which traveller data is removed from decision records")
	cacheSize := fs.Int("cache", 100_000, "recent decisions to cache (0 disables)")
	logLevel := fs.String("log-level", "info", "log `level`: debug, info, warn, error")
	commitInterval := fs.Duration("commit-interval", store.DefaultCommitInterval, "the least time between two synced commits of decision records and gate events: under load, fewer and larger commits (0: none)")
	memTable := fs.Int("memtable-mb", 64, "the store's memtable size in MiB (4 to 1024): smaller shortens the tail of durable writes at high gate-event rates, and slows large imports")
	lenient := fs.Bool("paxlst-lenient", false, "answer PAXLST messages whose envelope counts or references are wrong instead of refusing them")
	gf := addGateFlags(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("serve: unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	if *retention < 1 {
		return fmt.Errorf("serve: --retention-days must be at least 1: %w", errUsage)
	}
	if *commitInterval < 0 || *commitInterval > time.Second {
		return fmt.Errorf("serve: --commit-interval must be between 0 and 1s: %w", errUsage)
	}
	if *memTable < 4 || *memTable > 1024 {
		return fmt.Errorf("serve: --memtable-mb must be between 4 and 1024: %w", errUsage)
	}
	if err := gf.check(); err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("serve: --log-level: %v: %w", err, errUsage)
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: level}))
	if *keyFile == "" {
		*keyFile = filepath.Join(*data, "keys.json")
	}

	db, err := store.Open(*data, &store.Options{Logger: log, CommitInterval: store.CommitIntervalOf(*commitInterval), MemTableMB: *memTable})
	if err != nil {
		return err
	}
	defer db.Close()
	docs, err := db.OpenDocuments(ctx, nil)
	if err != nil {
		return err
	}
	defer docs.Close()
	if !*noSeed {
		if err := seed(ctx, db, log); err != nil {
			return err
		}
	}
	keySum := fileSum(*keyFile) // before loading: see watchKeys
	keys, envKeys, err := loadKeys(*keyFile, e.stderr, log)
	if err != nil {
		return err
	}

	cache := *cacheSize
	if cache == 0 {
		cache = -1
	}
	engine := screening.New(db, screening.Options{Deadline: *deadline, CacheSize: cache, Logger: log, Documents: docs})
	if err := engine.Open(ctx); err != nil {
		return err
	}
	defer engine.Close()

	gopts, closeEvents, err := openGate(ctx, gf, db, engine, docs.DocumentVersion() > 0, log)
	if err != nil {
		return err
	}
	defer closeEvents()

	srv, err := httpapi.New(httpapi.Options{Engine: engine, Lists: db, Decisions: db, Keys: keys, Logger: log,
		OpenReader: openImportBody, LenientPAXLST: *lenient, Gate: gopts})
	if err != nil {
		return err
	}
	srv.EnableDocuments(docs)
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	log.Info("serving", "listen", ln.Addr().String(), "data", *data, "entries", engine.Len(), "watchlist_version", engine.Version())
	fmt.Fprintf(e.stderr, "portcullis: listening on http://%s\n", ln.Addr())

	go redactLoop(ctx, db, time.Duration(*retention)*24*time.Hour, log)
	go watchKeys(ctx, *keyFile, keySum, keys, envKeys, log)
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("shutdown", "err", err)
	}
	return nil
}

// seed loads the bundled public lists into a store that has none.
func seed(ctx context.Context, db *store.DB, log *slog.Logger) error {
	lists, err := db.Lists(ctx)
	if err != nil {
		return err
	}
	if len(lists) > 0 || db.Version() > 0 {
		return nil
	}
	for _, l := range fixtures.BundledLists() {
		r, err := listfmt.Open(l.Format, fixtures.Lists(), l.Path)
		if err != nil {
			return fmt.Errorf("seed list %s: %w", l.Name, err)
		}
		res, err := db.Import(ctx, l.Name, r, screening.ImportOptions{
			Actor: "seed", Reason: "first start: bundled public list", Format: l.Format,
			Source: l.Source + " (" + l.Date + ")", SkipInvalid: true,
		})
		r.Close()
		if err != nil {
			return fmt.Errorf("seed list %s: %w", l.Name, err)
		}
		s := res.Change.Import
		log.Info("seeded bundled list", "list", l.Name, "entries", s.Added, "skipped", s.Skipped, "seconds", res.Duration.Seconds())
	}
	return nil
}

// loadKeys reads the key file, or on first start makes one key per role,
// prints them once and stores their hashes. Keys in the environment are
// added to either.
func loadKeys(path string, stderr io.Writer, log *slog.Logger) (kr *httpapi.Keyring, fromEnv []httpapi.KeyRecord, err error) {
	kr, err = httpapi.LoadKeyring(path)
	env := os.Getenv(keysEnv)
	switch {
	case errors.Is(err, fs.ErrNotExist) && env != "":
		kr = httpapi.NewKeyring("")
	case errors.Is(err, fs.ErrNotExist):
		kr = httpapi.NewKeyring(path)
		fmt.Fprintln(stderr, "portcullis: first start: one API key per role. They are shown this once; only their hashes are kept, in "+path+".")
		for _, role := range httpapi.Roles {
			key, _, err := kr.Generate(role, string(role)+"-initial", time.Now())
			if err != nil {
				return nil, nil, err
			}
			fmt.Fprintf(stderr, "  %-9s %s\n", role, key)
		}
		if err := kr.Save(); err != nil {
			return nil, nil, fmt.Errorf("save keys: %w", err)
		}
	case err != nil:
		return nil, nil, err
	}
	if env != "" {
		for i, item := range strings.Split(env, ",") {
			role, key, ok := strings.Cut(strings.TrimSpace(item), ":")
			if !ok {
				return nil, nil, fmt.Errorf("$%s item %d: want role:key", keysEnv, i+1)
			}
			r, err := httpapi.ParseRole(role)
			if err != nil {
				return nil, nil, fmt.Errorf("$%s item %d: %w", keysEnv, i+1, err)
			}
			rec, err := kr.Add(r, key, "env", time.Now())
			if err != nil {
				return nil, nil, fmt.Errorf("$%s item %d: %w", keysEnv, i+1, err)
			}
			fromEnv = append(fromEnv, rec)
		}
	}
	log.Info("API keys loaded", "keys", kr.Len())
	return kr, fromEnv, nil
}

// watchKeys reloads the key file when its contents change (portcullis
// keys add or revoke), so that a new or revoked key takes effect within
// seconds. seen is fileSum of the file taken before the keys were first
// loaded: a change made while the server was starting is not missed, and
// contents rather than modification times are compared, so two changes
// within one timestamp tick are not missed either.
func watchKeys(ctx context.Context, path string, seen [32]byte, kr *httpapi.Keyring, fromEnv []httpapi.KeyRecord, log *slog.Logger) {
	t := time.NewTicker(3 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		sum := fileSum(path)
		if sum == seen {
			continue
		}
		fresh, err := httpapi.LoadKeyring(path)
		if err != nil {
			log.Error("reload API keys; keeping the old ones", "err", err)
			continue
		}
		seen = sum
		kr.Replace(fresh, fromEnv)
		log.Info("API keys reloaded", "keys", kr.Len())
	}
}

// fileSum returns the SHA-256 of a file's contents, or zero when it cannot
// be read.
func fileSum(path string) [32]byte {
	b, err := os.ReadFile(path)
	if err != nil {
		return [32]byte{}
	}
	return sha256.Sum256(b)
}

// openImportBody opens an HTTP import body: a single file, or for uk-csv a
// zip archive of the tables.
func openImportBody(format string, body []byte) (screening.EntryReader, error) {
	f, err := listfmt.Lookup(format)
	if err != nil {
		return nil, err
	}
	if !f.Dir {
		return listfmt.NewReader(format, bytes.NewReader(body))
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return nil, fmt.Errorf("%s: the body must be a zip archive of the tables: %w", format, err)
	}
	return listfmt.Open(format, zr, ".")
}

// redactLoop removes traveller data from decision records older than
// retention, at start and then every hour.
func redactLoop(ctx context.Context, db *store.DB, retention time.Duration, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		n, err := db.RedactDecisions(ctx, time.Now().Add(-retention))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("retention: redact decision records", "err", err)
		case n > 0:
			log.Info("retention: traveller data removed from decision records", "records", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
