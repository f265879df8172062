package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
)

// call runs the command line args and returns its stdout, stderr and error.
func call(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func TestHelp(t *testing.T) {
	out, _, err := call(t, "", "help")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		if !strings.Contains(out, c.name) {
			t.Errorf("help does not list %q", c.name)
		}
	}
	if _, _, err := call(t, "", "frobnicate"); !errors.Is(err, errUsage) {
		t.Errorf("unknown command: err = %v, want a usage error", err)
	}
	if _, _, err := call(t, ""); !errors.Is(err, errUsage) {
		t.Errorf("no command: err = %v, want a usage error", err)
	}
	if _, _, err := call(t, "", "import", "--list", "x"); !errors.Is(err, errUsage) {
		t.Errorf("import without a file: err = %v, want a usage error", err)
	}
	if _, _, err := call(t, "", "import", "--bogus"); !errors.Is(err, errUsage) {
		t.Errorf("unknown flag: err = %v, want a usage error", err)
	}
}

func TestImportGetExportRoundTrip(t *testing.T) {
	data := t.TempDir()
	out, _, err := call(t, "", "import", "--data", data, "--list", "test", "--format", "jsonl", "testdata/sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "imported 3 entries") || !strings.Contains(out, "entries/s") {
		t.Errorf("import summary = %q", out)
	}
	out, _, err = call(t, "", "lists", "--data", data)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "test") || !strings.Contains(out, " 3 ") {
		t.Errorf("lists = %q", out)
	}
	out, _, err = call(t, "", "get", "--data", data, "--list", "test", "T-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Иван Иванович Петров", "alias (weak)  Vanya Petrov", "1958/1963", "RUS", "P 123456789 (RUS)"} {
		if !strings.Contains(out, want) {
			t.Errorf("get output lacks %q:\n%s", want, out)
		}
	}
	if _, _, err := call(t, "", "get", "--data", data, "--list", "test", "nope"); err == nil {
		t.Errorf("get of a missing entry succeeded")
	}

	exported := filepath.Join(t.TempDir(), "out.jsonl")
	if _, _, err := call(t, "", "export", "--data", data, "--list", "test", "--out", exported); err != nil {
		t.Fatal(err)
	}
	// Importing the export changes nothing.
	out, _, err = call(t, "", "import", "--data", data, "--list", "test", exported)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "unchanged 3") {
		t.Errorf("re-import of the export = %q, want 3 unchanged", out)
	}
	// The same through standard input.
	b, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	out, _, err = call(t, string(b), "import", "--data", data, "--list", "copy", "--format", "jsonl", "-")
	if err != nil || !strings.Contains(out, "added 3") {
		t.Fatalf("import from stdin: %q, %v", out, err)
	}
	first, _, _ := call(t, "", "export", "--data", data, "--list", "test")
	second, _, _ := call(t, "", "export", "--data", data, "--list", "copy")
	if a, b := stripListVersion(t, first), stripListVersion(t, second); !reflect.DeepEqual(a, b) || len(a) != 3 {
		t.Errorf("exports of the list and its copy differ:\n%s\n%s", first, second)
	}
}

// stripListVersion reads JSON Lines and clears what depends on where and
// when an entry was stored.
func stripListVersion(t *testing.T, s string) []*screening.Entry {
	t.Helper()
	entries, _, err := screening.ReadAll(jsonl.NewReader(strings.NewReader(s)), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		e.List, e.Version = "", 0
	}
	return entries
}

func TestImportRefusesBadFile(t *testing.T) {
	data := t.TempDir()
	if _, _, err := call(t, "", "import", "--data", data, "--list", "test", "testdata/sample.jsonl"); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := call(t, "", "import", "--data", data, "--list", "test", "testdata/bad.jsonl")
	if err == nil || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("bad file: err = %v", err)
	}
	for _, want := range []string{"record 2 (B-2): names", "record 3 (B-3): birth_dates[0]", "record 4: json: unknown field", "record 6 (B-1): id: duplicate of record 1"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	out, _, _ := call(t, "", "lists", "--data", data)
	if !strings.Contains(out, "watchlist version 1") {
		t.Errorf("a refused import changed the store: %s", out)
	}
	out, stderr, err = call(t, "", "import", "--data", data, "--list", "test", "--skip-invalid", "testdata/bad.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "skipped 5") || strings.Count(stderr, "skipped record") != 5 {
		t.Errorf("skip-invalid: out %q stderr %q", out, stderr)
	}
}

