package screening

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/bordersec/portcullis/matcher"
)

// Source gives the engine the watchlists and their changes. store.DB
// implements it.
type Source interface {
	// Snapshot calls fn with every entry of every list from one consistent
	// snapshot and returns the audit sequence number and the watchlist
	// version of that snapshot.
	Snapshot(ctx context.Context, fn func(*Entry) error) (seq, version uint64, err error)
	// ChangesAfter calls fn with every change after seq, oldest first.
	ChangesAfter(ctx context.Context, seq uint64, fn func(*Change) error) error
}

// DocumentCheck is what the lost, stolen and invalid documents list says of
// one document: Listed when the document is on it for that issuing state and
// type, Near when only a number with look-alike characters swapped is.
type DocumentCheck struct {
	Listed *DocumentEntry
	Near   *DocumentEntry
}

// DocumentChecker answers whether a travel document is on the lost, stolen
// and invalid documents list.
type DocumentChecker interface {
	CheckDocument(ctx context.Context, d Document) (DocumentCheck, error)
	DocumentVersion() uint64
}

// Options configures an Engine. The zero value means the defaults.
type Options struct {
	// ReferThreshold is the score from which a name hit is reported.
	// Default matcher.DefaultReferThreshold.
	ReferThreshold float64
	// StrongThreshold is the score from which a name hit is strong.
	// Default matcher.DefaultStrongThreshold.
	StrongThreshold float64
	// MaxHits is the most hits a decision lists. Default 10.
	MaxHits int
	// Deadline bounds one screening; a screening that cannot finish in
	// time is REFER. Default 50 ms.
	Deadline time.Duration
	// CacheSize is how many recent decisions are kept, keyed by the
	// normalised input and the list versions. 0 means 100,000; negative
	// disables the cache.
	CacheSize int
	// SyncInterval is how often the engine reads the store's change feed
	// in the background. Default 500 ms.
	SyncInterval time.Duration
	// Documents checks the lost and stolen documents list; nil for none.
	Documents DocumentChecker
	// Now gives the date against which listing windows are checked.
	// Default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.ReferThreshold == 0 {
		o.ReferThreshold = matcher.DefaultReferThreshold
	}
	if o.StrongThreshold == 0 {
		o.StrongThreshold = matcher.DefaultStrongThreshold
	}
	if o.MaxHits <= 0 {
		o.MaxHits = 10
	}
	if o.Deadline <= 0 {
		o.Deadline = 50 * time.Millisecond
	}
	if o.CacheSize == 0 {
		o.CacheSize = 100_000
	}
	if o.SyncInterval <= 0 {
		o.SyncInterval = 500 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return o
}

// entryMeta is what the engine keeps in memory of an entry beside the
// matcher's index: enough to turn a match into a hit without reading the
// store.
type entryMeta struct {
	list, id    string
	kind        Kind
	action      Action
	from, until Date
	docs        []string // document keys of the entry
}

// Engine screens travellers against the watchlists it holds in memory,
// follows the store's change feed to stay current, and turns hits into
// decisions.
//
// An Engine is safe for concurrent use.
type Engine struct {
	opts Options
	src  Source
	idx  *matcher.Index
	log  *slog.Logger

	mu      sync.RWMutex
	meta    map[string]*entryMeta // by matcher key "list/id"
	docIdx  map[string][]string   // document key -> matcher keys
	seq     uint64                // last change applied
	version atomic.Uint64         // watchlist version of the last change applied
	ready   atomic.Bool
	warmed  chan struct{} // closed by endWarm
	endOnce sync.Once

	syncMu sync.Mutex
	cache  *lru.Cache[cacheKey, *Decision]

	stop chan struct{}
	wg   sync.WaitGroup
}

// cacheKey is what a decision depends on: the input, the lists' versions
// and the day (entries are listed from and until a date, and documents
// expire).
type cacheKey struct {
	digest  [32]byte
	version uint64
	docVer  uint64
	day     Date
}

