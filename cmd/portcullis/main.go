// Command portcullis is the Portcullis border-screening engine: it imports
// and exports watchlists, screens travellers, and serves the HTTP API.
//
// Run "portcullis help" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// errUsage marks an error in how the command was called; it exits with 2.
var errUsage = errors.New("usage")

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "portcullis:", err)
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}
