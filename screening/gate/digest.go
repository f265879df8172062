package gate

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
	"sync"

	"github.com/bordersec/portcullis/screening"
)

// DigestSize is the size of a document digest in bytes; its hex form has
// twice as many characters.
const DigestSize = 16

// MinDigestKey is the shortest key a Digester accepts, in bytes.
const MinDigestKey = 16

// Digester turns a travel document into a keyed digest: HMAC-SHA256 over
// the issuing state, the document class (passport, identity card, visa) and
// the normalised number, cut to 16 bytes. The event log stores and indexes
// documents only by their digest, so that it holds no document number in
// plain text; and, unlike a plain hash, a digest cannot be reversed by
// trying every number of a country's format without the key. The first 8
// bytes are the document's hash in the recent-use memory.
//
// The key must stay the same across restarts (the event log's index and the
// rebuilt memory depend on it): the store keeps one (store.Events.DigestKey).
//
// A Digester is safe for concurrent use.
type Digester struct {
	pool sync.Pool
}

// NewDigester returns a Digester with key, which must be at least
// MinDigestKey bytes.
func NewDigester(key []byte) (*Digester, error) {
	if len(key) < MinDigestKey {
		return nil, errors.New("gate: digest key shorter than 16 bytes")
	}
	k := append([]byte(nil), key...)
	d := &Digester{}
	d.pool.New = func() any { return hmac.New(sha256.New, k) }
	return d, nil
}

// Digest is a document's keyed digest.
type Digest [DigestSize]byte

// String returns the digest in lower-case hex.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// hash64 returns the document's hash in the recent-use memory; never 0.
func (d Digest) hash64() uint64 {
	h := binary.LittleEndian.Uint64(d[:8])
	if h == 0 {
		h = 1
	}
	return h
}

// ParseDigest reads a digest's hex form.
func ParseDigest(s string) (Digest, error) {
	var d Digest
	if len(s) != 2*DigestSize {
		return d, errors.New("want 32 hex digits")
	}
	if _, err := hex.Decode(d[:], []byte(s)); err != nil {
		return d, errors.New("want 32 hex digits")
	}
	return d, nil
}

// Document returns the digest of a document. Its type is folded to its class
// (screening.DocClass: A, C and I are one class), its number normalised
// (screening.NormalizeDocNumber), and its country taken as given (the
// caller maps the MRZ's "D" to "DEU").
func (g *Digester) Document(doc screening.Document) Digest {
	class := screening.DocClass(doc.Type)
	if class == 0 {
		class = '*'
	}
	m := g.pool.Get().(hash.Hash)
	m.Reset()
	var buf [96]byte
	b := append(buf[:0], doc.Country...)
	b = append(b, '|', class, '|')
	b = append(b, screening.NormalizeDocNumber(doc.Number)...)
	m.Write(b)
	var sum [sha256.Size]byte
	m.Sum(sum[:0])
	g.pool.Put(m)
	var d Digest
	copy(d[:], sum[:DigestSize])
	return d
}