// New returns an Engine over src. It holds nothing until Open.
func New(src Source, opts Options) *Engine {
	o := opts.withDefaults()
	e := &Engine{
		opts:   o,
		src:    src,
		idx:    matcher.NewIndex(matcher.Options{}),
		log:    o.Logger,
		meta:   map[string]*entryMeta{},
		docIdx: map[string][]string{},
		stop:   make(chan struct{}),
		warmed: make(chan struct{}),
	}
	if o.CacheSize > 0 {
		e.cache, _ = lru.New[cacheKey, *Decision](o.CacheSize)
	}
	return e
}

// Open loads every list from the source into memory and starts following
// the change feed.
func (e *Engine) Open(ctx context.Context) error {
	start := time.Now()
	entries := make(chan *Entry, 1024)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for en := range entries {
				e.upsert(en)
			}
		}()
	}
	n := 0
	seq, version, err := e.src.Snapshot(ctx, func(en *Entry) error {
		n++
		select {
		case entries <- en:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(entries)
	wg.Wait()
	if err != nil {
		return fmt.Errorf("load watchlists: %w", err)
	}
	e.mu.Lock()
	e.seq = seq
	e.mu.Unlock()
	e.version.Store(version)
	if err := e.Sync(ctx); err != nil {
		return err
	}
	e.ready.Store(true)
	e.log.Info("watchlists loaded", "entries", n, "seconds", time.Since(start).Seconds())
	e.wg.Add(2)
	go e.follow()
	go e.warm()
	return nil
}

// warm fills the matcher's cache of word matches in the background, so
// that the first travellers after a start are not the slowest screened.
func (e *Engine) warm() {
	defer e.wg.Done()
	defer e.endWarm()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-e.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	start := time.Now()
	n, err := e.idx.Warm(ctx, matcher.DefaultWarmWords)
	if err != nil {
		return // stopped
	}
	e.log.Info("matcher warmed", "words", n, "seconds", time.Since(start).Seconds())
}

// Close stops following the change feed and the matcher's warm-up, and
// waits for both.
func (e *Engine) Close() error {
	select {
	case <-e.stop:
	default:
		close(e.stop)
	}
	e.wg.Wait()
	e.endWarm() // when Open never started the warm-up
	return nil
}

// endWarm closes warmed, once.
func (e *Engine) endWarm() { e.endOnce.Do(func() { close(e.warmed) }) }

// Ready reports whether Open has loaded the lists.
func (e *Engine) Ready() bool { return e.ready.Load() }

// Warmed is closed once the matcher's warm-up, started by a successful
// Open, has ended, and at the latest by Close. Screening works before; the
// first searches are slower.
func (e *Engine) Warmed() <-chan struct{} { return e.warmed }

// Version returns the watchlist version the engine screens against.
func (e *Engine) Version() uint64 { return e.version.Load() }

// Len returns the number of entries held.
func (e *Engine) Len() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.meta)
}

// ListSizes returns the number of entries held per list.
func (e *Engine) ListSizes() map[string]int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := map[string]int{}
	for _, m := range e.meta {
		out[m.list]++
	}
	return out
}

func (e *Engine) follow() {
	defer e.wg.Done()
	t := time.NewTicker(e.opts.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-e.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := e.Sync(ctx); err != nil {
				e.log.Error("follow watchlist changes", "err", err)
			}
			cancel()
		}
	}
}

