package store

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/bits-and-blooms/bloom/v3"
	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"

	"github.com/bordersec/portcullis/screening"
)

// How an import works.
//
// Read: every document is checked and canonicalised (canonDocument) and
// appended, as an encoded entry, to a chunk of SortChunk documents. A full
// chunk goes to a sorter goroutine that sorts it by key, number and record
// and writes it to a sorted run on disk, while reading goes on into a second
// chunk. Merge: the runs (and the last chunk, in memory) are merged; the
// records of one key are gathered into its value, a second record of the
// same state, class and number is a duplicate, and the keys, now in order,
// go to Badger's stream writer, which writes the tables of a fresh
// generation directly, and into a new bloom filter. Flip: the filter is
// saved and one commit of the store makes the generation live.
//
// An entry in a chunk or a run is:
//
//	byte     key length
//	key
//	uint32   record (line) number, big-endian
//	uint16   record length, big-endian
//	record   as appendDocRecord writes it, with version 0 (the import's)
//
// Entries sort by key, stored number (empty when the number is the key's
// look-alike key) and record number, which is the order of a value's
// records.

// maxKeptSkipped is how many skipped records an import lists in its result;
// the summary counts them all.
const maxKeptSkipped = 10_000

type chunkRef struct {
	hi, lo uint64 // the first 16 bytes of the key, for quick comparisons
	off    uint32
}

type docChunk struct {
	arena []byte
	refs  []chunkRef
}

func entKey(e []byte) []byte { return e[1 : 1+e[0]] }
func entLine(e []byte) uint32 {
	return binary.BigEndian.Uint32(e[1+int(e[0]):])
}
func entRec(e []byte) []byte {
	k := 1 + int(e[0]) + 4
	n := int(binary.BigEndian.Uint16(e[k:]))
	return e[k+2 : k+2+n]
}
func entLen(e []byte) int {
	k := 1 + int(e[0]) + 4
	return k + 2 + int(binary.BigEndian.Uint16(e[k:]))
}

// entNum returns the stored number of an entry's record (empty when it is
// the key's look-alike key): the record starts with version 0 (one byte)
// and the number's length (one byte: at most 64).
func entNum(e []byte) []byte {
	r := entRec(e)
	return r[2 : 2+int(r[1])]
}

func cmpEnt(a, b []byte) int {
	if c := bytes.Compare(entKey(a), entKey(b)); c != 0 {
		return c
	}
	if c := bytes.Compare(entNum(a), entNum(b)); c != 0 {
		return c
	}
	la, lb := entLine(a), entLine(b)
	switch {
	case la < lb:
		return -1
	case la > lb:
		return 1
	}
	return 0
}

func keyPrefix(key []byte) (hi, lo uint64) {
	var b [16]byte
	copy(b[:], key)
	return binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
}

func (c *docChunk) sort() {
	arena := c.arena
	slices.SortFunc(c.refs, func(a, b chunkRef) int {
		switch {
		case a.hi < b.hi:
			return -1
		case a.hi > b.hi:
			return 1
		case a.lo < b.lo:
			return -1
		case a.lo > b.lo:
			return 1
		}
		return cmpEnt(arena[a.off:], arena[b.off:])
	})
}

// add appends a canonical document read as record line.
func (c *docChunk) add(doc *screening.DocumentEntry, line uint32) {
	look := screening.LookalikeKey(doc.Number)
	if need := len(c.arena) + 1 + maxDocKey + 6 + 64 + len(doc.Type) + len(doc.Source) + 32; need > cap(c.arena) {
		// Double: append's growth of large slices copies too often.
		grown := make([]byte, len(c.arena), max(2*cap(c.arena), need, 1<<20))
		copy(grown, c.arena)
		c.arena = grown
	}
	start := len(c.arena)
	c.arena = append(c.arena, byte(docKeyPrefix+len(look)))
	c.arena = appendDocKey(c.arena, doc.Country, screening.DocClass(doc.Type), look)
	c.arena = binary.BigEndian.AppendUint32(c.arena, line)
	lenAt := len(c.arena)
	c.arena = append(c.arena, 0, 0)
	c.arena = appendDocRecord(c.arena, doc, 0, look)
	binary.BigEndian.PutUint16(c.arena[lenAt:], uint16(len(c.arena)-lenAt-2))
	hi, lo := keyPrefix(c.arena[start+1 : start+1+docKeyPrefix+len(look)])
	if len(c.refs) == cap(c.refs) {
		c.refs = append(make([]chunkRef, 0, max(2*cap(c.refs), 1<<14)), c.refs...)
	}
	c.refs = append(c.refs, chunkRef{hi: hi, lo: lo, off: uint32(start)})
}

