package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/bordersec/portcullis/store"
)

func runLists(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "lists", "[flags]")
	data := dataFlag(fs)
	asJSON := fs.Bool("json", false, "write JSON instead of a table")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("lists: unexpected argument %q: %w", fs.Arg(0), errUsage)
	}
	db, err := store.Open(*data, &store.Options{Logger: quietLogger(e.stderr)})
	if err != nil {
		return err
	}
	defer db.Close()
	lists, err := db.Lists(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"version": db.Version(), "lists": lists})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LIST\tENTRIES\tVERSION\tUPDATED\tFORMAT\tSOURCE")
	for _, l := range lists {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\n", l.Name, l.Entries, l.Version,
			l.Updated.Format(time.RFC3339), l.Format, l.Source)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "watchlist version %d, %d list(s)\n", db.Version(), len(lists))
	return nil
}