// Sync applies the changes the store made since the engine last looked.
// Operator writes call it so that their change is screened against at
// once; a background loop calls it too.
func (e *Engine) Sync(ctx context.Context) error {
	e.syncMu.Lock()
	defer e.syncMu.Unlock()
	e.mu.RLock()
	after := e.seq
	e.mu.RUnlock()
	// The changes of one import share a Seq. The engine moves past a Seq
	// only once all its changes are applied: a follow cut short in the
	// middle of an import (deadline, read error) reads it again next time
	// (applying a change twice is harmless), rather than skip the rest.
	last, lastVersion := after, uint64(0) // the last Seq applied in full
	cur, curVersion := after, uint64(0)   // the Seq being applied
	err := e.src.ChangesAfter(ctx, after, func(c *Change) error {
		if c.Seq != cur {
			last, lastVersion = cur, curVersion
			cur = c.Seq
		}
		curVersion = c.Version
		e.apply(c)
		return nil
	})
	if err == nil {
		last, lastVersion = cur, curVersion
	}
	if last > after {
		e.mu.Lock()
		e.seq = last
		e.mu.Unlock()
		e.version.Store(lastVersion)
	}
	if err != nil {
		return fmt.Errorf("follow watchlist changes: %w", err)
	}
	return nil
}

// apply makes one change visible to screening.
func (e *Engine) apply(c *Change) {
	switch {
	case c.Op == OpDeleteList:
		e.removeList(c.List)
	case c.After != nil:
		e.upsert(c.After)
	case c.Before != nil:
		e.remove(matcherKey(c.List, c.ID))
	}
}

func matcherKey(list, id string) string { return list + "/" + id }

func docKey(country string, class byte, number string) string {
	if class == 0 {
		class = '*'
	}
	return country + "|" + string(class) + "|" + number
}

// upsert adds or replaces an entry in the index and the maps.
func (e *Engine) upsert(en *Entry) {
	key := matcherKey(en.List, en.ID)
	m := &entryMeta{list: en.List, id: en.ID, kind: en.Kind, action: en.Action,
		from: en.ListedFrom, until: en.ListedUntil}
	for _, d := range en.Documents {
		if n := NormalizeDocNumber(d.Number); n != "" {
			m.docs = append(m.docs, docKey(d.Country, DocClass(d.Type), n))
		}
	}
	if err := e.idx.Upsert(recordOf(key, en)); err != nil {
		// The entry stays known for its documents; its names cannot be
		// matched, which the log must say.
		e.idx.Remove(key)
		e.log.Warn("entry's names cannot be indexed", "list", en.List, "id", en.ID, "err", err)
	}
	e.mu.Lock()
	if old := e.meta[key]; old != nil {
		e.unindexDocs(key, old)
	}
	e.meta[key] = m
	for _, dk := range m.docs {
		e.docIdx[dk] = append(e.docIdx[dk], key)
	}
	e.mu.Unlock()
}

func (e *Engine) remove(key string) {
	e.idx.Remove(key)
	e.mu.Lock()
	if old := e.meta[key]; old != nil {
		e.unindexDocs(key, old)
		delete(e.meta, key)
	}
	e.mu.Unlock()
}

func (e *Engine) removeList(list string) {
	e.mu.RLock()
	var keys []string
	for k, m := range e.meta {
		if m.list == list {
			keys = append(keys, k)
		}
	}
	e.mu.RUnlock()
	for _, k := range keys {
		e.remove(k)
	}
}

// unindexDocs removes key from the document index. Callers hold mu.
func (e *Engine) unindexDocs(key string, m *entryMeta) {
	for _, dk := range m.docs {
		keys := e.docIdx[dk]
		out := keys[:0]
		for _, k := range keys {
			if k != key {
				out = append(out, k)
			}
		}
		if len(out) == 0 {
			delete(e.docIdx, dk)
		} else {
			e.docIdx[dk] = out
		}
	}
}

// recordOf turns an entry into what the matcher indexes.
func recordOf(key string, en *Entry) matcher.Record {
	r := matcher.Record{Key: key, Kind: matcher.Person, Nationalities: en.Nationalities}
	if en.Kind == KindOrganization {
		r.Kind = matcher.Organization
		r.Nationalities = en.Countries
	}
	r.Names = make([]matcher.RecordName, len(en.Names))
	for i, n := range en.Names {
		r.Names[i] = matcher.RecordName{Full: n.Full, Given: n.Given, Family: n.Family, Weak: n.Weak()}
	}
	if len(en.BirthDates) > 0 {
		r.BirthDates = make([]matcher.Date, len(en.BirthDates))
		for i, d := range en.BirthDates {
			r.BirthDates[i] = matcherDate(d)
		}
	}
	if en.Gender != "" {
		r.Gender = en.Gender[0]
	}
	return r
}