func (c *docChunk) full(limit int) bool {
	return len(c.refs) >= limit || len(c.arena) > math.MaxUint32-(1<<20)
}

// runCursor yields the entries of one sorted run in order; an entry is
// valid until the next call; nil at the end.
type runCursor interface {
	next() ([]byte, error)
}

type memCursor struct {
	c *docChunk
	i int
}

func (m *memCursor) next() ([]byte, error) {
	if m.i >= len(m.c.refs) {
		return nil, nil
	}
	e := m.c.arena[m.c.refs[m.i].off:]
	m.i++
	return e[:entLen(e)], nil
}

type fileCursor struct {
	f   *os.File
	br  *bufio.Reader
	buf []byte
}

func (fc *fileCursor) next() ([]byte, error) {
	kl, err := fc.br.ReadByte()
	if err == io.EOF {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	head := 1 + int(kl) + 6
	fc.buf = slices.Grow(fc.buf[:0], head)[:head]
	fc.buf[0] = kl
	if _, err := io.ReadFull(fc.br, fc.buf[1:head]); err != nil {
		return nil, fmt.Errorf("read sort run: %w", err)
	}
	n := int(binary.BigEndian.Uint16(fc.buf[head-2:]))
	fc.buf = slices.Grow(fc.buf, n)[:head+n]
	if _, err := io.ReadFull(fc.br, fc.buf[head:]); err != nil {
		return nil, fmt.Errorf("read sort run: %w", err)
	}
	return fc.buf, nil
}

// writeRun writes a sorted chunk to a file.
func writeRun(path string, c *docChunk) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	for _, r := range c.refs {
		e := c.arena[r.off:]
		bw.Write(e[:entLen(e)])
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// mergeHeap merges run cursors: a binary min-heap of the cursors' current
// entries.
type mergeHeap struct {
	cur  [][]byte
	src  []runCursor
	heap []int
}

func (h *mergeHeap) less(i, j int) bool { return cmpEnt(h.cur[h.heap[i]], h.cur[h.heap[j]]) < 0 }

func (h *mergeHeap) down(i int) {
	n := len(h.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		m := l
		if r := l + 1; r < n && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h.heap[i], h.heap[m] = h.heap[m], h.heap[i]
		i = m
	}
}

func newMergeHeap(src []runCursor) (*mergeHeap, error) {
	h := &mergeHeap{cur: make([][]byte, len(src)), src: src}
	for i, s := range src {
		e, err := s.next()
		if err != nil {
			return nil, err
		}
		if e != nil {
			h.cur[i] = e
			h.heap = append(h.heap, i)
		}
	}
	for i := len(h.heap)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
	return h, nil
}

// peek returns the smallest entry, or nil when every run is done.
func (h *mergeHeap) peek() []byte {
	if len(h.heap) == 0 {
		return nil
	}
	return h.cur[h.heap[0]]
}

// advance moves past the smallest entry.
func (h *mergeHeap) advance() error {
	i := h.heap[0]
	e, err := h.src[i].next()
	if err != nil {
		return err
	}
	if e == nil {
		last := len(h.heap) - 1
		h.heap[0] = h.heap[last]
		h.heap = h.heap[:last]
	} else {
		h.cur[i] = e
	}
	h.down(0)
	return nil
}

// appendKV appends the protocol-buffer form of a badger pb.KV with key,
// value and version (fields 1, 2 and 4) to b, as the stream writer reads it.
func appendKV(b, key, value []byte, version uint64) []byte {
	b = append(b, 0x0a)
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	b = append(b, 0x12)
	b = binary.AppendUvarint(b, uint64(len(value)))
	b = append(b, value...)
	b = append(b, 0x20)
	return binary.AppendUvarint(b, version)
}

// docImport is one import under way.
type docImport struct {
	d    *Documents
	o    screening.ImportOptions
	gen  uint64
	runs string // directory of the sort runs; "" in memory

	bad      []*screening.RecordError
	badN     int
	skipped  []*screening.RecordError
	skippedN int
	read     int
	accepted int
}

// reject notes a record that cannot be used.
func (imp *docImport) reject(re *screening.RecordError) {
	if imp.o.SkipInvalid {
		if imp.skippedN++; len(imp.skipped) < maxKeptSkipped {
			imp.skipped = append(imp.skipped, re)
		}
		return
	}
	if imp.badN++; len(imp.bad) < screening.MaxReportedRecords {
		imp.bad = append(imp.bad, re)
	}
}

// Import replaces the whole document list with the documents r reads,
// atomically: a new generation is built beside the live one and made live in
// one commit once the reader is exhausted and every record could be used
// (or SkipInvalid is set). Until then screening sees the old list; an error
// or a crash leaves it as it was. A record that cannot be used (r's
// *screening.RecordError, a document the list cannot key, a second record
// of the same state, class and number) refuses the import, naming its line,
// unless SkipInvalid is set; an input with no usable document is refused
// unless AllowEmpty is.
//
// The import is one audit record (Op OpImport): it does not compare the old
// list with the new, so Summary.Added is the new list's size and Removed the
// old one's. Single changes wait while an import runs; screening does not.
func (d *Documents) Import(ctx context.Context, r DocumentReader, o screening.ImportOptions) (*screening.ImportResult, error) {
	start := time.Now()
	d.wmu.Lock()
	defer d.wmu.Unlock()
	if d.broken.Load() {
		return nil, ErrDocumentsBroken
	}
	d.meta.LastGen++
	imp := &docImport{d: d, o: o, gen: d.meta.LastGen}
	res, err := imp.run(ctx, r)
	if err != nil {
		if cerr := imp.cleanup(); cerr != nil {
			d.log.Error("document list: remove a failed import; the next open will", "err", cerr)
		}
		return nil, err
	}
	res.Duration = time.Since(start)
	return res, nil
}

func (imp *docImport) cleanup() error {
	d := imp.d
	if d.dir == "" {
		return nil
	}
	err := os.RemoveAll(d.genDir(imp.gen))
	if e := os.RemoveAll(imp.runs); e != nil && err == nil && imp.runs != "" {
		err = e
	}
	if e := os.Remove(d.filterPath(imp.gen)); e != nil && !errors.Is(e, os.ErrNotExist) && err == nil {
		err = e
	}
	return err
}

func (imp *docImport) run(ctx context.Context, r DocumentReader) (*screening.ImportResult, error) {
	d := imp.d
	if d.dir != "" {
		imp.runs = filepath.Join(d.dir, genName(imp.gen)+".runs")
	}
	start := time.Now()
	runs, err := imp.readAndSort(ctx, r)
	read := time.Since(start)
	defer func() {
		if imp.runs != "" {
			os.RemoveAll(imp.runs)
		}
	}()
	if err != nil {
		return nil, err
	}
	if imp.badN > 0 {
		closeRuns(runs)
		return nil, &screening.ImportError{Records: imp.bad, Count: imp.badN}
	}
	g, err := d.openGen(imp.gen)
	if err != nil {
		closeRuns(runs)
		return nil, err
	}
	live := false
	defer func() {
		if !live {
			g.close()
		}
	}()
	f, fcap := newDocFilter(uint64(imp.accepted))
	start = time.Now()
	written, pairs, err := imp.merge(ctx, g, f, runs)
	if err != nil {
		return nil, err
	}
	d.log.Info("document import: written", "documents", written, "runs", len(runs),
		"read_and_sort_seconds", read.Seconds(), "merge_and_write_seconds", time.Since(start).Seconds())
	if imp.badN > 0 {
		slices.SortFunc(imp.bad, func(a, b *screening.RecordError) int { return a.Record - b.Record })
		return nil, &screening.ImportError{Records: imp.bad, Count: imp.badN}
	}
	if written == 0 && !imp.o.AllowEmpty {
		return nil, fmt.Errorf("import documents: no usable document in the input; refusing to empty the list: %w", screening.ErrInvalid)
	}
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	g.filter, g.fcap = f, fcap
	res, err := imp.flip(g, written, pairs)
	if err != nil {
		return nil, err
	}
	live = true
	return res, nil
}

// readAndSort reads every record, and sorts the usable ones into runs on
// disk (in memory when the store is) and, for the last chunk, in memory.
//
// Three goroutines share the work: this one reads (parses), an encoder
// checks, canonicalises and encodes into chunks, and a sorter sorts full
// chunks and writes them out.
func (imp *docImport) readAndSort(ctx context.Context, r DocumentReader) ([]runCursor, error) {
	numbered, _ := r.(recordNumberer)
	type item struct {
		doc screening.DocumentEntry
		rec int
		err *screening.RecordError
	}
	const batchSize = 1024
	batches := make(chan []item, 4)
	freeBatches := make(chan []item, 6)
	encoded := make(chan error, 1)
	var runs []runCursor
	go func() {
		var err error
		runs, err = imp.encode(func(yield func(doc *screening.DocumentEntry, rec int, re *screening.RecordError) bool) {
			for b := range batches {
				for i := range b {
					if !yield(&b[i].doc, b[i].rec, b[i].err) {
						// Drain, so that the reader is not stuck.
						for range batches {
						}
						return
					}
				}
				select {
				case freeBatches <- b[:0]:
				default:
				}
			}
		})
		encoded <- err
	}()
	fail := func(err error) ([]runCursor, error) {
		close(batches)
		if eerr := <-encoded; eerr != nil && err == nil {
			err = eerr
		}
		closeRuns(runs)
		return nil, err
	}
	batch := make([]item, 0, batchSize)
	ordinal := 0
	for {
		if ordinal%4096 == 0 {
			if err := ctxErr(ctx); err != nil {
				return fail(err)
			}
			if imp.o.Progress != nil && ordinal > 0 && ordinal%65536 == 0 {
				imp.o.Progress(ordinal)
			}
		}
		doc, err := r.Read()
		if err == io.EOF {
			break
		}
		ordinal++
		rec := ordinal
		if numbered != nil {
			rec = numbered.Record()
		}
		it := item{rec: rec}
		switch {
		case err == nil:
			it.doc = *doc
		case errors.As(err, &it.err):
		default:
			return fail(fmt.Errorf("import documents: after record %d: %w", rec, err))
		}
		if rec > math.MaxUint32 {
			return fail(fmt.Errorf("import documents: more than %d records", uint32(math.MaxUint32)))
		}
		batch = append(batch, it)
		if len(batch) == batchSize {
			batches <- batch
			select {
			case batch = <-freeBatches:
			default:
				batch = make([]item, 0, batchSize)
			}
		}
	}
	if len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	if err := <-encoded; err != nil {
		closeRuns(runs)
		return nil, err
	}
	return runs, nil
}

// encode checks and encodes the records next yields into chunks, hands
// full chunks to a sorter, and returns the sorted runs.
func (imp *docImport) encode(next func(yield func(doc *screening.DocumentEntry, rec int, re *screening.RecordError) bool)) ([]runCursor, error) {
	limit := imp.d.opts.SortChunk
	var (
		sortErr error
		paths   []string
		mem     []*docChunk
		wg      sync.WaitGroup
	)
	sortCh := make(chan *docChunk)
	free := make(chan *docChunk, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		n := 0
		for c := range sortCh {
			c.sort()
			if imp.runs == "" {
				mem = append(mem, c)
				free <- &docChunk{}
				continue
			}
			n++
			path := filepath.Join(imp.runs, strconv.Itoa(n))
			err := os.MkdirAll(imp.runs, 0o750)
			if err == nil {
				err = writeRun(path, c)
			}
			if err != nil && sortErr == nil {
				sortErr = fmt.Errorf("import documents: write a sort run: %w", err)
			}
			paths = append(paths, path)
			c.arena, c.refs = c.arena[:0], c.refs[:0]
			free <- c
		}
	}()
	free <- &docChunk{}
	cur := &docChunk{}
	failed := false
	next(func(doc *screening.DocumentEntry, rec int, re *screening.RecordError) bool {
		imp.read++
		if re != nil {
			imp.reject(re)
			return true
		}
		c, err := canonDocument(doc)
		if err != nil {
			imp.reject(&screening.RecordError{Record: rec, ID: rawDocID(doc), Err: err})
			return true
		}
		imp.accepted++
		if imp.badN > 0 {
			return true // refused anyway: read on only to report every bad record
		}
		if cur.full(limit) {
			sortCh <- cur
			cur = <-free
			if sortErr != nil { // written before the sorter took the next chunk
				failed = true
				return false
			}
		}
		cur.add(&c, uint32(rec))
		return true
	})
	close(sortCh)
	wg.Wait()
	var runs []runCursor
	for _, c := range mem {
		runs = append(runs, &memCursor{c: c})
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			closeRuns(runs)
			return nil, fmt.Errorf("import documents: %w", err)
		}
		runs = append(runs, &fileCursor{f: f, br: bufio.NewReaderSize(f, 256<<10)})
	}
	if sortErr != nil || failed {
		closeRuns(runs)
		return nil, sortErr
	}
	return append(runs, cur.sortHalves()...), nil
}

// sortHalves sorts the two halves of a chunk at once and returns them as
// two runs.
func (c *docChunk) sortHalves() []runCursor {
	h := len(c.refs) / 2
	a := &docChunk{arena: c.arena, refs: c.refs[:h:h]}
	b := &docChunk{arena: c.arena, refs: c.refs[h:]}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		a.sort()
	}()
	b.sort()
	wg.Wait()
	return []runCursor{&memCursor{c: a}, &memCursor{c: b}}
}

