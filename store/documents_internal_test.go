package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"

	"github.com/bordersec/portcullis/screening"
)

// TestFilterNeverMissesAMember is the bloom filter's property: every key
// added tests positive, whatever the keys and the size.
func TestFilterNeverMissesAMember(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 10, 1000, 50_000} {
		f, _ := newDocFilter(uint64(n))
		keys := make([][]byte, n)
		for i := range keys {
			k := make([]byte, 4+rng.IntN(20))
			for j := range k {
				k[j] = byte(rng.Uint32())
			}
			keys[i] = k
			f.Add(k)
		}
		for _, k := range keys {
			if !f.Test(k) {
				t.Fatalf("n=%d: member %x tests negative", n, k)
			}
		}
	}
}

// TestFilterFalsePositiveRate measures the false positive rate of a filter
// filled to its list size: at most the 0.1% it is sized for (the room left
// for single additions makes it lower).
func TestFilterFalsePositiveRate(t *testing.T) {
	const n, probes = 20_000, 400_000
	f, _ := newDocFilter(n)
	for i := range n {
		f.Add(fmt.Appendf(nil, "GBRP%09d", i))
	}
	fp := 0
	for i := range probes {
		if f.Test(fmt.Appendf(nil, "GBRP%09d", n+i)) {
			fp++
		}
	}
	rate := float64(fp) / probes
	t.Logf("false positive rate %.5f (%d of %d)", rate, fp, probes)
	if rate > docFilterFP {
		t.Errorf("false positive rate %.5f, want at most %.4f", rate, docFilterFP)
	}
}

