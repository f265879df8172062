package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/matcher"
	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/gate"
)

// answerGen makes answers with odd values for the writers' differential
// tests: strings built of quotes, controls, <>&, U+2028 and broken UTF-8,
// floats on the edges of encoding/json's two formats, nil and empty lists.
type answerGen struct{ rng *rand.Rand }

var answerBits = [...]string{"REFER", "P-1", `"`, `\`, "\b", "\f", "\n", "\r", "\t", "\x00", "\x1f", "\x7f",
	"<", ">", "&", "\u2028", "\u2029", "ü", "Иван", "\xff", "\xc3", "\xed\xa0\x80", "🛂", "</script>", "'"}

func (g answerGen) text() string {
	n := g.rng.IntN(5)
	s := ""
	for range n {
		s += answerBits[g.rng.IntN(len(answerBits))]
	}
	return s
}

func (g answerGen) texts() []string {
	switch g.rng.IntN(4) {
	case 0:
		return nil
	case 1:
		return []string{}
	}
	out := make([]string, 1+g.rng.IntN(3))
	for i := range out {
		out[i] = g.text()
	}
	return out
}

var answerFloats = [...]float64{0, math.Copysign(0, -1), 1, 0.875, 1e-6, 9.5e-7, 1e-9, 1e20, 1e21, 2.5e300, math.SmallestNonzeroFloat64}

func (g answerGen) score() float64 {
	if g.rng.IntN(2) == 0 {
		return g.rng.Float64()
	}
	return answerFloats[g.rng.IntN(len(answerFloats))]
}

func (g answerGen) hitList() []screening.Hit {
	if g.rng.IntN(4) == 0 {
		return nil
	}
	out := make([]screening.Hit, g.rng.IntN(4))
	for i := range out {
		h := &out[i]
		h.Kind, h.List, h.EntryID = screening.HitKind(g.text()), g.text(), g.text()
		h.Score, h.Strong = g.score(), g.rng.IntN(2) == 1
		h.Action, h.Status, h.Detail = screening.Action(g.text()), g.text(), g.text()
		if g.rng.IntN(4) == 0 {
			h.Explanation = &matcher.Explanation{QueryName: g.text(), ListedName: g.text(), NameScore: g.score(), Algorithm: g.text()}
		}
	}
	return out
}

func (g answerGen) screenResponse() *screenResponse {
	r := &screenResponse{Decision: screening.Outcome(g.text()), Hits: g.hitList(), Reasons: g.texts(), DecisionID: g.text(),
		WatchlistVersion: g.rng.Uint64(), DocumentVersion: g.rng.Uint64(),
		AlgorithmVersion: g.text(), ElapsedMicros: g.rng.Int64N(1<<40) - 1<<39}
	if g.rng.IntN(3) == 0 {
		r.DocumentVersion = 0
	}
	if g.rng.IntN(2) == 0 {
		r.MRZ = &mrzResult{Format: g.text(), FailedChecks: g.texts(), Problems: g.texts()}
	}
	return r
}

func (g answerGen) gateEventResponse() *gateEventResponse {
	r := &gateEventResponse{Decision: gate.Outcome(g.text()), EventID: g.text(), Gate: g.text(), Profile: g.text(),
		WatchlistVersion: g.rng.Uint64(), AlgorithmVersion: g.text(), ElapsedMicros: g.rng.Int64N(1<<40) - 1<<39}
	if g.rng.IntN(2) == 0 {
		r.DocumentVersion = g.rng.Uint64()
	}
	if n := g.rng.IntN(4); n > 0 {
		r.Reasons = make([]gate.Reason, n-1)
		for i := range r.Reasons {
			r.Reasons[i] = gate.Reason{Code: gate.Code(g.text()), Check: gate.Check(g.text()), Text: g.text()}
		}
	}
	checks := reflect.ValueOf(&r.Checks).Elem()
	for i := range checks.NumField() {
		checks.Field(i).SetString(g.text())
	}
	return r
}

// checkSameAnswer fails t unless appendJSON wrote what json.Marshal
// writes for v, or failed as it fails.
func checkSameAnswer(t *testing.T, v any, got []byte, gotErr error) {
	t.Helper()
	want, wantErr := json.Marshal(v)
	if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
		t.Fatalf("%+v:\nappendJSON error %v\njson.Marshal error %v", v, gotErr, wantErr)
	}
	if gotErr == nil && !bytes.Equal(got, want) {
		t.Fatalf("%+v:\nappendJSON   %s\njson.Marshal %s", v, got, want)
	}
}

func TestScreenResponseAppendJSON(t *testing.T) {
	g := answerGen{rand.New(rand.NewPCG(7, 11))}
	for range 20000 {
		r := g.screenResponse()
		b, err := r.appendJSON([]byte("prefix"))
		if err == nil {
			if !bytes.HasPrefix(b, []byte("prefix")) {
				t.Fatalf("appendJSON lost what it appended to: %q", b)
			}
			b = b[len("prefix"):]
		}
		checkSameAnswer(t, r, b, err)
	}
	// Values json.Marshal refuses.
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		r := &screenResponse{Hits: []screening.Hit{{Score: f}}}
		b, err := r.appendJSON(nil)
		checkSameAnswer(t, r, b, err)
		r = &screenResponse{Hits: []screening.Hit{{Explanation: &matcher.Explanation{Score: f}}}}
		b, err = r.appendJSON(nil)
		checkSameAnswer(t, r, b, err)
	}
}

func TestGateEventResponseAppendJSON(t *testing.T) {
	g := answerGen{rand.New(rand.NewPCG(13, 17))}
	for range 20000 {
		r := g.gateEventResponse()
		b, err := r.appendJSON(nil)
		checkSameAnswer(t, r, b, err)
	}
}

// FuzzScreenResponseAppendJSON writes answers of fuzzed strings and
// scores with appendJSON and json.Marshal.
func FuzzScreenResponseAppendJSON(f *testing.F) {
	for _, s := range answerBits {
		f.Add(s, s+"<x>", 0.5, uint64(1), true)
	}
	f.Fuzz(func(t *testing.T, a, b string, score float64, version uint64, mrz bool) {
		r := &screenResponse{Decision: screening.Outcome(a), DecisionID: b, Reasons: []string{b, a},
			Hits: []screening.Hit{{Kind: screening.HitKind(b), List: a, Score: score, Detail: a + b}}, WatchlistVersion: version,
			DocumentVersion: version / 3, AlgorithmVersion: a, ElapsedMicros: int64(version)}
		if mrz {
			r.MRZ = &mrzResult{Format: a, FailedChecks: []string{b}, Problems: []string{}}
			r.Hits[0].Explanation = &matcher.Explanation{QueryName: a, ListedName: b, Score: score}
		}
		got, err := r.appendJSON(nil)
		checkSameAnswer(t, r, got, err)
	})
}

// BenchmarkScreenAnswer compares writeAnswer with writeJSON, which goes
// through json.Marshal, on an answer with two hits, with the explanation
// the engine gives a name hit (written by its own MarshalJSON either way)
// and without:
//
//	go test ./screening/httpapi -run '^$' -bench ScreenAnswer -count 6 | benchstat -col /impl -
func BenchmarkScreenAnswer(b *testing.B) {
	for _, explained := range []bool{true, false} {
		r := &screenResponse{Decision: screening.Refer, DecisionID: "01JD0Q9Z3N8X4T5V6W7Y8Z9A0B", WatchlistVersion: 81234,
			DocumentVersion: 512, AlgorithmVersion: "portcullis-matcher/3", ElapsedMicros: 412,
			Reasons: []string{"MRZ check digit failed: date of birth"},
			Hits: []screening.Hit{
				{Kind: screening.HitName, List: "un-sc", EntryID: "QDi.431", Score: 0.9312, Strong: true, Action: "deny"},
				{Kind: screening.HitDocument, List: "ops", EntryID: "P-1", Score: 1, Action: "refer", Detail: "P RUS 751234567"},
			},
			MRZ: &mrzResult{Format: "TD3", FailedChecks: []string{"birth_date"}}}
		if explained {
			r.Hits[0].Explanation = &matcher.Explanation{QueryName: "IVAN PETROV", ListedName: "IVAN IVANOVICH PETROV",
				NameScore: 0.95, Namesakes: 0.02, Score: 0.9312, Algorithm: "portcullis-matcher/3"}
		}
		for _, impl := range []struct {
			name  string
			write func(*fasthttp.RequestCtx) error
		}{
			{"encoding-json", func(ctx *fasthttp.RequestCtx) error { return writeJSON(ctx, 200, r) }},
			{"jsonwire", func(ctx *fasthttp.RequestCtx) error { return writeAnswer(ctx, 200, r) }},
		} {
			b.Run(fmt.Sprintf("explained=%v/impl=%s", explained, impl.name), func(b *testing.B) {
				var ctx fasthttp.RequestCtx
				b.ReportAllocs()
				for b.Loop() {
					if err := impl.write(&ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