func matcherDate(d Date) matcher.Date {
	return matcher.Date{Year: d.Year, Month: d.Month, Day: d.Day, ToYear: d.ToYear}
}

// Decision is the engine's answer about one traveller.
type Decision struct {
	Outcome          Outcome       `json:"decision"`
	Hits             []Hit         `json:"hits"`
	Reasons          []string      `json:"reasons,omitempty"`
	WatchlistVersion uint64        `json:"watchlist_version"`
	DocumentVersion  uint64        `json:"document_version,omitempty"`
	AlgorithmVersion string        `json:"algorithm_version"`
	Elapsed          time.Duration `json:"-"`
	// Cached says the decision came from the cache of recent decisions.
	Cached bool `json:"-"`
	// Digest is the SHA-256 of the normalised input, hex.
	Digest string `json:"-"`
}

// ValidateTraveller checks that a traveller can be screened: a name (or
// surname) of sane length, a valid birth date, nationality and document.
func ValidateTraveller(t *Traveller) error {
	name := strings.TrimSpace(t.FullName())
	if name == "" {
		if t.Name == "" && t.Surname == "" {
			return invalid("name", "", "a name, or a surname and given names, is required")
		}
		return invalid("name", "", "empty")
	}
	if t.Name != "" && (t.Surname != "" || t.GivenNames != "") {
		return invalid("name", t.Name, "give either name or surname and given_names, not both")
	}
	for _, f := range []struct{ field, v string }{{"name", t.Name}, {"surname", t.Surname}, {"given_names", t.GivenNames}} {
		if len(f.v) > MaxNameLen {
			return invalid(f.field, "", "longer than %d bytes", MaxNameLen)
		}
		if err := (Name{Full: f.v}).validate(); err != nil && f.v != "" {
			var ve *ValidationError
			if errors.As(err, &ve) {
				return &ValidationError{Field: f.field, Value: ve.Value, Err: ve.Err}
			}
			return prefixField(f.field, err)
		}
	}
	if err := t.BirthDate.Validate(); err != nil {
		return &ValidationError{Field: "birth_date", Value: t.BirthDate.String(), Err: err}
	}
	if t.Nationality != "" && !IsCountryCode(t.Nationality) {
		return invalid("nationality", t.Nationality, "not an ISO 3166 alpha-3 or ICAO code")
	}
	switch t.Gender {
	case GenderUnknown, GenderMale, GenderFemale, GenderOther:
	default:
		return invalid("gender", string(t.Gender), "want M, F, X or empty")
	}
	if t.Document != nil {
		if err := t.Document.Validate(); err != nil {
			return prefixField("document", err)
		}
	}
	return nil
}

// digest returns the SHA-256 of the traveller as the engine reads it.
func digest(t *Traveller) [32]byte {
	b, _ := json.Marshal(t)
	return sha256.Sum256(b)
}

// Screen decides about one traveller. An invalid traveller is an error
// matching ErrInvalid; everything else, including a deadline the engine
// could not meet, is a Decision: REFER when in doubt, never CLEAR.
func (e *Engine) Screen(ctx context.Context, t *Traveller) (*Decision, error) {
	start := time.Now()
	if err := ValidateTraveller(t); err != nil {
		return nil, err
	}
	d := e.screen(ctx, t, nil)
	d.Elapsed = time.Since(start)
	return d, nil
}

