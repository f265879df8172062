package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/bordersec/portcullis/screening/httpapi"
)

// runKeys manages the API key file: list, add, revoke. A running server
// picks up the change within a few seconds.
func runKeys(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "keys", "list | add --role ROLE [--name NAME] [--ports CODES] | revoke ID")
	data := dataFlag(fs)
	keyFile := fs.String("keys", "", "the API key `file` (default DATA/keys.json)")
	role := fs.String("role", "", "the role of a new key: gate, carrier, operator, auditor or admin")
	name := fs.String("name", "", "a label for a new key")
	ports := fs.String("ports", "", "for a gate key: the comma-separated `codes` of the ports whose gates may use it (default any port)")
	if help, err := parse(fs, args); help || err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("keys: need list, add or revoke: %w", errUsage)
	}
	// Flags may also follow the action: "keys add --role gate".
	action := fs.Arg(0)
	if help, err := parse(fs, fs.Args()[1:]); help || err != nil {
		return err
	}
	rest := fs.Args()
	if *keyFile == "" {
		*keyFile = filepath.Join(*data, "keys.json")
	}
	if action == "add" || action == "revoke" {
		unlock, err := lockKeyFile(*keyFile)
		if err != nil {
			return fmt.Errorf("keys: %w", err)
		}
		defer unlock()
	}
	kr, err := httpapi.LoadKeyring(*keyFile)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	switch action {
	case "list":
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tROLE\tNAME\tPORTS\tCREATED\tSTATE")
		for _, k := range kr.Keys() {
			state := "active"
			if k.Revoked {
				state = "revoked"
			}
			scope := strings.Join(k.Ports, ",")
			if scope == "" {
				scope = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Role, k.Name, scope, k.Created.Format(time.RFC3339), state)
		}
		return tw.Flush()
	case "add":
		r, err := httpapi.ParseRole(*role)
		if err != nil {
			return fmt.Errorf("keys add: %v: %w", err, errUsage)
		}
		var codes []string
		for _, c := range strings.Split(*ports, ",") {
			if c = strings.TrimSpace(c); c != "" {
				codes = append(codes, c)
			}
		}
		if len(codes) > 0 && r != httpapi.RoleGate {
			return fmt.Errorf("keys add: --ports is for gate keys: %w", errUsage)
		}
		key, rec, err := kr.Generate(r, *name, time.Now())
		if err != nil {
			return err
		}
		if err := kr.SetPorts(rec.ID, codes); err != nil {
			return err
		}
		if err := kr.Save(); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "new %s key %s; it is shown this once, only its hash is kept:\n", rec.Role, rec.ID)
		fmt.Fprintln(e.stdout, key)
		return nil
	case "revoke":
		if len(rest) != 1 {
			return fmt.Errorf("keys revoke: need the key's ID: %w", errUsage)
		}
		if err := kr.Revoke(rest[0]); err != nil {
			return fmt.Errorf("keys revoke: %w", err)
		}
		if err := kr.Save(); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "key %s revoked\n", rest[0])
		return nil
	}
	return fmt.Errorf("keys: unknown action %q: want list, add or revoke: %w", action, errUsage)
}
