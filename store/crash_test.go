package store_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/store"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

const (
	crashEnv      = "PORTCULLIS_CRASH_CHILD_DIR"
	crashBulkSize = 20000
)

// TestCrashChild is the child of TestKillDuringImport: it writes and imports
// until it is killed, and prints a line after each write is acknowledged.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("runs only as the child of TestKillDuringImport")
	}
	ctx := context.Background()
	db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		if _, err := db.Put(ctx, person("ops", "p"+strconv.Itoa(i), "Acked Person"), screening.WriteOptions{Actor: "crash"}); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Fprintf(out, "put %d\n", i)
		out.Flush()
		rec := decision(time.Now(), i)
		if err := db.RecordDecision(ctx, rec); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Fprintf(out, "decision %d %s\n", i, rec.ID)
		out.Flush()
		if i%5 != 4 {
			continue
		}
		round := i / 5
		fmt.Fprintf(out, "importing %d\n", round)
		out.Flush()
		if _, err := db.Import(ctx, "bulk", &sliceReader{entries: entries("bulk", crashBulkSize, "round "+strconv.Itoa(round))}, screening.ImportOptions{Actor: "crash"}); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Fprintf(out, "imported %d\n", round)
		out.Flush()
	}
}

// TestKillDuringImport kills a writer with SIGKILL while it imports, then
// checks that every acknowledged change and decision record is there and
// that the interrupted import left no trace.
func TestKillDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	for trial := range 3 {
		t.Run(strconv.Itoa(trial), func(t *testing.T) { killDuringImport(t, uint64(trial)) })
	}
}

func killDuringImport(t *testing.T, seed uint64) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(seed, 42))
	killAtRound := 2 + rng.IntN(2)
	delay := time.Duration(50+rng.IntN(350)) * time.Millisecond

	lastPut, lastImport := -1, -1
	var decisions []string
	killChild(t, "TestCrashChild", crashEnv, dir, func(f []string, n int, kill func()) {
		switch f[0] {
		case "put":
			lastPut = n
		case "decision":
			decisions = append(decisions, f[2])
		case "imported":
			lastImport = n
		case "importing":
			if n == killAtRound {
				time.Sleep(delay)
				kill()
			}
		}
	})
	t.Logf("killed %v into import %d; last acknowledged put %d, import %d", delay, killAtRound, lastPut, lastImport)

	var logBuf strings.Builder
	db, err := store.Open(dir, &store.Options{Logger: slog.New(slog.NewTextHandler(&logBuf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	for i := 0; i <= lastPut; i++ {
		if _, err := db.Get(ctx, "ops", "p"+strconv.Itoa(i)); err != nil {
			t.Errorf("acknowledged put %d lost: %v", i, err)
		}
	}
	for _, id := range decisions {
		if _, err := db.Decision(ctx, id); err != nil {
			t.Errorf("acknowledged decision %s lost: %v", id, err)
		}
	}
	// The bulk list is one whole import: all entries from one round, at
	// least the last acknowledged one.
	rounds := map[string]int{}
	n := 0
	if err := db.Entries(ctx, "bulk", func(e *screening.Entry) error {
		rounds[e.Reason]++
		n++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != crashBulkSize || len(rounds) != 1 {
		t.Fatalf("bulk list after the crash: %d entries from rounds %v; want %d from one round", n, rounds, crashBulkSize)
	}
	for r := range rounds {
		got, _ := strconv.Atoi(strings.TrimPrefix(r, "round "))
		if got < lastImport {
			t.Fatalf("bulk list is round %d, but round %d was acknowledged", got, lastImport)
		}
		t.Logf("bulk list is round %d; Open undid a half-written import: %v", got,
			strings.Contains(logBuf.String(), "undoing an import"))
	}
	info, err := db.List(ctx, "bulk")
	if err != nil || info.Entries != crashBulkSize {
		t.Fatalf("bulk list info = %+v, %v", info, err)
	}
	// The audit trail has every acknowledged put.
	puts := 0
	if err := db.Changes(ctx, screening.ChangeFilter{List: "ops"}, func(c *screening.Change) error {
		puts++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if puts < lastPut+1 {
		t.Fatalf("audit trail holds %d puts, %d were acknowledged", puts, lastPut+1)
	}
}

// killChild runs this test binary's childTest in a child process with env
// set to dir, and calls line with each line of its output (split into
// fields, at least two; n is the second as a number) until the child ends.
// line calls kill to send the child SIGKILL; the first call counts. The
// test fails if the child reports an error or ends before it was killed.
func killChild(t *testing.T, childTest, env, dir string, line func(f []string, n int, kill func())) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^"+childTest+"$", "-test.v")
	cmd.Env = append(os.Environ(), env+"="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	kill := func() {
		if killed {
			return
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		killed = true
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		if f[0] == "error" {
			t.Fatalf("child: %s", sc.Text())
		}
		n, _ := strconv.Atoi(f[1])
		line(f, n, kill)
	}
	cmd.Wait()
	if !killed {
		t.Fatal("the child ended before it was killed")
	}
}