// screen runs one validated screening under the engine's deadline. memo,
// when not nil, shares name searches between the passengers of a manifest.
func (e *Engine) screen(ctx context.Context, t *Traveller, memo *searchMemo) (d *Decision) {
	ctx, cancel := context.WithTimeout(ctx, e.opts.Deadline)
	defer cancel()
	defer func() {
		// A bug must not clear a traveller, nor take the server down with
		// a manifest's goroutine: it is a REFER, and a log line.
		if r := recover(); r != nil {
			e.log.Error("screening panicked", "panic", fmt.Sprint(r))
			d = e.incomplete(&Decision{Hits: []Hit{}, WatchlistVersion: e.version.Load(),
				AlgorithmVersion: matcher.AlgorithmVersion}, "internal error")
		}
	}()
	version := e.version.Load()
	var docVer uint64
	if e.opts.Documents != nil {
		docVer = e.opts.Documents.DocumentVersion()
	}
	sum := digest(t)
	today := DateOf(e.opts.Now())
	key := cacheKey{digest: sum, version: version, docVer: docVer, day: today}
	if e.cache != nil {
		if d, ok := e.cache.Get(key); ok {
			c := *d
			c.Cached = true
			return &c
		}
	}
	d = &Decision{Outcome: Clear, WatchlistVersion: version, DocumentVersion: docVer,
		AlgorithmVersion: matcher.AlgorithmVersion, Digest: hex.EncodeToString(sum[:])}
	if !e.ready.Load() {
		return e.incomplete(d, "watchlists are not loaded yet")
	}
	matches, err := memo.search(ctx, e, t)
	if errors.Is(err, matcher.ErrNoName) {
		d.Outcome = Refer
		d.Reasons = append(d.Reasons, "the name has nothing the matcher can read (no letters of a supported script, or initials only): a person must look")
	} else if errors.Is(err, matcher.ErrDeadline) {
		return e.incomplete(d, "deadline reached during name search")
	} else if err != nil {
		return e.incomplete(d, "name search failed")
	}
	if err := ctx.Err(); err != nil {
		return e.incomplete(d, "deadline reached during name search")
	}
	d.Hits = e.listedHits(d.Hits, matches, t, today)

	if t.Document != nil && e.opts.Documents != nil {
		chk, err := e.opts.Documents.CheckDocument(ctx, *t.Document)
		switch {
		case err != nil && ctx.Err() != nil:
			return e.incomplete(d, "deadline reached during the document check")
		case err != nil:
			e.log.Error("document check", "err", err)
			return e.incomplete(d, "the document list could not be read")
		case chk.Listed != nil:
			detail := "document reported " + string(chk.Listed.Status)
			if !chk.Listed.Reported.IsZero() {
				detail += " on " + chk.Listed.Reported.String()
			}
			d.Hits = append(d.Hits, Hit{Kind: HitListedDocument, List: "documents", EntryID: documentID(chk.Listed),
				Score: 1, Strong: true, Action: ActionDeny, Status: string(chk.Listed.Status), Detail: detail})
		case chk.Near != nil:
			detail := "the number matches a listed " + string(chk.Near.Status) + " document only after swapping look-alike characters (O/0, I/1, S/5, B/8)"
			if t.Document.Country == "" || DocClass(t.Document.Type) == 0 {
				detail = "a listed " + string(chk.Near.Status) + " document has this number, but the traveller's document gives no issuing state or type to compare"
			}
			d.Hits = append(d.Hits, Hit{Kind: HitNearDocument, List: "documents", EntryID: documentID(chk.Near),
				Score: 0.9, Action: ActionRefer, Status: string(chk.Near.Status), Detail: detail})
		}
	}
	e.decide(d)
	if err := ctx.Err(); err != nil {
		return e.incomplete(d, "deadline reached")
	}
	if e.cache != nil {
		c := *d
		e.cache.Add(key, &c)
	}
	return d
}

// incomplete turns d into the fail-safe answer: REFER, with the reason.
func (e *Engine) incomplete(d *Decision, reason string) *Decision {
	d.Outcome = Refer
	d.Reasons = append(d.Reasons, "engine could not complete the screening: "+reason)
	return d
}

