package main

import (
	"context"
	"fmt"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/docfmt"
	"github.com/bordersec/portcullis/store"
)

// documentImport is what `portcullis import` was asked to do, for a
// document list format.
type documentImport struct {
	data, list, format, path, reason string
	skip, allowEmpty                 bool
}

// importDocuments is `portcullis import --format documents-csv|documents-jsonl
// --list documents FILE`: it replaces the lost, stolen and invalid documents
// list with the file's documents, atomically.
func importDocuments(ctx context.Context, e *env, a documentImport) error {
	if a.list != store.DocumentList {
		return fmt.Errorf("import: the %s format fills the document list: give --list %s: %w", a.format, store.DocumentList, errUsage)
	}
	src := &source{}
	in, err := src.openFile(a.path, e.stdin)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer src.Close()
	r, err := docfmt.NewReader(a.format, in)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	bar := newProgress(e.stderr, src.size, "importing documents")
	src.onRead = func(n int) { bar.add(n) }

	db, err := store.Open(a.data, &store.Options{Logger: quietLogger(e.stderr)})
	if err != nil {
		return err
	}
	defer db.Close()
	docs, err := db.OpenDocuments(ctx, nil)
	if err != nil {
		return err
	}
	defer docs.Close()
	res, err := docs.Import(ctx, r, screening.ImportOptions{
		Actor: cliActor(), Reason: a.reason, Format: a.format, Source: a.path,
		SkipInvalid: a.skip, AllowEmpty: a.allowEmpty, Digest: src.digest,
		Progress: func(n int) { bar.entries(n) },
	})
	bar.finish()
	if err := reportImport(e, a.path, res, err); err != nil {
		return err
	}
	s := res.Change.Import
	secs := res.Duration.Seconds()
	fmt.Fprintf(e.stdout, "imported %d documents into the document list at version %d (replacing %d), skipped %d; %.2f s, %.0f documents/s\n",
		s.Added, res.Change.Version, s.Removed, s.Skipped, secs, float64(s.Added)/max(secs, 1e-9))
	return nil
}

// runDocuments is `portcullis documents`: the document list's size,
// version and bloom filter, or with `check STATE TYPE NUMBER` what the list
// says of one document.
func runDocuments(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "documents", "[--data DIR] [check STATE TYPE NUMBER]")
	data := dataFlag(fs)
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	check := fs.NArg() > 0
	if check && (fs.Arg(0) != "check" || fs.NArg() != 4) {
		fs.Usage()
		return fmt.Errorf("documents: want no argument, or check STATE TYPE NUMBER: %w", errUsage)
	}
	db, err := store.Open(*data, &store.Options{Logger: quietLogger(e.stderr)})
	if err != nil {
		return err
	}
	defer db.Close()
	docs, err := db.OpenDocuments(ctx, nil)
	if err != nil {
		return err
	}
	defer docs.Close()
	if !check {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		if err := docs.WaitFilter(wctx); err != nil {
			return err
		}
		st := docs.Stats()
		fmt.Fprintf(e.stdout, "documents  %d\nversion    %d\nupdated    %s\nsource     %s\nformat     %s\nfilter     %s, %.1f MB, for %d documents, %d hashes\n",
			st.Documents, st.Version, st.Updated.Format(time.RFC3339), st.Source, st.Format,
			st.Filter.State, float64(st.Filter.Bytes)/1e6, st.Filter.Capacity, st.Filter.K)
		return nil
	}
	d := screening.Document{Country: fs.Arg(1), Type: fs.Arg(2), Number: fs.Arg(3)}
	c, err := docs.CheckDocument(ctx, d)
	if err != nil {
		return err
	}
	switch {
	case c.Listed != nil:
		l := c.Listed
		fmt.Fprintf(e.stdout, "listed: %s %s %s, %s", l.Country, l.Type, l.Number, l.Status)
		if !l.Reported.IsZero() {
			fmt.Fprintf(e.stdout, ", reported %s", l.Reported)
		}
		if l.Source != "" {
			fmt.Fprintf(e.stdout, " by %s", l.Source)
		}
		fmt.Fprintln(e.stdout)
	case c.Near != nil:
		fmt.Fprintf(e.stdout, "near: %s %s %s (%s) matches only after swapping look-alike characters, or without a state or type to compare\n",
			c.Near.Country, c.Near.Type, c.Near.Number, c.Near.Status)
	default:
		fmt.Fprintln(e.stdout, "not listed")
	}
	return nil
}
