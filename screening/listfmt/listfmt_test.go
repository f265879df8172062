package listfmt_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt"
)

func TestFormats(t *testing.T) {
	want := []string{"jsonl", "un-xml", "ofac-csv", "uk-csv"}
	if got := listfmt.Formats(); !reflect.DeepEqual(got, want) {
		t.Errorf("Formats() = %q, want %q", got, want)
	}
	for _, name := range want {
		f, err := listfmt.Lookup(name)
		if err != nil || f.Name != name || f.Description == "" {
			t.Errorf("Lookup(%q) = %+v, %v", name, f, err)
		}
		if f.Dir != (name == listfmt.UKCSV) {
			t.Errorf("Lookup(%q).Dir = %v", name, f.Dir)
		}
	}
	_, err := listfmt.Lookup("csv")
	if !errors.Is(err, listfmt.ErrUnknownFormat) {
		t.Errorf("Lookup(csv): %v, want ErrUnknownFormat", err)
	}
	if _, err := listfmt.Open("csv", fstest.MapFS{}, "x"); !errors.Is(err, listfmt.ErrUnknownFormat) {
		t.Errorf("Open(csv): %v, want ErrUnknownFormat", err)
	}
}

// readAll reads r to the end and closes it.
func readAll(t *testing.T, r listfmt.Reader) ([]*screening.Entry, []*screening.RecordError) {
	t.Helper()
	defer func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	entries, skipped, err := screening.ReadAll(r, true)
	if err != nil {
		t.Fatal(err)
	}
	return entries, skipped
}

// TestBundledLists opens every list the fixtures bundle, by the format the
// table gives and by the format Detect finds.
func TestBundledLists(t *testing.T) {
	want := map[string]int{"un": 1003, "ofac": 14965, "uk": 6046}
	lists := fixtures.BundledLists()
	if len(lists) != len(want) {
		t.Errorf("%d bundled lists, want %d", len(lists), len(want))
	}
	for _, l := range lists {
		t.Run(l.Name, func(t *testing.T) {
			if err := screening.ValidateListName(l.Name); err != nil {
				t.Error(err)
			}
			f, err := listfmt.Lookup(l.Format)
			if err != nil {
				t.Fatal(err)
			}
			dir := l.Path
			if !f.Dir {
				dir = path.Dir(l.Path)
			}
			if _, err := fs.Stat(fixtures.Lists(), path.Join(dir, "PROVENANCE.md")); err != nil {
				t.Errorf("no PROVENANCE.md beside %s: %v", l.Path, err)
			}
			got, err := listfmt.Detect(fixtures.Lists(), l.Path)
			if err != nil || got != l.Format {
				t.Errorf("Detect(%s) = %q, %v; want %q", l.Path, got, err, l.Format)
			}
			r, err := listfmt.Open(l.Format, fixtures.Lists(), l.Path)
			if err != nil {
				t.Fatal(err)
			}
			entries, skipped := readAll(t, r)
			if len(entries) != want[l.Name] || len(skipped) != 0 {
				t.Errorf("read %d entries and %d record errors, want %d and 0", len(entries), len(skipped), want[l.Name])
			}
		})
	}
}

// zipOf packs the files of dir in fsys into a zip archive, under prefix.
func zipOf(t *testing.T, fsys fs.FS, dir, prefix string) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: prefix + e.Name(), Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

// TestZip reads the UK tables from a zip archive, at its root and in the
// one folder it holds, as an upload would bring them.
func TestZip(t *testing.T) {
	for _, prefix := range []string{"", "uk_sanctions_list/"} {
		zr := zipOf(t, fixtures.Lists(), "uk", prefix)
		if got, err := listfmt.Detect(zr, "."); err != nil || got != listfmt.UKCSV {
			t.Errorf("Detect(zip %q) = %q, %v", prefix, got, err)
		}
		r, err := listfmt.Open(listfmt.UKCSV, zr, ".")
		if err != nil {
			t.Fatalf("Open(zip %q): %v", prefix, err)
		}
		entries, skipped := readAll(t, r)
		if len(entries) != 6046 || len(skipped) != 0 {
			t.Errorf("zip %q: read %d entries, %d errors", prefix, len(entries), len(skipped))
		}
	}
	if _, err := listfmt.Open(listfmt.UKCSV, fstest.MapFS{"a/x.csv": {}, "b/y.csv": {}}, "."); err == nil {
		t.Error("Open(uk-csv) of a directory without the tables: no error")
	}
}

