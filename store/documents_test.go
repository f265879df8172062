package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/docfmt"
	"github.com/bordersec/portcullis/store"
)

// openDocs opens a store in dir (a new one when dir is "") and its document
// list; both close when the test ends.
func openDocs(t testing.TB, dir string, o *store.DocumentOptions) (*store.DB, *store.Documents, string) {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	db, err := store.Open(dir, &store.Options{Logger: discardLogger()})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := db.OpenDocuments(context.Background(), o)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		docs.Close()
		db.Close()
	})
	return db, docs, dir
}

func closeDocs(t testing.TB, db *store.DB, docs *store.Documents) {
	t.Helper()
	if err := docs.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

// docSlice is a store.DocumentReader over a slice; errs replaces the
// document at an index with an error.
type docSlice struct {
	docs []screening.DocumentEntry
	errs map[int]error
	i    int
	cur  screening.DocumentEntry
}

func (r *docSlice) Read() (*screening.DocumentEntry, error) {
	if r.i >= len(r.docs) {
		return nil, io.EOF
	}
	i := r.i
	r.i++
	if err := r.errs[i]; err != nil {
		return nil, err
	}
	r.cur = r.docs[i]
	return &r.cur, nil
}

func (r *docSlice) Record() int { return r.i }

func listedDoc(country, typ, number string, status screening.DocumentStatus) screening.DocumentEntry {
	return screening.DocumentEntry{Country: country, Type: typ, Number: number, Status: status,
		Reported: screening.Exact(2024, 1, 15), Source: "test"}
}

func importDocs(t testing.TB, docs *store.Documents, list []screening.DocumentEntry, o screening.ImportOptions) *screening.ImportResult {
	t.Helper()
	res, err := docs.Import(context.Background(), &docSlice{docs: list}, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// checkOutcome summarises a check: "listed NUMBER", "near NUMBER" or "".
func checkOutcome(c screening.DocumentCheck) string {
	switch {
	case c.Listed != nil:
		return "listed " + c.Listed.Number
	case c.Near != nil:
		return "near " + c.Near.Number
	}
	return ""
}

// TestCheckDocument checks matching: the same number under the same issuing
// state and class is listed; under another state or class nothing; a
// number that matches only after folding look-alikes is near; a document
// without a state or type is near at most.
func TestCheckDocument(t *testing.T) {
	for _, mem := range []bool{false, true} {
		t.Run(fmt.Sprintf("import in memory=%v", mem), func(t *testing.T) {
			_, docs, _ := openDocs(t, "", nil)
			list := []screening.DocumentEntry{
				listedDoc("GBR", "P", "123456789", screening.StatusStolen),
				listedDoc("DEU", "ID", "L01X00T47", screening.StatusLost),
				listedDoc("FRA", "P", "12AB34567", screening.StatusRevoked),
				listedDoc("ITA", "P", "AS0123456", screening.StatusInvalid),  // folds to A50123456
				listedDoc("ITA", "P", "A50I23456", screening.StatusStolen),   // the same key: two records
				listedDoc("USA", "V", "O0O0", screening.StatusStolenBlank),   // a visa
				listedDoc("D", "P", "C-01X 00T47<<", screening.StatusStolen), // DEU, normalised
			}
			if mem {
				importDocs(t, docs, list, screening.ImportOptions{Actor: "test"})
			} else {
				for i := range list {
					if _, _, err := docs.Put(context.Background(), &list[i], screening.WriteOptions{Actor: "test"}); err != nil {
						t.Fatal(err)
					}
				}
			}
			tests := []struct {
				name string
				doc  screening.Document
				want string
			}{
				{"listed", screening.Document{Country: "GBR", Type: "P", Number: "123456789"}, "listed 123456789"},
				{"spaces, hyphens, fillers, case", screening.Document{Country: "GBR", Type: "p", Number: "1234-567 89<<"}, "listed 123456789"},
				{"another state", screening.Document{Country: "IRL", Type: "P", Number: "123456789"}, ""},
				{"another class", screening.Document{Country: "GBR", Type: "I", Number: "123456789"}, ""},
				{"a type of the same class", screening.Document{Country: "GBR", Type: "PP", Number: "123456789"}, "listed 123456789"},
				{"identity card letters fold", screening.Document{Country: "DEU", Type: "C", Number: "L01X00T47"}, "listed L01X00T47"},
				{"D is Germany", screening.Document{Country: "D", Type: "I", Number: "L01X00T47"}, "listed L01X00T47"},
				{"alpha-2", screening.Document{Country: "DE", Type: "P", Number: "C01X00T47"}, "listed C01X00T47"},
				{"O for 0", screening.Document{Country: "DEU", Type: "I", Number: "LO1X0OT47"}, "near L01X00T47"},
				{"S for 5 and I for 1", screening.Document{Country: "ITA", Type: "P", Number: "A501Z3456"}, ""},
				{"exact among look-alikes", screening.Document{Country: "ITA", Type: "P", Number: "AS0123456"}, "listed AS0123456"},
				{"look-alike of two: the first", screening.Document{Country: "ITA", Type: "P", Number: "A5O123456"}, "near A50I23456"},
				{"B for 8 not listed", screening.Document{Country: "FRA", Type: "P", Number: "12A834567"}, "near 12AB34567"},
				{"visa", screening.Document{Country: "USA", Type: "V", Number: "0000"}, "near O0O0"},
				{"absent", screening.Document{Country: "GBR", Type: "P", Number: "987654321"}, ""},
				{"no state: at most near", screening.Document{Type: "P", Number: "123456789"}, "near 123456789"},
				{"no type: at most near", screening.Document{Country: "DEU", Number: "L01X00T47"}, "near L01X00T47"},
				{"neither", screening.Document{Number: "12AB34567"}, "near 12AB34567"},
				{"no state, other class", screening.Document{Type: "V", Number: "123456789"}, ""},
				{"no state, absent", screening.Document{Number: "555"}, ""},
				{"empty number", screening.Document{Country: "GBR", Type: "P", Number: "<<"}, ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					c, err := docs.CheckDocument(context.Background(), tt.doc)
					if err != nil {
						t.Fatal(err)
					}
					if got := checkOutcome(c); got != tt.want {
						t.Errorf("CheckDocument(%+v) = %q, want %q", tt.doc, got, tt.want)
					}
				})
			}
			// What a hit says.
			c, _ := docs.CheckDocument(context.Background(), screening.Document{Country: "D", Type: "P", Number: "C01X00T47"})
			want := listedDoc("DEU", "P", "C01X00T47", screening.StatusStolen)
			if c.Listed == nil || *c.Listed != want {
				t.Errorf("listed = %+v, want %+v", c.Listed, want)
			}
		})
	}
}

func TestDocumentPutGetDelete(t *testing.T) {
	ctx := context.Background()
	db, docs, _ := openDocs(t, "", nil)
	w := screening.WriteOptions{Actor: "alice", Reason: "reported stolen"}
	d := listedDoc("gbr", " p ", "1234 5678-9", "Stolen")
	ch, after, err := docs.Put(ctx, &d, w)
	if err != nil {
		t.Fatal(err)
	}
	want := listedDoc("GBR", "P", "123456789", screening.StatusStolen)
	if *after != want {
		t.Errorf("after = %+v, want %+v", *after, want)
	}
	if ch.Op != screening.OpCreate || ch.List != store.DocumentList || ch.ID != "GBR/P/123456789" || ch.Actor != "alice" ||
		ch.Version != db.Version() || docs.DocumentVersion() != ch.Version {
		t.Errorf("change %+v; store version %d, document version %d", ch, db.Version(), docs.DocumentVersion())
	}
	got, version, err := docs.Get(ctx, "GBR", "P", "123456789")
	if err != nil || *got != want || version != ch.Version {
		t.Fatalf("Get = %+v, %d, %v", got, version, err)
	}
	// Modes and versions.
	if _, _, err := docs.Put(ctx, &d, screening.WriteOptions{Mode: screening.CreateOnly}); !errors.Is(err, screening.ErrConflict) {
		t.Errorf("create of a listed document: %v, want ErrConflict", err)
	}
	other := listedDoc("GBR", "P", "1", screening.StatusLost)
	if _, _, err := docs.Put(ctx, &other, screening.WriteOptions{Mode: screening.UpdateOnly}); !errors.Is(err, screening.ErrNotFound) {
		t.Errorf("update of an absent document: %v, want ErrNotFound", err)
	}
	d.Status = screening.StatusRevoked
	if _, _, err := docs.Put(ctx, &d, screening.WriteOptions{IfVersion: version + 1}); !errors.Is(err, screening.ErrConflict) {
		t.Errorf("update at a wrong version: %v, want ErrConflict", err)
	}
	ch2, _, err := docs.Put(ctx, &d, screening.WriteOptions{IfVersion: version, Actor: "bob"})
	if err != nil || ch2.Op != screening.OpUpdate || docs.Len() != 1 {
		t.Fatalf("update: %+v %v, %d documents", ch2, err, docs.Len())
	}
	// Invalid documents name the field.
	for _, bad := range []struct {
		d     screening.DocumentEntry
		field string
	}{
		{listedDoc("XYZ", "P", "1", screening.StatusLost), "country"},
		{listedDoc("", "P", "1", screening.StatusLost), "country"},
		{listedDoc("GBR", "", "1", screening.StatusLost), "type"},
		{listedDoc("GBR", "1P", "1", screening.StatusLost), "type"},
		{listedDoc("GBR", "P", " -<< ", screening.StatusLost), "number"},
		{listedDoc("GBR", "P", "1\x002", screening.StatusLost), "number"},
		{listedDoc("GBR", "P", "1", "misplaced"), "status"},
		{screening.DocumentEntry{Country: "GBR", Type: "P", Number: "1", Status: "lost", Reported: screening.Date{Year: 2024, Month: 2, Day: 30}}, "reported"},
	} {
		var ve *screening.ValidationError
		if _, _, err := docs.Put(ctx, &bad.d, w); !errors.As(err, &ve) || ve.Field != bad.field {
			t.Errorf("Put(%+v) = %v, want a ValidationError of %s", bad.d, err, bad.field)
		}
	}
	// Delete: it stops matching at once.
	dch, before, err := docs.Delete(ctx, "GBR", "PASSPORT", "123456789", screening.WriteOptions{Actor: "carol"})
	if err != nil || before.Status != screening.StatusRevoked || dch.Op != screening.OpDelete {
		t.Fatalf("Delete = %+v %+v %v", dch, before, err)
	}
	if c, err := docs.CheckDocument(ctx, screening.Document{Country: "GBR", Type: "P", Number: "123456789"}); err != nil || checkOutcome(c) != "" {
		t.Fatalf("after the delete: %q, %v", checkOutcome(c), err)
	}
	if _, _, err := docs.Get(ctx, "GBR", "P", "123456789"); !errors.Is(err, screening.ErrNotFound) {
		t.Errorf("Get after Delete: %v, want ErrNotFound", err)
	}
	if _, _, err := docs.Delete(ctx, "GBR", "P", "123456789", w); !errors.Is(err, screening.ErrNotFound) {
		t.Errorf("second Delete: %v, want ErrNotFound", err)
	}
	if docs.Len() != 0 || docs.DocumentVersion() != dch.Version {
		t.Errorf("%d documents at version %d", docs.Len(), docs.DocumentVersion())
	}

	// The audit trail: who, what, before and after.
	type rec struct {
		op            screening.Op
		actor         string
		before, after string
	}
	var recs []rec
	str := func(d *screening.DocumentEntry) string {
		if d == nil {
			return ""
		}
		return string(d.Status)
	}
	if err := docs.Changes(ctx, screening.ChangeFilter{}, func(c *screening.Change, b, a *screening.DocumentEntry) error {
		recs = append(recs, rec{c.Op, c.Actor, str(b), str(a)})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wantRecs := []rec{{screening.OpCreate, "alice", "", "stolen"}, {screening.OpUpdate, "bob", "stolen", "revoked"}, {screening.OpDelete, "carol", "revoked", ""}}
	if !reflect.DeepEqual(recs, wantRecs) {
		t.Errorf("audit records %+v, want %+v", recs, wantRecs)
	}
	// The watchlists' own feed sees them as changes to the list "documents",
	// which the engine ignores (no entry before or after).
	n := 0
	db.Changes(ctx, screening.ChangeFilter{List: store.DocumentList}, func(c *screening.Change) error {
		if c.Before != nil || c.After != nil {
			t.Errorf("a document change carries an entry: %+v", c)
		}
		n++
		return nil
	})
	if n != 3 {
		t.Errorf("the audit trail has %d document changes, want 3", n)
	}
}

func TestDocumentContext(t *testing.T) {
	_, docs, _ := openDocs(t, "", nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := docs.CheckDocument(ctx, screening.Document{Country: "GBR", Type: "P", Number: "1"}); !errors.Is(err, context.Canceled) {
		t.Errorf("CheckDocument with a cancelled context: %v", err)
	}
	d := listedDoc("GBR", "P", "1", screening.StatusLost)
	if _, _, err := docs.Put(ctx, &d, screening.WriteOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with a cancelled context: %v", err)
	}
	list := make([]screening.DocumentEntry, 10000)
	for i := range list {
		list[i] = listedDoc("GBR", "P", fmt.Sprint(i), screening.StatusLost)
	}
	if _, err := docs.Import(ctx, &docSlice{docs: list}, screening.ImportOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Import with a cancelled context: %v", err)
	}
}

func TestOpenTwice(t *testing.T) {
	db, _, _ := openDocs(t, "", nil)
	if _, err := db.OpenDocuments(context.Background(), nil); !errors.Is(err, store.ErrDocumentsOpen) {
		t.Fatalf("second OpenDocuments: %v, want ErrDocumentsOpen", err)
	}
}

// genListed returns n synthetic listed documents.
func genListed(n int) []screening.DocumentEntry {
	g := fixtures.NewGenerator(7)
	out := make([]screening.DocumentEntry, n)
	for i := range out {
		out[i] = g.Document(i)
	}
	return out
}

// TestImportDocuments imports synthetic documents through sorted runs on
// disk (a small SortChunk) and checks every one is listed and absent ones
// are not.
func TestImportDocuments(t *testing.T) {
	const n = 5000
	for _, chunk := range []int{n * 2, 777} {
		t.Run(fmt.Sprintf("chunk=%d", chunk), func(t *testing.T) {
			ctx := context.Background()
			db, docs, dir := openDocs(t, "", &store.DocumentOptions{SortChunk: chunk})
			list := genListed(n)
			progress := 0
			res := importDocs(t, docs, list, screening.ImportOptions{Actor: "ops", Format: "test", Source: "fixtures",
				Digest: func() string { return "abc" }, Progress: func(int) { progress++ }})
			s := res.Change.Import
			if s.Read != n || s.Added != n || s.Removed != 0 || s.SHA256 != "abc" || res.Change.Op != screening.OpImport {
				t.Fatalf("summary %+v", s)
			}
			if docs.Len() != n || docs.DocumentVersion() != res.Change.Version || db.Version() != res.Change.Version {
				t.Fatalf("%d documents at version %d", docs.Len(), docs.DocumentVersion())
			}
			g := fixtures.NewGenerator(7)
			for i, d := range list {
				c, err := docs.CheckDocument(ctx, screening.Document{Country: d.Country, Type: d.Type, Number: d.Number})
				if err != nil || c.Listed == nil || *c.Listed != d {
					t.Fatalf("document %d %+v: %+v, %v", i, d, c.Listed, err)
				}
				a := g.AbsentDocument(i)
				if c, err := docs.CheckDocument(ctx, a); err != nil || checkOutcome(c) != "" {
					t.Fatalf("absent document %+v: %q, %v", a, checkOutcome(c), err)
				}
			}
			got, version, err := docs.Get(ctx, list[42].Country, list[42].Type, list[42].Number)
			if err != nil || *got != list[42] || version != res.Change.Version {
				t.Errorf("Get = %+v, %d, %v", got, version, err)
			}
			st := docs.Stats()
			if st.Filter.State != "imported" || st.Documents != n || st.Filter.Capacity < n {
				t.Errorf("stats %+v", st)
			}
			// The runs are gone, the filter saved beside the generation.
			ents, _ := os.ReadDir(filepath.Join(dir, "documents"))
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			if len(names) != 2 || !strings.HasSuffix(names[1], ".bloom") {
				t.Errorf("documents directory holds %v, want one generation and its filter", names)
			}

			// A second import replaces the list: the old documents go.
			res2 := importDocs(t, docs, list[:10], screening.ImportOptions{})
			if s := res2.Change.Import; s.Added != 10 || s.Removed != n {
				t.Errorf("second summary %+v", s)
			}
			if c, _ := docs.CheckDocument(ctx, screening.Document{Country: list[20].Country, Type: list[20].Type, Number: list[20].Number}); checkOutcome(c) != "" {
				t.Errorf("a document of the old list still matches: %q", checkOutcome(c))
			}
			if c, _ := docs.CheckDocument(ctx, screening.Document{Country: list[5].Country, Type: list[5].Type, Number: list[5].Number}); c.Listed == nil {
				t.Error("a document of the new list does not match")
			}
		})
	}
}

// TestImportRefused checks that bad records refuse an import with their
// line numbers and leave the list as it was, and that SkipInvalid imports
// the rest.
func TestImportRefused(t *testing.T) {
	ctx := context.Background()
	_, docs, _ := openDocs(t, "", &store.DocumentOptions{SortChunk: 3})
	old := importDocs(t, docs, []screening.DocumentEntry{listedDoc("GBR", "P", "OLD1", screening.StatusLost)}, screening.ImportOptions{})
	csv := "country,type,number,status,reported,source\n" +
		"GBR,P,100,stolen,2024-01-01,x\n" + // 2
		"GBR,P,101,stolen,,x\n" + // 3
		"XXQ,P,102,stolen,,x\n" + // 4: unknown state
		"GBR,P,103,mislaid,,x\n" + // 5: status
		"GBR,P,1-00,lost,,x\n" + // 6: duplicate of 2
		"GBR,PP,101,lost,,x\n" + // 7: duplicate of 3 (same class)
		"GBR,I,101,lost,,x\n" + // 8: another class: fine
		"GBR,P,<<<,lost,,x\n" // 9: no number
	tests := []struct {
		name  string
		input string
		lines []int
	}{
		{"bad fields", csv, []int{4, 5, 9}},
		{"duplicates", "country,type,number,status\nGBR,P,100,stolen\nGBR,P,101,stolen\nGBR,P,1-00,lost\nGBR,PP,101,lost\nGBR,I,101,lost\n", []int{4, 5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := docfmt.NewCSVReader(strings.NewReader(tt.input))
			_, err := docs.Import(ctx, r, screening.ImportOptions{})
			var ie *screening.ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an ImportError", err)
			}
			var lines []int
			for _, re := range ie.Records {
				lines = append(lines, re.Record)
			}
			if !reflect.DeepEqual(lines, tt.lines) || ie.Count != len(tt.lines) {
				t.Fatalf("refused lines %v (count %d), want %v: %v", lines, ie.Count, tt.lines, ie)
			}
			if docs.DocumentVersion() != old.Change.Version || docs.Len() != 1 {
				t.Fatalf("a refused import changed the list: %d documents, version %d", docs.Len(), docs.DocumentVersion())
			}
			if c, _ := docs.CheckDocument(ctx, screening.Document{Country: "GBR", Type: "P", Number: "OLD1"}); c.Listed == nil {
				t.Fatal("the old list is gone")
			}
		})
	}
	res, err := docs.Import(ctx, docfmt.NewCSVReader(strings.NewReader(csv)), screening.ImportOptions{SkipInvalid: true})
	if err != nil {
		t.Fatal(err)
	}
	var skipped []int
	for _, re := range res.Skipped {
		skipped = append(skipped, re.Record)
	}
	slices.Sort(skipped)
	if s := res.Change.Import; s.Added != 3 || s.Skipped != 5 || !reflect.DeepEqual(skipped, []int{4, 5, 6, 7, 9}) || s.Removed != 1 {
		t.Fatalf("summary %+v, skipped lines %v", s, skipped)
	}
	for _, num := range []string{"100", "101"} {
		if c, _ := docs.CheckDocument(ctx, screening.Document{Country: "GBR", Type: "P", Number: num}); c.Listed == nil || c.Listed.Status != screening.StatusStolen {
			t.Errorf("GBR P %s: %+v, want the first record (stolen)", num, c.Listed)
		}
	}
	// An empty input does not empty the list, unless asked to.
	if _, err := docs.Import(ctx, &docSlice{}, screening.ImportOptions{}); !errors.Is(err, screening.ErrInvalid) {
		t.Errorf("empty import: %v, want ErrInvalid", err)
	}
	if docs.Len() != 3 {
		t.Errorf("%d documents after a refused empty import", docs.Len())
	}
	if _, err := docs.Import(ctx, &docSlice{}, screening.ImportOptions{AllowEmpty: true}); err != nil || docs.Len() != 0 {
		t.Errorf("allowed empty import: %v, %d documents", err, docs.Len())
	}
	// A reader that fails (not a record error) refuses the import.
	boom := errors.New("disk on fire")
	r := &docSlice{docs: genListed(100), errs: map[int]error{50: boom}}
	if _, err := docs.Import(ctx, r, screening.ImportOptions{SkipInvalid: true}); !errors.Is(err, boom) {
		t.Errorf("failing reader: %v", err)
	}
}

// TestDocumentRestart closes and reopens: the documents, versions and the
// filter (loaded, not rebuilt) survive, and single changes after an import
// are kept.
func TestDocumentRestart(t *testing.T) {
	ctx := context.Background()
	db, docs, dir := openDocs(t, "", nil)
	list := genListed(2000)
	importDocs(t, docs, list, screening.ImportOptions{})
	extra := listedDoc("NZL", "P", "LA123456", screening.StatusStolen)
	if _, _, err := docs.Put(ctx, &extra, screening.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := docs.Delete(ctx, list[0].Country, list[0].Type, list[0].Number, screening.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	version := docs.DocumentVersion()
	closeDocs(t, db, docs)

	_, docs, _ = openDocs(t, dir, nil)
	if st := docs.Stats(); st.Filter.State != "loaded" || st.Documents != 2000 || st.Version != version {
		t.Fatalf("after a restart: %+v (want the filter loaded, 2000 documents at version %d)", st, version)
	}
	for _, tt := range []struct {
		d    screening.DocumentEntry
		want bool
	}{{extra, true}, {list[0], false}, {list[1], true}, {list[1999], true}} {
		c, err := docs.CheckDocument(ctx, screening.Document{Country: tt.d.Country, Type: tt.d.Type, Number: tt.d.Number})
		if err != nil || (c.Listed != nil) != tt.want {
			t.Errorf("%+v listed = %v, want %v (%v)", tt.d, c.Listed != nil, tt.want, err)
		}
	}
}

// TestFilterRebuilt checks the three ways a saved filter is not used:
// missing, stale (another version) and corrupt. Each is rebuilt from
// Badger, and matches what was added after the stale copy was saved.
func TestFilterRebuilt(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, path string, stale []byte)
	}{
		{"missing", func(t *testing.T, path string, _ []byte) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}},
		{"stale", func(t *testing.T, path string, stale []byte) {
			if err := os.WriteFile(path, stale, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{"corrupt", func(t *testing.T, path string, _ []byte) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b[len(b)/2] ^= 0x10
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, docs, dir := openDocs(t, "", nil)
			list := genListed(3000)
			importDocs(t, docs, list, screening.ImportOptions{})
			path := bloomPath(t, dir)
			stale, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			late := listedDoc("NZL", "P", "LA999999", screening.StatusStolen)
			if _, _, err := docs.Put(ctx, &late, screening.WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			closeDocs(t, db, docs) // saves the filter with the Put
			tt.damage(t, path, stale)

			db, docs, _ = openDocs(t, dir, nil)
			wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			defer cancel()
			if err := docs.WaitFilter(wctx); err != nil {
				t.Fatal(err)
			}
			if st := docs.Stats().Filter; st.State != "rebuilt" {
				t.Fatalf("filter %+v, want rebuilt", st)
			}
			for _, d := range append(list, late) {
				c, err := docs.CheckDocument(ctx, screening.Document{Country: d.Country, Type: d.Type, Number: d.Number})
				if err != nil || c.Listed == nil {
					t.Fatalf("%+v not listed after the rebuild (%v)", d, err)
				}
			}
			// The rebuilt filter was saved: the next open loads it.
			closeDocs(t, db, docs)
			_, docs, _ = openDocs(t, dir, nil)
			if st := docs.Stats().Filter; st.State != "loaded" {
				t.Fatalf("after the rebuild and a restart: %+v, want loaded", st)
			}
		})
	}
}

func bloomPath(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "documents", "*.bloom"))
	if len(m) != 1 {
		t.Fatalf("filters: %v, want one", m)
	}
	return m[0]
}

// TestDocumentsConcurrent screens while documents are put, deleted and
// imported: run with -race.
func TestDocumentsConcurrent(t *testing.T) {
	ctx := context.Background()
	_, docs, _ := openDocs(t, "", &store.DocumentOptions{SortChunk: 300, SaveDelay: time.Millisecond})
	list := genListed(1000)
	importDocs(t, docs, list, screening.ImportOptions{})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i = (i + 7) % len(list) {
				select {
				case <-stop:
					return
				default:
				}
				d := list[i]
				if _, err := docs.CheckDocument(ctx, screening.Document{Country: d.Country, Type: d.Type, Number: d.Number}); err != nil {
					t.Error(err)
					return
				}
				_ = docs.DocumentVersion()
			}
		}()
	}
	for i := range 50 {
		d := listedDoc("NZL", "P", fmt.Sprintf("LA%06d", i), screening.StatusLost)
		if _, _, err := docs.Put(ctx, &d, screening.WriteOptions{}); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if _, _, err := docs.Delete(ctx, d.Country, d.Type, d.Number, screening.WriteOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		if i%10 == 0 {
			importDocs(t, docs, list[:500+i], screening.ImportOptions{})
		}
	}
	close(stop)
	wg.Wait()
}

// TestCheckAbsentAllocs pins the common case, a document not on the list
// that the bloom filter answers, at no allocation.
func TestCheckAbsentAllocs(t *testing.T) {
	_, docs, _ := openDocs(t, "", nil)
	importDocs(t, docs, genListed(1000), screening.ImportOptions{})
	g := fixtures.NewGenerator(7)
	absent := make([]screening.Document, 64)
	for i := range absent {
		absent[i] = g.AbsentDocument(i)
	}
	// A few absent documents pass the filter (false positives) and read
	// Badger; find ones that do not.
	var quiet []screening.Document
	for _, a := range absent {
		if n := testing.AllocsPerRun(1, func() { docs.CheckDocument(context.Background(), a) }); n == 0 {
			quiet = append(quiet, a)
		}
	}
	if len(quiet) < len(absent)*9/10 {
		t.Fatalf("only %d of %d absent documents are checked without allocating", len(quiet), len(absent))
	}
	i := 0
	if n := testing.AllocsPerRun(1000, func() {
		docs.CheckDocument(context.Background(), quiet[i%len(quiet)])
		i++
	}); n != 0 {
		t.Errorf("CheckDocument of an absent document: %v allocations, want 0", n)
	}
}

// TestFilterSavedAfterRemoval checks that a session that only removes
// documents leaves a filter file the next open can load.
func TestFilterSavedAfterRemoval(t *testing.T) {
	ctx := context.Background()
	db, docs, dir := openDocs(t, "", nil)
	list := genListed(100)
	importDocs(t, docs, list, screening.ImportOptions{})
	closeDocs(t, db, docs)
	db, docs, _ = openDocs(t, dir, nil)
	if _, _, err := docs.Delete(ctx, list[0].Country, list[0].Type, list[0].Number, screening.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	closeDocs(t, db, docs)
	_, docs, _ = openDocs(t, dir, nil)
	if st := docs.Stats(); st.Filter.State != "loaded" || st.Documents != 99 {
		t.Fatalf("after a removal and a restart: %+v, want the filter loaded", st)
	}
}

// TestDocumentChangesAfterLast: the document audit feed after the
// last sequence number is empty, as the watchlist feed's now is.
func TestDocumentChangesAfterLast(t *testing.T) {
	ctx := context.Background()
	_, docs, _ := openDocs(t, "", nil)
	d := listedDoc("GBR", "P", "123456789", screening.StatusLost)
	if _, _, err := docs.Put(ctx, &d, screening.WriteOptions{Actor: "a"}); err != nil {
		t.Fatal(err)
	}
	if err := docs.Changes(ctx, screening.ChangeFilter{AfterSeq: math.MaxUint64}, func(c *screening.Change, _, _ *screening.DocumentEntry) error {
		return fmt.Errorf("change %d after the last sequence number", c.Seq)
	}); err != nil {
		t.Fatal(err)
	}
}
