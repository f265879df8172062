package portcullis_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/bordersec/portcullis"

// packages returns, for every package directory of the module, the imports
// of its non-test files and whether one of them has a package comment.
func packages(t *testing.T) map[string]struct {
	imports []string
	doc     bool
} {
	t.Helper()
	out := map[string]struct {
		imports []string
		doc     bool
	}{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		p := out[dir]
		p.doc = p.doc || f.Doc != nil
		for _, imp := range f.Imports {
			s, _ := strconv.Unquote(imp.Path.Value)
			p.imports = append(p.imports, s)
		}
		out[dir] = p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func under(dir, root string) bool { return dir == root || strings.HasPrefix(dir, root+"/") }

// TestImportArrows keeps the package picture of DESIGN.md true: matcher
// imports nothing of ours; screening never reaches storage, commands or
// benchmarks; store serves screening; fixtures knows only screening's types;
// Badger stays inside store and fasthttp at the HTTP edge.
func TestImportArrows(t *testing.T) {
	for dir, p := range packages(t) {
		for _, imp := range p.imports {
			ours := strings.HasPrefix(imp, module+"/")
			rel := strings.TrimPrefix(imp, module+"/")
			bad := ""
			switch {
			case strings.HasPrefix(imp, "github.com/dgraph-io/badger") && !under(dir, "store"):
				bad = "Badger is used only inside store"
			case strings.HasPrefix(imp, "github.com/valyala/fasthttp") &&
				!under(dir, "screening/httpapi") && !under(dir, "bench") && !under(dir, "cmd"):
				bad = "fasthttp is used only at the HTTP edge, in benchmarks and commands"
			case !ours:
			case under(dir, "matcher"):
				bad = "matcher imports nothing of ours"
			case under(dir, "screening") && (under(rel, "store") || under(rel, "cmd") || under(rel, "bench") || under(rel, "fixtures")):
				bad = "screening does not import store, cmd, bench or fixtures"
			case under(dir, "screening") && under(rel, "screening/httpapi") && !under(dir, "screening/httpapi"):
				bad = "only commands import the HTTP edge"
			case under(dir, "store") && !under(rel, "screening") && !under(rel, "store"):
				bad = "store imports only screening"
			case under(dir, "store") && under(rel, "screening/httpapi"):
				bad = "store does not import the HTTP edge"
			case under(dir, "fixtures") && rel != "screening":
				bad = "fixtures imports only screening's types"
			case under(dir, "bench") && under(rel, "cmd"):
				bad = "bench does not import cmd"
			}
			if bad != "" {
				t.Errorf("%s imports %s: %s", dir, imp, bad)
			}
		}
	}
}

// TestPackageDocs checks that every package has a doc comment.
func TestPackageDocs(t *testing.T) {
	for dir, p := range packages(t) {
		if !p.doc {
			t.Errorf("package %s has no package doc comment", dir)
		}
	}
}

// The development machine's shared data folder, as a path relative to the
// repository and as an absolute one. They are built from parts so that this
// file, which only looks for them, does not itself name the folder.
var (
	sharedRel = filepath.Join("..", "shared")
	sharedAbs = "/" + filepath.Join("work", "shared")
)

// TestNoSharedPaths checks that no file of the repository reads the
// development machine's shared data folder, which a user's clone lacks.
func TestNoSharedPaths(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), sharedRel) || strings.Contains(string(b), sharedAbs) {
			t.Errorf("%s refers to the shared data folder; copy the data into testdata or fixtures", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