func TestNewReader(t *testing.T) {
	if _, err := listfmt.NewReader(listfmt.UKCSV, strings.NewReader("")); !errors.Is(err, listfmt.ErrNeedsDirectory) {
		t.Errorf("NewReader(uk-csv): %v, want ErrNeedsDirectory", err)
	}
	tests := []struct{ format, in, id string }{
		{listfmt.JSONL, `{"id":"x1","names":["John Doe"]}` + "\n", "x1"},
		{listfmt.UNXML, `<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>QDi.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>`, "QDi.1"},
		{listfmt.OFACCSV, "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n", "36"},
	}
	for _, tt := range tests {
		r, err := listfmt.NewReader(tt.format, strings.NewReader(tt.in))
		if err != nil {
			t.Fatalf("NewReader(%s): %v", tt.format, err)
		}
		e, err := r.Read()
		if err != nil || e.ID != tt.id {
			t.Errorf("%s: Read = %v, %v; want entry %s", tt.format, e, err, tt.id)
		}
		if _, err := r.Read(); err != io.EOF {
			t.Errorf("%s: second Read: %v, want EOF", tt.format, err)
		}
	}
}

func TestDetect(t *testing.T) {
	fsys := fstest.MapFS{
		"a.jsonl":         {Data: []byte("\n{\"id\":\"1\"}\n")},
		"un.xml":          {Data: []byte("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST>")},
		"sdn.csv":         {Data: []byte("36,\"AEROCARIBBEAN AIRLINES\",-0- \r\n")},
		"head.csv":        {Data: []byte("ent_num,SDN_Name\r\n")},
		"other":           {Data: []byte("hello")},
		"sdn.xml":         {Data: []byte("<sdnList>")},
		"empty":           {Data: nil},
		"uk/subjects.csv": {Data: []byte("unique_id\n")},
		"d/x":             {Data: nil},
	}
	tests := []struct{ name, want string }{
		{"a.jsonl", listfmt.JSONL}, {"un.xml", listfmt.UNXML}, {"sdn.csv", listfmt.OFACCSV},
		{"head.csv", listfmt.OFACCSV}, {"uk", listfmt.UKCSV},
		{"other", ""}, {"sdn.xml", ""}, {"empty", ""}, {"d", ""}, {"missing", ""},
	}
	for _, tt := range tests {
		got, err := listfmt.Detect(fsys, tt.name)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("Detect(%s) = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestOpenFile(t *testing.T) {
	root := "../../fixtures/lists/"
	for _, tt := range []struct{ format, path string }{
		{listfmt.UNXML, root + "un/un_consolidated_2026-02-27.xml"},
		{listfmt.UKCSV, root + "uk"},
	} {
		r, err := listfmt.OpenFile(tt.format, tt.path)
		if err != nil {
			t.Fatalf("OpenFile(%s, %s): %v", tt.format, tt.path, err)
		}
		if _, err := r.Read(); err != nil {
			t.Errorf("OpenFile(%s, %s): Read: %v", tt.format, tt.path, err)
		}
		if err := r.Close(); err != nil {
			t.Error(err)
		}
	}
	if _, err := listfmt.OpenFile(listfmt.UNXML, root+"missing.xml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenFile of a missing file: %v, want ErrNotExist", err)
	}
}

func ExampleOpen() {
	l, _ := fixtures.BundledList("un")
	r, err := listfmt.Open(l.Format, fixtures.Lists(), l.Path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	e, err := r.Read()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Format, e.ID, e.Kind, e.Names[0].String(), e.Nationalities)
	// Output:
	// un-xml CDi.001 person ERIC BADEGE [COD]
}