func TestKeysCommand(t *testing.T) {
	data := t.TempDir()
	if _, _, err := call(t, "", "keys", "--data", data, "list"); err == nil {
		t.Fatal("keys list without a key file succeeded")
	}
	if err := os.WriteFile(filepath.Join(data, "keys.json"), []byte(`{"keys":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	key, _, err := call(t, "", "keys", "--data", data, "add", "--role", "gate", "--name", "lane-3")
	if err != nil || !strings.HasPrefix(key, "pck_") {
		t.Fatalf("keys add: %q %v", key, err)
	}
	id := key[4:12]
	out, _, _ := call(t, "", "keys", "--data", data, "list")
	if !strings.Contains(out, id) || !strings.Contains(out, "lane-3") || !strings.Contains(out, "active") || strings.Contains(out, key) {
		t.Fatalf("keys list = %q", out)
	}
	if _, _, err := call(t, "", "keys", "--data", data, "revoke", id); err != nil {
		t.Fatal(err)
	}
	out, _, _ = call(t, "", "keys", "--data", data, "list")
	if !strings.Contains(out, "revoked") {
		t.Fatalf("after revoke: %q", out)
	}
	if _, _, err := call(t, "", "keys", "--data", data, "add", "--role", "king"); !errors.Is(err, errUsage) {
		t.Fatalf("bad role: %v", err)
	}
	scoped, _, err := call(t, "", "keys", "--data", data, "add", "--role", "gate", "--ports", "LHR, LGW")
	if err != nil {
		t.Fatal(err)
	}
	out, _, _ = call(t, "", "keys", "--data", data, "list")
	if !strings.Contains(out, scoped[4:12]) || !strings.Contains(out, "LHR,LGW") {
		t.Fatalf("a key for two ports: %q", out)
	}
	if _, _, err := call(t, "", "keys", "--data", data, "add", "--role", "carrier", "--ports", "LHR"); !errors.Is(err, errUsage) {
		t.Fatalf("--ports on a carrier key: %v", err)
	}
}

// TestKeysAddedAtOnce adds keys from several commands at once: each
// command's change is in the file, none saved over by another.
func TestKeysAddedAtOnce(t *testing.T) {
	data := t.TempDir()
	if err := os.WriteFile(filepath.Join(data, "keys.json"), []byte(`{"keys":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	const n = 12
	ids := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key, _, err := call(t, "", "keys", "--data", data, "add", "--role", "gate")
			if err != nil {
				t.Error(err)
				return
			}
			ids <- key[4:12]
		}()
	}
	wg.Wait()
	close(ids)
	out, _, err := call(t, "", "keys", "--data", data, "list")
	if err != nil {
		t.Fatal(err)
	}
	for id := range ids {
		if !strings.Contains(out, id) {
			t.Errorf("key %s was added but is not in the file", id)
		}
	}
}

// TestImportRealLists imports the bundled UN, OFAC and UK files with the
// format detected from their contents, and checks the counts lists shows.
func TestImportRealLists(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 22,000 entries")
	}
	data := t.TempDir()
	for _, l := range []struct{ list, path, count string }{
		{"un", "../../fixtures/lists/un/un_consolidated_2026-02-27.xml", "1003"},
		{"ofac", "../../fixtures/lists/ofac/sdn.csv", "14965"},
		{"uk", "../../fixtures/lists/uk", "6046"},
	} {
		out, _, err := call(t, "", "import", "--data", data, "--list", l.list, l.path)
		if err != nil {
			t.Fatalf("import %s: %v", l.list, err)
		}
		if !strings.Contains(out, "imported "+l.count+" entries") {
			t.Errorf("import %s: %q, want %s entries", l.list, out, l.count)
		}
	}
	out, _, err := call(t, "", "lists", "--data", data, "--json")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"entries": 1003`, `"entries": 14965`, `"entries": 6046`, `"format": "uk-csv"`} {
		if !strings.Contains(out, want) {
			t.Errorf("lists lacks %s", want)
		}
	}
	out, _, err = call(t, "", "get", "--data", data, "--list", "un", "QDi.001")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"محمد صلاح الدين", "alias (weak)", "1963-04-11", "EGY"} {
		if !strings.Contains(out, want) {
			t.Errorf("get QDi.001 lacks %q:\n%s", want, out)
		}
	}
}

func TestScore(t *testing.T) {
	out, _, err := call(t, "Sergei Shoigu\tSHOIGU SERGEI\nJohn Smith\tMaria Gonzalez\n", "score")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "\ttrue") || !strings.HasSuffix(lines[1], "\tfalse") {
		t.Fatalf("score output %q", out)
	}
	if !strings.HasPrefix(lines[0], "1.0000\t") {
		t.Errorf("reordered name: %q, want 1.0000", lines[0])
	}
	for _, bad := range []struct{ in, want string }{
		{"no tab here\n", "line 1"},
		{"a\tb\nx\ty\tz\n", "line 2"},
		{"a\t \n", "line 1"},
	} {
		if _, _, err := call(t, bad.in, "score"); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("score %q: err %v, want one naming %s", bad.in, err, bad.want)
		}
	}
	if out, _, err := call(t, "Acme Trading LLC\tACME TRADING LIMITED\n", "score", "--kind", "organization"); err != nil || !strings.HasSuffix(strings.TrimSpace(out), "true") {
		t.Errorf("organisation legal forms: %q %v", out, err)
	}
}

func TestScreenCommand(t *testing.T) {
	data := t.TempDir()
	if _, _, err := call(t, "", "import", "--data", data, "--list", "test", "testdata/sample.jsonl"); err != nil {
		t.Fatal(err)
	}
	in := `{"id":"a","name":"Ivan Petrov","birth_date":"1960-01-31"}
{"id":"b","surname":"Nobody","given_names":"Plain"}
{"id":"c","nam":"typo"}
{"id":"d","name":"Fatima Al Zahra"}
`
	out, _, err := call(t, in, "screen", "--data", data)
	if err == nil {
		t.Fatal("screen with an unreadable line exited 0")
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d result lines for 4 inputs:\n%s", len(lines), out)
	}
	for i, want := range []string{`"id":"a","decision":"REFER"`, `"id":"b","decision":"CLEAR"`, `"id":"c","decision":"REFER"`, `"id":"d","decision":"DENY"`} {
		if !strings.Contains(lines[i], want) {
			t.Errorf("line %d = %s, want %s", i+1, lines[i], want)
		}
	}
	if !strings.Contains(lines[0], `"entry_id":"T-1"`) || strings.Contains(lines[0], "explanation") {
		t.Errorf("line 1 = %s", lines[0])
	}
}
