package store_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/store"
)

const (
	docCrashEnv  = "PORTCULLIS_DOC_CRASH_CHILD_DIR"
	docCrashSize = 30000
	docCrashPuts = 3
)

// crashRound is the list that import round r writes: docCrashSize synthetic
// documents whose source names the round.
func crashRound(r int) []screening.DocumentEntry {
	list := genListed(docCrashSize)
	for i := range list {
		list[i].Source = "round " + strconv.Itoa(r)
	}
	return list
}

func crashPut(r, j int) screening.DocumentEntry {
	return listedDoc("NZL", "P", fmt.Sprintf("LA%04d%02d", r, j), screening.StatusStolen)
}

// TestDocCrashChild is the child of TestKillDuringDocumentImport: round
// after round it imports a whole list, then puts a few documents, printing
// a line after each is acknowledged, until it is killed.
func TestDocCrashChild(t *testing.T) {
	dir := os.Getenv(docCrashEnv)
	if dir == "" {
		t.Skip("runs only as the child of TestKillDuringDocumentImport")
	}
	ctx := context.Background()
	db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	docs, err := db.OpenDocuments(ctx, &store.DocumentOptions{SortChunk: 7000})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	out := bufio.NewWriter(os.Stdout)
	say := func(f string, a ...any) {
		fmt.Fprintf(out, f+"\n", a...)
		out.Flush()
	}
	for r := 0; ; r++ {
		say("importing %d", r)
		if _, err := docs.Import(ctx, &docSlice{docs: crashRound(r)}, screening.ImportOptions{Actor: "crash"}); err != nil {
			say("error %v", err)
			os.Exit(1)
		}
		say("imported %d", r)
		for j := range docCrashPuts {
			d := crashPut(r, j)
			if _, _, err := docs.Put(ctx, &d, screening.WriteOptions{Actor: "crash"}); err != nil {
				say("error %v", err)
				os.Exit(1)
			}
			say("put %d %d", r, j)
		}
	}
}

// TestKillDuringDocumentImport kills the child with SIGKILL while it
// imports, reopens the store and checks that the list is one whole import
// (the last acknowledged, or the one under way if its commit made it) with
// the acknowledged puts that followed it, that every document matches, and
// that nothing of the interrupted import is left on disk.
func TestKillDuringDocumentImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	for trial := range 3 {
		t.Run(strconv.Itoa(trial), func(t *testing.T) { killDuringDocImport(t, uint64(trial)) })
	}
}

func killDuringDocImport(t *testing.T, seed uint64) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(seed, 7))
	killAt := 1 + rng.IntN(2)
	delay := time.Duration(rng.IntN(250)) * time.Millisecond
	lastImport := -1
	puts := map[int]int{} // round: puts acknowledged, read to the end of the output
	killChild(t, "TestDocCrashChild", docCrashEnv, dir, func(f []string, n int, kill func()) {
		switch f[0] {
		case "imported":
			lastImport = n
		case "put":
			puts[n]++
		case "importing":
			if n == killAt {
				time.Sleep(delay)
				kill()
			}
		}
	})

	_, docs, _ := openDocs(t, dir, nil)
	ctx := context.Background()
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := docs.WaitFilter(wctx); err != nil {
		t.Fatal(err)
	}
	rounds := map[string]int{}
	list := crashRound(0)
	for _, d := range list {
		c, err := docs.CheckDocument(ctx, screening.Document{Country: d.Country, Type: d.Type, Number: d.Number})
		if err != nil || c.Listed == nil {
			t.Fatalf("%+v not listed after the crash: %v", d, err)
		}
		rounds[c.Listed.Source]++
	}
	if len(rounds) != 1 {
		t.Fatalf("the list mixes imports: %v", rounds)
	}
	var round int
	for s := range rounds {
		round, _ = strconv.Atoi(strings.TrimPrefix(s, "round "))
	}
	if round < lastImport || round > killAt {
		t.Fatalf("the list is round %d; round %d was acknowledged and %d under way", round, lastImport, killAt)
	}
	// The puts of that round that were acknowledged are there; the one
	// under way when the child died may be too (committed, never
	// acknowledged); none after it.
	present := 0
	for j := range docCrashPuts {
		d := crashPut(round, j)
		c, err := docs.CheckDocument(ctx, screening.Document{Country: d.Country, Type: d.Type, Number: d.Number})
		if err != nil {
			t.Fatal(err)
		}
		if c.Listed != nil {
			if present != j {
				t.Errorf("put %d of round %d is listed, put %d is not", j, round, present)
			}
			present++
		}
	}
	if acked := puts[round]; present < acked || present > acked+1 {
		t.Errorf("%d puts of round %d are listed; %d were acknowledged", present, round, acked)
	}
	if got := docs.Len(); got != int64(docCrashSize+present) {
		t.Errorf("%d documents, want %d", got, docCrashSize+present)
	}
	wantPuts := present
	ents, _ := os.ReadDir(dir + "/documents")
	if len(ents) > 2 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("left on disk: %v", names)
	}
	t.Logf("killed %v into import %d; the list is round %d with %d puts; filter %s", delay, killAt, round, wantPuts, docs.Stats().Filter.State)
}
