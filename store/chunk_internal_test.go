package store

import (
	"bytes"
	"strings"
	"testing"
)

// TestChunkPacking: a packed chunk of staged records unpacks to the same
// records; a plain one (as stores wrote before chunks were compressed) is
// read as it is; a damaged one is an error, not records.
func TestChunkPacking(t *testing.T) {
	records := []byte(strings.Repeat(`{"op":"create","id":"E-1","after":{"id":"E-1","names":["IVAN PETROV"]}}`+"\n", 900))
	records = bytes.TrimSuffix(records, []byte("\n"))
	var buf []byte
	packed, buf := packChunk(records, buf)
	if packed[0] != chunkS2 || len(packed) >= len(records)/4 {
		t.Fatalf("packed %d bytes into %d (first byte %#x)", len(records), len(packed), packed[0])
	}
	got, err := unpackChunk(packed)
	if err != nil || !bytes.Equal(got, records) {
		t.Fatalf("unpack: %v; equal %v", err, bytes.Equal(got, records))
	}
	// The work space is reused and the packed chunk does not share it.
	again, _ := packChunk([]byte(`{"op":"delete","id":"E-2"}`), buf)
	if got, err := unpackChunk(packed); err != nil || !bytes.Equal(got, records) {
		t.Fatalf("a second pack changed the first: %v", err)
	}
	if got, err := unpackChunk(again); err != nil || string(got) != `{"op":"delete","id":"E-2"}` {
		t.Fatalf("second chunk: %q %v", got, err)
	}
	plain := []byte(`{"op":"create","id":"E-1"}`)
	if got, err := unpackChunk(plain); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("plain chunk: %q %v", got, err)
	}
	if _, err := unpackChunk(append([]byte{chunkS2}, "not s2 at all"...)); err == nil {
		t.Fatal("a damaged chunk unpacked")
	}
}