func closeRuns(runs []runCursor) {
	for _, r := range runs {
		if fc, ok := r.(*fileCursor); ok {
			fc.f.Close()
		}
	}
}

func rawDocID(d *screening.DocumentEntry) string {
	if d == nil {
		return ""
	}
	return d.Country + "/" + d.Type + "/" + d.Number
}

// merge merges the sorted runs into the generation's Badger and the filter.
// It returns the documents written and the (state, class) prefixes in use.
func (imp *docImport) merge(ctx context.Context, g *docGen, f *bloom.BloomFilter, runs []runCursor) (int64, []string, error) {
	defer closeRuns(runs)
	h, err := newMergeHeap(runs)
	if err != nil {
		return 0, nil, err
	}
	sw := g.bdb.NewStreamWriter()
	if err := sw.Prepare(); err != nil {
		return 0, nil, fmt.Errorf("import documents: %w", err)
	}
	// The merge fills buffers of KVs; a writer goroutine adds their keys to
	// the filter and hands them to the stream writer, while the merge fills
	// the next.
	const flushAt = 8 << 20
	bufs := make(chan *z.Buffer, 2)
	for range 2 {
		bufs <- z.NewBuffer(flushAt+(1<<20), "portcullis.documents")
	}
	full := make(chan *z.Buffer)
	writeErr := make(chan error, 1)
	go func() {
		var first error
		for buf := range full {
			if first == nil {
				first = buf.SliceIterate(func(kv []byte) error {
					f.Add(kvKey(kv))
					return nil
				})
			}
			if first == nil {
				if err := sw.Write(buf); err != nil {
					first = fmt.Errorf("import documents: write: %w", err)
				}
			}
			buf.Reset()
			bufs <- buf
		}
		writeErr <- first
	}()
	buf := <-bufs
	finished := false
	finish := func() error {
		if finished {
			return nil
		}
		finished = true
		if buf.LenNoPadding() > 0 {
			full <- buf
		} else {
			bufs <- buf
		}
		close(full)
		err := <-writeErr
		for range 2 {
			(<-bufs).Release()
		}
		return err
	}
	defer func() {
		if !finished {
			finish()
			sw.Cancel()
		}
	}()

	var (
		key, val, num []byte
		firstLine     uint32
		written       int64
		pairs         []string
		n             int
		kv            []byte
	)
	emit := func() {
		if key == nil {
			return
		}
		kv = appendKV(kv[:0], key, val, 1)
		copy(buf.SliceAllocate(len(kv)), kv)
		if len(pairs) == 0 || pairs[len(pairs)-1] != string(key[:docKeyPrefix]) {
			pairs = append(pairs, string(key[:docKeyPrefix]))
		}
		if buf.LenNoPadding() >= flushAt {
			full <- buf
			buf = <-bufs
		}
	}
	for e := h.peek(); e != nil; e = h.peek() {
		if n++; n%65536 == 0 {
			if err := ctxErr(ctx); err != nil {
				return 0, nil, err
			}
		}
		k, en := entKey(e), entNum(e)
		switch {
		case key != nil && bytes.Equal(k, key) && bytes.Equal(en, num):
			number := en
			if len(number) == 0 {
				number = k[docKeyPrefix:]
			}
			imp.reject(&screening.RecordError{Record: int(entLine(e)), ID: keyCountry(k) + "/" + string(k[3]) + "/" + string(number),
				Err: fmt.Errorf("duplicate of line %d: the same issuing state, document class and number", firstLine)})
		case key != nil && bytes.Equal(k, key):
			num = append(num[:0], en...)
			firstLine = entLine(e)
			val = append(val, entRec(e)...)
			written++
		default:
			if imp.badN == 0 {
				emit()
			}
			key = append(key[:0], k...)
			num = append(num[:0], en...)
			firstLine = entLine(e)
			val = append(append(val[:0], docValueFormat), entRec(e)...)
			written++
		}
		if err := h.advance(); err != nil {
			return 0, nil, fmt.Errorf("import documents: %w", err)
		}
	}
	if imp.badN > 0 {
		return 0, nil, nil
	}
	emit()
	if err := finish(); err != nil {
		sw.Cancel()
		return 0, nil, err
	}
	if err := sw.Flush(); err != nil {
		return 0, nil, fmt.Errorf("import documents: flush: %w", err)
	}
	return written, pairs, nil
}

