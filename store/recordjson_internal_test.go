package store

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/bordersec/portcullis/matcher"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
)

// recordGen makes records with odd values: strings with quotes, control
// characters, <>&, invalid UTF-8 and U+2028, floats at the edges of
// encoding/json's formats, times in zones, empty and nil lists.
type recordGen struct{ rng *rand.Rand }

var oddPieces = []string{"", "a", "LHR-T5-E01", `"`, `\`, "\n", "\t", "\x00", "\x1f", "\x7f", "<", ">", "&", "\u2028", "\u2029",
	"é", "日本", "\xff", "\xed\xa0\x80", "\xc3", "😀", "<script>", " ", "/", "'"}

func (g recordGen) str() string {
	var b []byte
	for range g.rng.IntN(4) {
		b = append(b, oddPieces[g.rng.IntN(len(oddPieces))]...)
	}
	return string(b)
}

var oddFloats = []float64{0, math.Copysign(0, -1), 1, 0.5, 0.91, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789.125, -3.25e-9, math.SmallestNonzeroFloat64, math.MaxFloat64}

func (g recordGen) float() float64 {
	if g.rng.IntN(3) == 0 {
		return g.rng.Float64()
	}
	return oddFloats[g.rng.IntN(len(oddFloats))]
}

func (g recordGen) floatPtr() *float64 {
	if g.rng.IntN(2) == 0 {
		return nil
	}
	f := g.float()
	return &f
}

func (g recordGen) time() time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("", 5*3600+30*60), time.FixedZone("X", -11*3600)}
	if g.rng.IntN(8) == 0 {
		return time.Time{}
	}
	return time.Unix(g.rng.Int64N(4e9), g.rng.Int64N(1e9)*int64(g.rng.IntN(2))).In(zones[g.rng.IntN(len(zones))])
}

func (g recordGen) hits() []screening.Hit {
	switch g.rng.IntN(4) {
	case 0:
		return nil
	case 1:
		return []screening.Hit{}
	}
	hits := make([]screening.Hit, 1+g.rng.IntN(3))
	for i := range hits {
		hits[i] = screening.Hit{Kind: screening.HitKind(g.str()), List: g.str(), EntryID: g.str(), Score: g.float(),
			Strong: g.rng.IntN(2) == 0, Action: screening.Action(g.str()), Status: g.str(), Detail: g.str()}
		if g.rng.IntN(3) == 0 {
			hits[i].Explanation = &matcher.Explanation{QueryName: g.str(), ListedName: g.str(), Score: g.float(), Algorithm: g.str()}
		}
	}
	return hits
}

func (g recordGen) strs() []string {
	if g.rng.IntN(3) == 0 {
		return nil
	}
	s := make([]string, g.rng.IntN(3))
	for i := range s {
		s[i] = g.str()
	}
	return s
}

func (g recordGen) decision() *screening.DecisionRecord {
	r := &screening.DecisionRecord{ID: g.str(), Time: g.time(), KeyID: g.str(), Channel: g.str(), InputDigest: g.str(),
		Outcome: screening.Outcome(g.str()), Reasons: g.strs(), Hits: g.hits(), WatchlistVersion: g.rng.Uint64(),
		DocumentVersion: uint64(g.rng.IntN(2)) * g.rng.Uint64(), AlgorithmVersion: g.str(), ElapsedMicros: g.rng.Int64() - g.rng.Int64(),
		Reference: g.str(), Redacted: g.rng.IntN(2) == 0}
	if g.rng.IntN(2) == 0 {
		t := &screening.Traveller{Name: g.str(), Surname: g.str(), GivenNames: g.str(), Nationality: g.str(),
			Gender: screening.Gender(g.str()), NameTruncated: g.rng.IntN(2) == 0}
		for _, s := range []string{"", "1974-08-12", "1974-08", "1974", g.str()} {
			if g.rng.IntN(3) == 0 && s != "" {
				_ = t.BirthDate.UnmarshalText([]byte(s))
			}
		}
		if g.rng.IntN(2) == 0 {
			t.Document = &screening.Document{Type: g.str(), Number: g.str(), Country: g.str(), Note: g.str()}
			if g.rng.IntN(2) == 0 {
				_ = t.Document.Expiry.UnmarshalText([]byte(g.str() + "2031-04-15"))
			}
		}
		r.Traveller = t
	}
	return r
}

func (g recordGen) gateRecord() *gate.Record {
	r := &gate.Record{ID: g.str(), Time: g.time(), Received: g.time(), KeyID: g.str(), Gate: g.str(), Port: g.str(),
		Class: gate.Class(g.str()), Profile: g.str(), Direction: gate.Direction(g.str()), Attempt: g.rng.IntN(200) - 100,
		Reference: g.str(), Document: gate.DocumentRef{Digest: g.str(), Type: g.str(), Country: g.str()},
		Scores:   gate.Scores{Face: g.floatPtr(), FaceThreshold: g.floatPtr(), Liveness: g.floatPtr(), LivenessThreshold: g.floatPtr()},
		Decision: gate.Outcome(g.str()), Hits: g.hits(), WatchlistVersion: g.rng.Uint64(), DocumentVersion: uint64(g.rng.IntN(3)),
		AlgorithmVersion: g.str(), ElapsedMicros: g.rng.Int64N(1e6)}
	c := &r.Checks
	for _, s := range []*gate.Status{&c.MRZ, &c.PassiveAuth, &c.ChipAuth, &c.DG1, &c.Face, &c.Liveness, &c.Morph,
		&c.Expiry, &c.Watchlist, &c.DocumentList, &c.RecentUse} {
		*s = gate.Status(g.str())
	}
	if n := g.rng.IntN(4); n > 0 {
		r.Reasons = make([]gate.Reason, n-1)
		for i := range r.Reasons {
			r.Reasons[i] = gate.Reason{Code: gate.Code(g.str()), Check: gate.Check(g.str()), Text: g.str()}
		}
	}
	return r
}

// TestRecordAppendJSON checks that marshalRecord, which has the records
// write themselves, writes what json.Marshal writes, byte for byte, and
// refuses what it refuses with the same error.
func TestRecordAppendJSON(t *testing.T) {
	g := recordGen{rand.New(rand.NewPCG(1, 2))}
	check := func(rec jsonAppender) {
		t.Helper()
		want, wantErr := json.Marshal(rec)
		got, gotErr := marshalRecord(rec)
		if wantErr != nil || gotErr != nil {
			if wantErr == nil || gotErr == nil || gotErr.Error() != wantErr.Error() {
				t.Fatalf("%+v:\nmarshalRecord error %v\njson.Marshal error  %v", rec, gotErr, wantErr)
			}
			return
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%+v:\nmarshalRecord %s\njson.Marshal  %s", rec, got, want)
		}
	}
	for range 20000 {
		check(g.decision())
		check(g.gateRecord())
	}
	// What json.Marshal refuses.
	bad := []jsonAppender{
		&screening.DecisionRecord{Hits: []screening.Hit{{Score: math.NaN()}}},
		&screening.DecisionRecord{Time: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		&gate.Record{Received: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
		&gate.Record{Scores: gate.Scores{Liveness: new(math.Inf(1))}},
		&gate.Record{Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600))},
	}
	for _, rec := range bad {
		check(rec)
	}
}

// BenchmarkMarshalRecord compares marshalRecord with json.Marshal on
// typical records:
//
//	go test ./store -run '^$' -bench MarshalRecord -count 6 | benchstat -col /impl -
func BenchmarkMarshalRecord(b *testing.B) {
	face, live := 0.91, 0.97
	now := time.Date(2026, 11, 21, 9, 59, 50, 123456789, time.UTC)
	hits := []screening.Hit{{Kind: screening.HitName, List: "un-consolidated", EntryID: "QDi.123", Score: 0.8731, Action: screening.ActionRefer}}
	recs := map[string]jsonAppender{
		"gate": &gate.Record{ID: "18780fd5c3a1e000a1b2c3d4", Time: now, Received: now.Add(time.Second), Gate: "LHR-T5-E01", Port: "LHR",
			Class: "egate", Profile: "egate-adult", Direction: gate.Entry, Attempt: 1, Reference: "T5E01-000123",
			Document: gate.DocumentRef{Digest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Type: "P", Country: "UTO"},
			Checks:   gate.Checks{MRZ: gate.Passed, PassiveAuth: gate.Passed, ChipAuth: gate.Passed, DG1: gate.Passed, Face: gate.Passed, Liveness: gate.Passed, Morph: gate.NotDone, Expiry: gate.Passed, Watchlist: gate.Failed, DocumentList: gate.Passed, RecentUse: gate.Passed},
			Scores:   gate.Scores{Face: &face, Liveness: &live}, Decision: gate.Refer,
			Reasons: []gate.Reason{{Code: "watchlist_hit", Check: gate.CheckWatchlist, Text: "name matches a listed person"}},
			Hits:    hits, WatchlistVersion: 1234, AlgorithmVersion: "m3", ElapsedMicros: 812},
		"decision": &screening.DecisionRecord{ID: "18780fd5c3a1e000a1b2c3d4", Time: now, KeyID: "k1", Channel: "api",
			InputDigest: "9f86d081884c7d659a2feaa0c55ad015", Outcome: screening.Refer, Reasons: []string{"name hit"}, Hits: hits,
			WatchlistVersion: 1234, AlgorithmVersion: "m3", ElapsedMicros: 640,
			Traveller: &screening.Traveller{Surname: "ERIKSSON", GivenNames: "ANNA MARIA", Nationality: "UTO", Gender: "F",
				Document: &screening.Document{Type: "P", Number: "L898902C3", Country: "UTO"}}},
	}
	for _, name := range []string{"gate", "decision"} {
		rec := recs[name]
		for _, impl := range []struct {
			name    string
			marshal func(jsonAppender) ([]byte, error)
		}{{"encoding-json", func(r jsonAppender) ([]byte, error) { return json.Marshal(r) }}, {"jsonwire", marshalRecord}} {
			b.Run("record="+name+"/impl="+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := impl.marshal(rec); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
