package mix

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt"
	"github.com/bordersec/portcullis/screening/listfmt/jsonl"
)

// Targets returns the entries of entries that hits can be derived from:
// the persons. Organisations are left out: gates screen people.
func Targets(entries []*screening.Entry) []*screening.Entry {
	var out []*screening.Entry
	for _, e := range entries {
		if e.Kind == screening.KindPerson && len(e.Names) > 0 {
			out = append(out, e)
		}
	}
	return out
}

// BundledTargets reads the public lists bundled in fixtures (UN, OFAC, UK)
// as a server seeds them on first start, each entry carrying its list's
// name, and returns their persons. Records the readers cannot use are
// skipped, as the server's seeding skips them.
func BundledTargets() ([]*screening.Entry, error) {
	var all []*screening.Entry
	for _, l := range fixtures.BundledLists() {
		r, err := listfmt.Open(l.Format, fixtures.Lists(), l.Path)
		if err != nil {
			return nil, fmt.Errorf("bundled list %s: %w", l.Name, err)
		}
		entries, _, err := screening.ReadAll(r, true)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("bundled list %s: %w", l.Name, err)
		}
		for _, e := range entries {
			e.List = l.Name
		}
		all = append(all, entries...)
	}
	return Targets(all), nil
}

// ReadTargets reads up to n entries of a JSON Lines list (as gensynth
// writes, or `portcullis export`), drawn uniformly at random with the seed
// from the whole file, and returns their persons, each carrying list when
// the line names no list. Only the chosen lines are decoded, so a sample of
// a million-line file costs little more than reading it. A chosen line that
// is not a valid entry is an error naming its line.
func ReadTargets(r io.Reader, list string, n int, seed uint64) ([]*screening.Entry, error) {
	if n <= 0 {
		return nil, fmt.Errorf("read targets: sample size %d: want at least 1", n)
	}
	type line struct {
		no   int
		text []byte
	}
	rng := rand.New(rand.NewPCG(seed, 0x74617267657473))
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), jsonl.MaxLineBytes+1)
	var sample []line
	seen, no := 0, 0
	for sc.Scan() {
		no++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		seen++
		// Reservoir sampling (Algorithm R): line seen is kept with
		// probability n/seen.
		if len(sample) < n {
			sample = append(sample, line{no, bytes.Clone(b)})
		} else if k := rng.IntN(seen); k < n {
			sample[k] = line{no, bytes.Clone(b)}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("read targets: line %d: longer than %d bytes", no+1, jsonl.MaxLineBytes)
		}
		return nil, fmt.Errorf("read targets: %w", err)
	}
	if len(sample) == 0 {
		return nil, fmt.Errorf("read targets: %w", ErrNoTargets)
	}
	entries := make([]*screening.Entry, 0, len(sample))
	for _, l := range sample {
		e, err := jsonl.NewReader(bytes.NewReader(l.text)).Read()
		if err != nil {
			var re *screening.RecordError
			if errors.As(err, &re) {
				err = re.Err
			}
			return nil, fmt.Errorf("read targets: line %d: %w", l.no, err)
		}
		if e.List == "" {
			e.List = list
		}
		entries = append(entries, e)
	}
	out := Targets(entries)
	if len(out) == 0 {
		return nil, fmt.Errorf("read targets: %w: the sampled entries are all organisations", ErrNoTargets)
	}
	return out, nil
}