// kvKey returns the key of a KV that appendKV wrote.
func kvKey(kv []byte) []byte {
	n, w := binary.Uvarint(kv[1:])
	return kv[1+w : 1+w+int(n)]
}

// flip saves the new generation's filter and makes the generation live in
// one commit of the store, then retires the old generation.
func (imp *docImport) flip(g *docGen, written int64, pairs []string) (*screening.ImportResult, error) {
	d, db := imp.d, imp.d.db
	old := d.meta
	sum := &screening.ImportSummary{Format: imp.o.Format, Source: imp.o.Source, Read: imp.read,
		Added: int(written), Removed: int(old.Count), Skipped: imp.skippedN, SkipNotes: skipNotes(imp.skipped)}
	if imp.o.Digest != nil {
		sum.SHA256 = imp.o.Digest()
	}

	db.wmu.Lock()
	version, seq := db.version+1, db.seq+1
	now := db.opts.Now().UTC()
	m := docMeta{Gen: imp.gen, LastGen: imp.gen, Count: written, Version: version, ImportVersion: version,
		Updated: now, Source: imp.o.Source, Format: imp.o.Format, Pairs: pairs}
	ch := &screening.Change{Seq: seq, Version: version, Time: now, Actor: imp.o.Actor, Op: screening.OpImport,
		List: DocumentList, Reason: imp.o.Reason, Import: sum}
	err := d.saveFilter(g, version, written)
	if err == nil {
		err = db.update(func(txn *badger.Txn) error {
			if err := setDocMeta(txn, &m); err != nil {
				return err
			}
			return writeAuditRecord(txn, ch, &docAuditRecord{Change: ch, Documents: true})
		})
	}
	if err != nil {
		db.wmu.Unlock()
		return nil, fmt.Errorf("import documents: commit: %w", err)
	}
	db.advance(ch, 0)
	db.wmu.Unlock()

	prev := d.cur.Load()
	d.meta = m
	d.cur.Store(g)
	d.publish(&m)
	d.setFilterState("imported")
	d.unsaved = false
	if err := prev.close(); err != nil {
		d.log.Error("document list: close the replaced generation", "err", err)
	}
	if d.dir != "" {
		for _, p := range []string{d.genDir(prev.id), d.filterPath(prev.id)} {
			if err := os.RemoveAll(p); err != nil {
				d.log.Error("document list: delete the replaced generation; the next open will", "path", p, "err", err)
			}
		}
	}
	return &screening.ImportResult{Change: ch, Skipped: imp.skipped}, nil
}
