package main

import (
	"context"
	"fmt"
	"os"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
	"github.com/bordersec/portcullis/store"
)

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "--list NAME [--out FILE]")
	data := dataFlag(fs)
	list := fs.String("list", "", "the `name` of the list to export (required)")
	out := fs.String("out", "-", "the `file` to write; - for standard output")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *list == "" || fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("export: need --list and no arguments: %w", errUsage)
	}
	db, err := store.Open(*data, &store.Options{Logger: quietLogger(e.stderr)})
	if err != nil {
		return err
	}
	defer db.Close()
	w := e.stdout
	var f *os.File
	if *out != "-" {
		// Write beside the target and rename, so that a failed export
		// leaves no half-written file behind.
		f, err = os.CreateTemp(dirOf(*out), ".export-*")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name())
		defer f.Close()
		w = f
	}
	jw := jsonl.NewWriter(w)
	n := 0
	if err := db.Entries(ctx, *list, func(en *screening.Entry) error {
		n++
		return jw.Write(en)
	}); err != nil {
		return fmt.Errorf("export %q: %w", *list, err)
	}
	if err := jw.Flush(); err != nil {
		return err
	}
	if f != nil {
		if err := f.Sync(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		if err := os.Rename(f.Name(), *out); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "exported %d entries of list %q to %s\n", n, *list, *out)
	}
	return nil
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if os.IsPathSeparator(path[i]) {
			return path[:i+1]
		}
	}
	return "."
}
