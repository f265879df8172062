package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"

	"github.com/bits-and-blooms/bloom/v3"
)

// The bloom filter in front of the document list.
//
// It is sized for the list plus a little room for single additions, at
// docFilterFP false positives; an open that finds the list has outgrown it
// rebuilds it. Its file, GEN.bloom beside the generation's Badger, is:
//
//	8 bytes  magic "PCDOCBF1"
//	8 bytes  generation           (all numbers little-endian uint64)
//	8 bytes  list version at the save
//	8 bytes  documents at the save
//	8 bytes  capacity: the documents it was sized for
//	8 bytes  m, bits
//	8 bytes  k, hash functions
//	⌈m/64⌉×8 bytes  the bits
//	4 bytes  CRC-32C (Castagnoli) of everything before
const (
	docFilterFP    = 0.001
	filterMagic    = "PCDOCBF1"
	filterHeader   = 7 * 8
	filterMaxWords = 1 << 31 // 16 GiB: anything larger is corrupt
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// The reasons a saved filter is not used.
var (
	errFilterMissing = errors.New("no saved bloom filter")
	errFilterCorrupt = errors.New("saved bloom filter is corrupt")
	errFilterStale   = errors.New("saved bloom filter is stale")
)

// filterCapacity is how many documents a filter for n is sized for.
func filterCapacity(n uint64) uint64 { return n + n/32 + 1024 }

// newDocFilter returns an empty filter for a list of n documents and the
// capacity it was sized for.
func newDocFilter(n uint64) (*bloom.BloomFilter, uint64) {
	c := filterCapacity(n)
	return bloom.NewWithEstimates(uint(c), docFilterFP), c
}

func (d *Documents) filterPath(gen uint64) string {
	return filepath.Join(d.dir, genName(gen)+".bloom")
}

// saveFilter writes g's filter with the list version and count, atomically
// (a temporary file renamed over the old). Callers hold g.mu, at least for
// reading. In memory, nothing is saved.
func (d *Documents) saveFilter(g *docGen, version uint64, count int64) error {
	if d.dir == "" || g.filter == nil {
		return nil
	}
	path := d.filterPath(g.id)
	if err := writeFilterFile(path, g.filter, g.id, version, uint64(max(count, 0)), g.fcap); err != nil {
		return fmt.Errorf("save bloom filter %s: %w", path, err)
	}
	return nil
}

func writeFilterFile(path string, f *bloom.BloomFilter, gen, version, count, capacity uint64) error {
	tmp := path + ".tmp"
	file, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // after the rename, a no-op
	crc := crc32.New(crcTable)
	bw := bufio.NewWriterSize(io.MultiWriter(file, crc), 1<<20)
	var hdr [filterHeader]byte
	copy(hdr[:8], filterMagic)
	for i, v := range []uint64{gen, version, count, capacity, uint64(f.Cap()), uint64(f.K())} {
		binary.LittleEndian.PutUint64(hdr[8+8*i:], v)
	}
	bw.Write(hdr[:])
	var buf [8]byte
	for _, w := range f.BitSet().Words() {
		binary.LittleEndian.PutUint64(buf[:], w)
		bw.Write(buf[:])
	}
	if err := bw.Flush(); err != nil {
		file.Close()
		return err
	}
	binary.LittleEndian.PutUint32(buf[:4], crc.Sum32())
	if _, err := file.Write(buf[:4]); err != nil {
		file.Close()
		return err
	}
	if err := file.Sync(); err != nil {
		file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// loadFilter reads the saved filter of a generation and checks it against
// the list's version and count: errFilterMissing, errFilterCorrupt or
// errFilterStale say why it cannot be used.
func (d *Documents) loadFilter(gen, version uint64, count int64) (*bloom.BloomFilter, uint64, error) {
	if d.dir == "" {
		if count == 0 {
			f, c := newDocFilter(0)
			return f, c, nil
		}
		return nil, 0, errFilterMissing
	}
	return readFilterFile(d.filterPath(gen), gen, version, uint64(max(count, 0)))
}

func readFilterFile(path string, gen, version, count uint64) (*bloom.BloomFilter, uint64, error) {
	file, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, errFilterMissing
	}
	if err != nil {
		return nil, 0, err
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return nil, 0, err
	}
	crc := crc32.New(crcTable)
	br := bufio.NewReaderSize(file, 1<<20)
	var hdr [filterHeader]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil || string(hdr[:8]) != filterMagic {
		return nil, 0, fmt.Errorf("%w: bad header", errFilterCorrupt)
	}
	crc.Write(hdr[:])
	var h [6]uint64
	for i := range h {
		h[i] = binary.LittleEndian.Uint64(hdr[8+8*i:])
	}
	fgen, fversion, fcount, fcap, m, k := h[0], h[1], h[2], h[3], h[4], h[5]
	words := (m + 63) / 64
	if m == 0 || k == 0 || k > 64 || words > filterMaxWords || st.Size() != int64(filterHeader+8*words+4) {
		return nil, 0, fmt.Errorf("%w: m %d, k %d, %d bytes", errFilterCorrupt, m, k, st.Size())
	}
	// Stale before reading 200 MB for nothing: the header is checked again
	// by the CRC below.
	if fgen != gen || fversion != version || fcount != count {
		return nil, 0, fmt.Errorf("%w: it is of generation %d, version %d, %d documents; the list is at %d, %d, %d",
			errFilterStale, fgen, fversion, fcount, gen, version, count)
	}
	if count > fcap {
		return nil, 0, fmt.Errorf("%w: the list has outgrown it (%d documents, sized for %d)", errFilterStale, count, fcap)
	}
	f := bloom.New(uint(m), uint(k))
	data := f.BitSet().Words()
	if uint64(len(data)) != words {
		return nil, 0, fmt.Errorf("%w: %d words for %d bits", errFilterCorrupt, len(data), m)
	}
	var buf [8 << 10]byte
	for i := 0; i < len(data); {
		n := min(len(buf)/8, len(data)-i)
		if _, err := io.ReadFull(br, buf[:8*n]); err != nil {
			return nil, 0, fmt.Errorf("%w: %v", errFilterCorrupt, err)
		}
		crc.Write(buf[:8*n])
		for j := range n {
			data[i+j] = binary.LittleEndian.Uint64(buf[8*j:])
		}
		i += n
	}
	sum := crc.Sum32()
	var tail [4]byte
	if _, err := io.ReadFull(br, tail[:]); err != nil {
		return nil, 0, fmt.Errorf("%w: %v", errFilterCorrupt, err)
	}
	if binary.LittleEndian.Uint32(tail[:]) != sum {
		return nil, 0, fmt.Errorf("%w: checksum mismatch", errFilterCorrupt)
	}
	return f, fcap, nil
}
