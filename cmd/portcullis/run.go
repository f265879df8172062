package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"sort"
	"strings"
)

// command is one subcommand: its name, a one-line summary, and the function
// that runs it with the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a subcommand may use of the process.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{
		{"import", "import a watchlist file into a list, atomically", runImport},
		{"lists", "show the lists, their entry counts and versions", runLists},
		{"get", "show one entry of a list", runGet},
		{"export", "write a list as JSON Lines", runExport},
		{"serve", "run the HTTP screening service (loads the bundled lists on first start)", runServe},
		{"screen", "screen travellers given as JSON Lines on stdin, without a server", runScreen},
		{"keys", "list, add or revoke API keys", runKeys},
		{"documents", "show the lost and stolen documents list, or check one document", runDocuments},
		{"score", "score pairs of names (NAME_A<TAB>NAME_B lines on stdin)", runScore},
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			for _, c := range commands() {
				if c.name == args[1] {
					return c.run(ctx, e, []string{"-h"})
				}
			}
		}
		printHelp(stdout)
		if len(args) == 0 {
			return fmt.Errorf("no command given: %w", errUsage)
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	printHelp(stderr)
	return fmt.Errorf("unknown command %q: %w", args[0], errUsage)
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Portcullis: border-point watchlist and traveller screening.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: portcullis COMMAND [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "  help     show this, or 'help COMMAND' for a command's flags")
}

// newFlags returns a flag set for a subcommand that prints its usage to the
// command's stderr and does not exit.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: portcullis %s %s\n\nFlags:\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and turns flag errors into usage errors; -h is not an
// error.
func parse(fs *flag.FlagSet, args []string) (help bool, err error) {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return true, nil
		}
		return false, fmt.Errorf("%s: %v: %w", fs.Name(), err, errUsage)
	}
	return false, nil
}

const defaultDataDir = "./portcullis-data"

func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", defaultDataDir, "the store's `directory`")
}

// cliActor names the person at the command line in the audit trail.
func cliActor() string {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if name == "" {
		name = "unknown"
	}
	return "cli:" + strings.TrimSpace(name)
}
