package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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
	out, _, err = call(t, string(b), "import", "--data", data, "--list", "copy", "-")
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