func documentID(d *DocumentEntry) string {
	return d.Country + "/" + d.Type + "/" + NormalizeDocNumber(d.Number)
}

func (m *entryMeta) listedOn(day Date) bool {
	if !m.from.IsZero() && day.Time().Before(m.from.Time()) {
		return false
	}
	if !m.until.IsZero() && day.Time().After(m.until.Time()) {
		return false
	}
	return true
}

// entryDocumentHits finds person entries that list the traveller's
// document. The same number under another issuing state or document class
// is not a hit; a listed document with no state or type matches any, as a
// weaker hit. Callers hold mu.
func (e *Engine) entryDocumentHits(doc *Document, today Date) []Hit {
	num := NormalizeDocNumber(doc.Number)
	if num == "" {
		return nil
	}
	class := DocClass(doc.Type)
	var out []Hit
	seen := map[string]bool{}
	try := func(country string, cls byte, exact bool) {
		for _, k := range e.docIdx[docKey(country, cls, num)] {
			meta := e.meta[k]
			if meta == nil || seen[k] || !meta.listedOn(today) {
				continue
			}
			seen[k] = true
			h := Hit{Kind: HitDocument, List: meta.list, EntryID: meta.id, Score: 1, Strong: exact, Action: meta.action,
				Detail: "the document " + num + " is listed on this entry"}
			if !exact {
				h.Score = 0.9
				h.Detail += " without an issuing state or type to compare"
			}
			out = append(out, h)
		}
	}
	country := doc.Country
	try(country, class, class != 0 && country != "")
	if class != 0 {
		try(country, 0, false)
	}
	if country != "" {
		try("", class, false)
		try("", 0, false)
	}
	return out
}

// decide turns the hits into the outcome: DENY for a strong hit on a deny
// entry or a listed document; REFER for any other hit that is not only
// monitored; CLEAR otherwise. Hits are sorted strongest first and cut to
// MaxHits.
func (e *Engine) decide(d *Decision) {
	sort.SliceStable(d.Hits, func(i, j int) bool {
		if d.Hits[i].Score != d.Hits[j].Score {
			return d.Hits[i].Score > d.Hits[j].Score
		}
		return d.Hits[i].EntryID < d.Hits[j].EntryID
	})
	if len(d.Hits) > e.opts.MaxHits {
		d.Hits = d.Hits[:e.opts.MaxHits]
	}
	outcome := Clear
	for _, h := range d.Hits {
		switch {
		case h.Action == ActionMonitor:
		case h.Action == ActionDeny && h.Strong:
			outcome = Deny
		case outcome != Deny:
			outcome = Refer
		}
	}
	if d.Outcome != Refer || outcome == Deny {
		d.Outcome = outcome
	}
	if d.Hits == nil {
		d.Hits = []Hit{}
	}
}

func round3(x float64) float64 { return float64(int64(x*1000+0.5)) / 1000 }

// queryOf turns a traveller into a matcher query.
func queryOf(t *Traveller) matcher.Query {
	q := matcher.Query{Kind: matcher.Person, Name: t.Name, Given: t.GivenNames, Family: t.Surname,
		BirthDate: matcherDate(t.BirthDate), Nationality: t.Nationality, Truncated: t.NameTruncated}
	if t.Gender != "" {
		q.Gender = t.Gender[0]
	}
	return q
}