// TestFilterFile saves a filter and reads it back, and checks that every
// kind of damage is told apart.
func TestFilterFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.bloom")
	f, capacity := newDocFilter(1000)
	for i := range 1000 {
		f.Add(fmt.Appendf(nil, "k%d", i))
	}
	if err := writeFilterFile(path, f, 7, 42, 1000, capacity); err != nil {
		t.Fatal(err)
	}
	g, gcap, err := readFilterFile(path, 7, 42, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !g.Equal(f) || gcap != capacity {
		t.Fatalf("read back a different filter (capacity %d, want %d)", gcap, capacity)
	}
	good, _ := os.ReadFile(path)
	tests := []struct {
		name    string
		damage  func([]byte) []byte
		version uint64
		want    error
	}{
		{"missing", nil, 42, errFilterMissing},
		{"other version", func(b []byte) []byte { return b }, 43, errFilterStale},
		{"bit flipped", func(b []byte) []byte { b[len(b)/2] ^= 4; return b }, 42, errFilterCorrupt},
		{"header flipped", func(b []byte) []byte { b[9] ^= 1; return b }, 42, errFilterStale},
		{"k flipped", func(b []byte) []byte { b[48] ^= 1; return b }, 42, errFilterCorrupt},
		{"truncated", func(b []byte) []byte { return b[:len(b)-5] }, 42, errFilterCorrupt},
		{"crc flipped", func(b []byte) []byte { b[len(b)-1] ^= 0x80; return b }, 42, errFilterCorrupt},
		{"not a filter", func([]byte) []byte { return []byte("hello") }, 42, errFilterCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			os.Remove(path)
			if tt.damage != nil {
				if err := os.WriteFile(path, tt.damage(bytes.Clone(good)), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, _, err := readFilterFile(path, 7, tt.version, 1000)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestAppendKV checks the hand-written protocol buffer against Badger's
// own decoding.
func TestAppendKV(t *testing.T) {
	buf := z.NewBuffer(1<<10, "test")
	defer buf.Release()
	keys := [][]byte{[]byte("GBRP123"), bytes.Repeat([]byte{'K'}, 300)}
	vals := [][]byte{{1, 0, 3}, bytes.Repeat([]byte{7}, 200)}
	for i := range keys {
		b := appendKV(nil, keys[i], vals[i], uint64(i)+1)
		copy(buf.SliceAllocate(len(b)), b)
	}
	list, err := badger.BufferToKVList(buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Kv) != len(keys) {
		t.Fatalf("%d KVs, want %d", len(list.Kv), len(keys))
	}
	for i, kv := range list.Kv {
		if !bytes.Equal(kv.Key, keys[i]) || !bytes.Equal(kv.Value, vals[i]) || kv.Version != uint64(i)+1 {
			t.Errorf("KV %d = %x %x %d", i, kv.Key, kv.Value, kv.Version)
		}
	}
}

// TestRecordCodec round-trips records and refuses damaged ones.
func TestRecordCodec(t *testing.T) {
	docs := []screening.DocumentEntry{
		{Country: "GBR", Type: "P", Number: "123456789", Status: screening.StatusStolen, Reported: screening.Exact(2024, 2, 29), Source: "UKPA"},
		{Country: "DEU", Type: "ID", Number: "L01X00T47", Status: screening.StatusStolenBlank, Reported: screening.Date{Year: 1999, ToYear: 2001}},
	}
	look := []byte("L01X00T47") // the second number is stored as the key's
	v := []byte{docValueFormat}
	for i := range docs {
		v = appendDocRecord(v, &docs[i], uint64(i*300), string(look))
	}
	var got []screening.DocumentEntry
	var versions []uint64
	if err := eachDocRecord(v, look, func(r *docRecord) bool {
		got = append(got, *r.entry(docs[len(got)].Country))
		versions = append(versions, r.version)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != docs[0] || got[1] != docs[1] || versions[1] != 300 {
		t.Fatalf("got %+v %v, want %+v", got, versions, docs)
	}
	for cut := 1; cut < len(v); cut++ {
		err := eachDocRecord(v[:cut], look, func(*docRecord) bool { return true })
		if err == nil && cut != len(v)-len(appendDocRecord(nil, &docs[1], 300, string(look))) {
			t.Errorf("a value cut at %d of %d decodes", cut, len(v))
		}
	}
	if n := len(appendDocRecord(nil, &docs[1], 0, string(look))); n != len(appendDocRecord(nil, &docs[1], 0, ""))-len(look) {
		t.Errorf("a number equal to the key's is stored: %d bytes", n)
	}
	out, before, err := replaceDocRecord(v, look, "123456789", nil)
	if err != nil || before == nil || string(before.number) != "123456789" {
		t.Fatalf("replace: %v %v", before, err)
	}
	if out, _, _ = replaceDocRecord(out, look, "L01X00T47", nil); out != nil {
		t.Errorf("removing every record left %x", out)
	}
}

// FuzzCanonDocument checks that whatever canonDocument accepts,
// DocumentEntry.Validate accepts too, is already canonical, and keys to
// the look-alike key of its number.
func FuzzCanonDocument(f *testing.F) {
	f.Add("GBR", "P", "123 456-789", "stolen", 2024, 3, 1, "UKPA")
	f.Add("d", "id", "l01x00t47<<", "Stolen Blank", 0, 0, 0, "")
	f.Add("Germany", "1P", "0", "lost", 2024, 2, 30, "x")
	f.Fuzz(func(t *testing.T, country, typ, number, status string, y, m, d int, source string) {
		in := screening.DocumentEntry{Country: country, Type: typ, Number: number, Status: screening.DocumentStatus(status),
			Reported: screening.Date{Year: y, Month: m, Day: d}, Source: source}
		c, err := canonDocument(&in)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("canonDocument accepted %+v as %+v, Validate says %v", in, c, err)
		}
		again, err := canonDocument(&c)
		if err != nil || again != c {
			t.Fatalf("not idempotent: %+v -> %+v (%v)", c, again, err)
		}
		key := docKeyOf(&c)
		if len(key) > maxDocKey || string(key[docKeyPrefix:]) != screening.LookalikeKey(c.Number) {
			t.Fatalf("key %q of %+v", key, c)
		}
	})
}

// TestPendingWriteApplied simulates a crash after a single change was
// committed to the store but before it reached the documents' Badger: the
// next open applies it.
func TestPendingWriteApplied(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func() (*DB, *Documents) {
		db, err := Open(dir, &Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		d, err := db.OpenDocuments(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		return db, d
	}
	tests := []struct {
		name  string
		put   bool
		check func(c screening.DocumentCheck) bool
	}{
		{"put", true, func(c screening.DocumentCheck) bool { return c.Listed != nil }},
		{"delete", false, func(c screening.DocumentCheck) bool { return c.Listed == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, d := open()
			e := screening.DocumentEntry{Country: "GBR", Type: "P", Number: "123456789", Status: screening.StatusStolen}
			key := docKeyOf(&e)
			if tt.put {
				if _, _, err := d.Put(ctx, &e, screening.WriteOptions{}); err != nil {
					t.Fatal(err)
				}
			} else if _, _, err := d.Delete(ctx, "GBR", "P", "123456789", screening.WriteOptions{}); err != nil {
				t.Fatal(err)
			}
			// Undo the write in the documents' Badger, as if the process
			// had died before it.
			g := d.cur.Load()
			var v []byte
			if !tt.put {
				v = appendDocRecord([]byte{docValueFormat}, &e, 1, string(key[docKeyPrefix:]))
			}
			if err := g.apply(key, v, d.DocumentVersion()); err != nil {
				t.Fatal(err)
			}
			d.Close()
			db.Close()
			db, d = open()
			defer db.Close()
			defer d.Close()
			c, err := d.CheckDocument(ctx, screening.Document{Country: "GBR", Type: "P", Number: "123456789"})
			if err != nil || !tt.check(c) {
				t.Fatalf("after reopening: %+v, %v", c, err)
			}
		})
	}
}

// TestDocumentsInMemory runs the list on an in-memory store.
func TestDocumentsInMemory(t *testing.T) {
	ctx := context.Background()
	db, err := Open("", &Options{InMemory: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d, err := db.OpenDocuments(ctx, &DocumentOptions{SortChunk: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var list []screening.DocumentEntry
	for i := range 100 {
		list = append(list, screening.DocumentEntry{Country: "GBR", Type: "P", Number: fmt.Sprint(1000 + i), Status: screening.StatusLost})
	}
	r := &docMemReader{docs: list}
	if _, err := d.Import(ctx, r, screening.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	e := screening.DocumentEntry{Country: "FRA", Type: "P", Number: "X1", Status: screening.StatusLost}
	if _, _, err := d.Put(ctx, &e, screening.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []screening.Document{{Country: "GBR", Type: "P", Number: "1099"}, {Country: "FRA", Type: "P", Number: "X1"}} {
		if c, err := d.CheckDocument(ctx, q); err != nil || c.Listed == nil {
			t.Errorf("%+v: %+v %v", q, c, err)
		}
	}
	if st := d.Stats(); st.Documents != 101 || st.Filter.State != "imported" {
		t.Errorf("stats %+v", st)
	}
}

type docMemReader struct {
	docs []screening.DocumentEntry
	i    int
}

func (r *docMemReader) Read() (*screening.DocumentEntry, error) {
	if r.i >= len(r.docs) {
		return nil, io.EOF
	}
	r.i++
	return &r.docs[r.i-1], nil
}
