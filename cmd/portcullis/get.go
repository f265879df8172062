package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/store"
)

func runGet(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "get", "--list NAME ID")
	data := dataFlag(fs)
	list := fs.String("list", "", "the `name` of the list (required)")
	asJSON := fs.Bool("json", false, "write the entry as JSON")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if *list == "" || fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("get: need --list and one ID: %w", errUsage)
	}
	db, err := store.Open(*data, &store.Options{Logger: quietLogger(e.stderr)})
	if err != nil {
		return err
	}
	defer db.Close()
	en, err := db.Get(ctx, *list, fs.Arg(0))
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(en)
	}
	printEntry(e.stdout, en)
	return nil
}

// printEntry writes an entry for a person to read.
func printEntry(w io.Writer, en *screening.Entry) {
	fmt.Fprintf(w, "%s/%s  %s  action %s  version %d\n", en.List, en.ID, en.Kind, en.Action, en.Version)
	for i, n := range en.Names {
		label := "alias"
		if i == 0 {
			label = "name"
		}
		if n.Weak() {
			label = "alias (weak)"
		}
		fmt.Fprintf(w, "  %-13s %s\n", label, n.String())
	}
	line := func(label string, vals []string) {
		if len(vals) > 0 {
			fmt.Fprintf(w, "  %-13s %s\n", label, strings.Join(vals, ", "))
		}
	}
	var dobs []string
	for _, d := range en.BirthDates {
		dobs = append(dobs, d.String())
	}
	line("born", dobs)
	line("nationality", en.Nationalities)
	if en.Gender != "" {
		line("gender", []string{string(en.Gender)})
	}
	for _, d := range en.Documents {
		s := strings.TrimSpace(d.Type + " " + d.Number)
		if d.Country != "" {
			s += " (" + d.Country + ")"
		}
		if !d.Expiry.IsZero() {
			s += " expires " + d.Expiry.String()
		}
		if d.Note != "" {
			s += " - " + d.Note
		}
		line("document", []string{s})
	}
	line("countries", en.Countries)
	for _, id := range en.Identifiers {
		line("identifier", []string{strings.TrimSpace(id.Type + " " + id.Value + " " + id.Country)})
	}
	if !en.ListedFrom.IsZero() {
		line("listed from", []string{en.ListedFrom.String()})
	}
	if !en.ListedUntil.IsZero() {
		line("listed until", []string{en.ListedUntil.String()})
	}
	line("reason", nonEmpty(en.Reason))
	line("source", nonEmpty(en.Source))
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