// listedHits appends the hits of the entries listed today among matches,
// and of the entries that list the traveller's document, under the read
// lock (released even if something panics, so that Sync is never blocked).
func (e *Engine) listedHits(hits []Hit, matches []matcher.Match, t *Traveller, today Date) []Hit {
	e.mu.RLock()
	defer e.mu.RUnlock()
	for i := range matches {
		m := &matches[i]
		meta := e.meta[m.Key]
		if meta == nil || !meta.listedOn(today) {
			continue
		}
		ex := m.Explanation
		// Strong needs the name itself to be strong, not evidence lifting
		// a weaker name over the line: DENY rests on the name.
		strong := m.Strong && m.NameScore >= e.opts.StrongThreshold
		hits = append(hits, Hit{Kind: HitName, List: meta.list, EntryID: meta.id, Score: round3(m.Score),
			Strong: strong, Action: meta.action, Explanation: &ex})
	}
	if t.Document != nil {
		hits = append(hits, e.entryDocumentHits(t.Document, today)...)
	}
	return hits
}

// errSearchFailed is what a shared search answers when it did not return
// (it panicked): the screening is incomplete.
var errSearchFailed = errors.New("screening: the name search did not finish")

// searchMemo shares name searches between the passengers of one manifest:
// two passengers with the same name, date of birth, nationality and gender
// get one search. A nil memo searches every time.
type searchMemo struct {
	mu sync.Mutex
	m  map[matcher.Query]*memoEntry
}

type memoEntry struct {
	once    sync.Once
	matches []matcher.Match
	err     error
}

func (m *searchMemo) search(ctx context.Context, e *Engine, t *Traveller) ([]matcher.Match, error) {
	q := queryOf(t)
	opts := matcher.SearchOptions{Threshold: e.opts.ReferThreshold, StrongThreshold: e.opts.StrongThreshold, MaxHits: e.opts.MaxHits}
	if m == nil {
		return e.idx.SearchContext(ctx, q, opts)
	}
	return m.share(q, func() ([]matcher.Match, error) { return e.idx.SearchContext(ctx, q, opts) })
}

// share runs search once for all the passengers asking q. A search that
// panics leaves errSearchFailed for those who share it: they are
// referred, never cleared.
func (m *searchMemo) share(q matcher.Query, search func() ([]matcher.Match, error)) ([]matcher.Match, error) {
	m.mu.Lock()
	me := m.m[q]
	if me == nil {
		me = &memoEntry{}
		m.m[q] = me
	}
	m.mu.Unlock()
	me.once.Do(func() {
		me.err = errSearchFailed
		me.matches, me.err = search()
	})
	return me.matches, me.err
}

// ManifestResult is one passenger's outcome in a manifest: a decision, or
// the error that made the passenger's data unreadable.
type ManifestResult struct {
	Decision *Decision
	Err      error
}

// DataQualityDecision is the REFER of a traveller whose data could not be
// screened, saying why: never CLEAR, never a board.
func (e *Engine) DataQualityDecision(reason string) *Decision {
	return &Decision{Outcome: Refer, Hits: []Hit{}, WatchlistVersion: e.version.Load(),
		AlgorithmVersion: matcher.AlgorithmVersion, Reasons: []string{"data quality: " + reason}}
}

// ScreenMany screens the passengers of a manifest in parallel, sharing
// identical name searches. check decides whether a passenger's data can be
// screened (nil: ValidateTraveller; CheckAPIData for advance passenger
// data); a passenger it refuses is not screened and gets the data-quality
// REFER (DataQualityDecision) and an Err: the rest of the manifest is
// still answered.
func (e *Engine) ScreenMany(ctx context.Context, ts []*Traveller, check func(*Traveller) error) []ManifestResult {
	if check == nil {
		check = ValidateTraveller
	}
	out := make([]ManifestResult, len(ts))
	memo := &searchMemo{m: make(map[matcher.Query]*memoEntry, len(ts))}
	workers := min(len(ts), max(1, runtime.GOMAXPROCS(0)))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ts) {
					return
				}
				start := time.Now()
				if err := check(ts[i]); err != nil {
					out[i] = ManifestResult{Decision: e.DataQualityDecision(err.Error()), Err: err}
					continue
				}
				d := e.screen(ctx, ts[i], memo)
				d.Elapsed = time.Since(start)
				out[i] = ManifestResult{Decision: d}
			}
		}()
	}
	wg.Wait()
	return out
}
