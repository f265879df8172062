package gate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/mrz"
)

// Screener screens a traveller against the watchlists and the lost and
// stolen documents list. *screening.Engine implements it.
type Screener interface {
	Screen(ctx context.Context, t *screening.Traveller) (*screening.Decision, error)
}

var _ Screener = (*screening.Engine)(nil)

// Options configures a Service. Config, Screener, Log and Digester are
// required; the zero value of the others means their defaults.
type Options struct {
	Config   *Config
	Screener Screener
	Log      Log
	Digester *Digester
	Memory   MemoryOptions
	// Deadline bounds the watchlist and document screening of one event;
	// an event that cannot be screened in time is referred. Default 50 ms.
	Deadline time.Duration
	// Now is the server's clock. Default time.Now.
	Now    func() time.Time
	Logger *slog.Logger
}

// Service decides gate and kiosk events: it validates an event, combines
// the device's checks with the engine's watchlist and document screening and
// with what the recent-use memory knows of the document, records the event
// and its decision durably, and answers ACCEPT or REFER with every reason.
//
// A Service is safe for concurrent use.
type Service struct {
	cfg      *compiled
	screener Screener
	log      Log
	dig      *Digester
	mem      *Memory
	deadline time.Duration
	now      func() time.Time
	logger   *slog.Logger
	ready    atomic.Bool
}

// New returns a Service. It decides nothing until Open has rebuilt the
// recent-use memory from the log.
func New(o Options) (*Service, error) {
	if o.Config == nil || o.Screener == nil || o.Log == nil || o.Digester == nil {
		return nil, errors.New("gate: Config, Screener, Log and Digester are required")
	}
	cc, err := compile(o.Config)
	if err != nil {
		return nil, err
	}
	if o.Deadline <= 0 {
		o.Deadline = 50 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Service{cfg: cc, screener: o.Screener, log: o.Log, dig: o.Digester,
		mem: NewMemory(o.Memory, cc.horizon), deadline: o.Deadline, now: o.Now, logger: o.Logger}, nil
}

// Open rebuilds the recent-use memory from the events the log holds within
// the horizon, oldest first, and makes the service ready. It returns the
// number of events replayed.
func (s *Service) Open(ctx context.Context) (int, error) {
	from := s.now().Add(-s.cfg.horizon - s.cfg.clockSkew)
	n := 0
	err := s.log.Events(ctx, Query{From: from}, func(r *Record) error {
		n++
		s.replay(r)
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("gate: rebuild the recent-use memory from the event log: %w", err)
	}
	s.ready.Store(true)
	return n, nil
}

// replay puts a logged event back into the memory. Events of gates no
// longer configured are skipped: their port and travel times are unknown.
func (s *Service) replay(r *Record) {
	g := s.cfg.byID[r.Gate]
	d, err := ParseDigest(r.Document.Digest)
	if g == nil || err != nil {
		return
	}
	failed := r.Checks.Face == Failed || r.Checks.Liveness == Failed || r.Checks.Morph == Failed
	u := packUse(memSeconds(r.Time), g.idx, g.portIdx, r.Direction == Exit, r.Decision == Accept, failed)
	s.mem.replay(d.hash64(), u)
}

// Ready reports whether Open has rebuilt the memory.
func (s *Service) Ready() bool { return s.ready.Load() }

// Memory returns the recent-use memory's figures.
func (s *Service) Memory() MemoryStats { return s.mem.Stats() }

// Horizon returns how long a use is remembered: the longest minimum travel
// time between two configured ports, or the longest reuse or probe window,
// plus the oldest event accepted and the clock skew allowed.
func (s *Service) Horizon() time.Duration { return s.cfg.horizon }

// DocumentDigest returns the hex digest under which the log indexes a
// document, for queries by document.
func (s *Service) DocumentDigest(doc screening.Document) string {
	doc.Normalize()
	doc.Country = mrz.Country(doc.Country)
	return s.dig.Document(doc).String()
}

// Result is the answer to one event.
type Result struct {
	EventID  string
	Decision Outcome
	// Reasons lists every reason to refer; empty for Accept.
	Reasons []Reason
	// Checks gives the status of every check, NotDone for those not done.
	Checks  Checks
	Hits    []screening.Hit
	Gate    string
	Profile string
	// WatchlistVersion, DocumentVersion and AlgorithmVersion are those of
	// the engine's screening.
	WatchlistVersion uint64
	DocumentVersion  uint64
	AlgorithmVersion string
	Elapsed          time.Duration
	// Screening is the part of Elapsed spent screening the holder against
	// the watchlists and documents; Recording the part spent waiting for
	// the event's record to be durable.
	Screening, Recording time.Duration
}

// Decide decides one event and returns once its record is durable. An event
// that breaks the rules of Config.ValidateEvent is an error matching
// screening.ErrInvalid (a *screening.ValidationError naming the field);
// anything the engine cannot check is a REFER with its reason, never an
// error and never an ACCEPT. A failure to record the event is an error: the
// caller must not answer with a decision that was not recorded.
func (s *Service) Decide(ctx context.Context, ev *Event, keyID string) (res *Result, err error) {
	start := time.Now()
	if !s.ready.Load() {
		return nil, ErrNotReady
	}
	received := s.now()
	p, err := s.cfg.prepare(ev, received)
	if err != nil {
		return nil, err
	}
	defer func() {
		if v := recover(); v != nil {
			s.logger.Error("gate decision panicked", "gate", ev.Gate, "panic", fmt.Sprint(v))
			res, err = nil, fmt.Errorf("gate: decide event: internal error")
		}
	}()
	d := &decision{prof: p.gate.profile, checks: notDone()}
	d.readDocument(p)
	d.readChip(ev.Chip)
	d.readBiometrics(ev)
	doc := d.identity(p)
	sctx, cancel := context.WithTimeout(ctx, s.deadline)
	screenStart := time.Now()
	d.screen(sctx, s.screener, p)
	screened := time.Since(screenStart)
	cancel()
	d.require()

	digest := s.dig.Document(doc)
	secs := memSeconds(ev.Time)
	failed := d.checks.Face == Failed || d.checks.Liveness == Failed || d.checks.Morph == Failed
	var ru recentUse
	s.mem.observe(digest.hash64(), func(r *recent) use {
		ru = s.checkRecent(r, p.gate, secs, ev.Direction, failed)
		accepted := len(d.reasons) == 0 && len(ru.clones) == 0 && !ru.probing
		return packUse(secs, p.gate.idx, p.gate.portIdx, ev.Direction == Exit, accepted, failed)
	})
	d.recentReasons(s.cfg, p.gate, ru)

	res = &Result{
		EventID: screening.NewDecisionID(ev.Time), Decision: Accept, Reasons: d.reasons, Checks: d.checks,
		Hits: d.hits, Gate: p.gate.id, Profile: p.gate.profile.Name,
		WatchlistVersion: d.watchlistVersion, DocumentVersion: d.documentVersion, AlgorithmVersion: d.algorithm,
	}
	if len(res.Reasons) > 0 {
		res.Decision = Refer
	}
	if res.Hits == nil {
		res.Hits = []screening.Hit{}
	}
	attempt := ev.Attempt
	if attempt == 0 {
		attempt = 1
	}
	rec := &Record{
		ID: res.EventID, Time: ev.Time.UTC(), Received: received.UTC(), KeyID: keyID,
		Gate: p.gate.id, Port: p.gate.port, Class: p.gate.class, Profile: p.gate.profile.Name,
		Direction: ev.Direction, Attempt: attempt, Reference: ev.Reference,
		Document: DocumentRef{Digest: digest.String(), Type: doc.Type, Country: doc.Country},
		Checks:   d.checks, Scores: d.scores, Decision: res.Decision, Reasons: res.Reasons,
		Hits:             redactHits(d.hits),
		WatchlistVersion: d.watchlistVersion, DocumentVersion: d.documentVersion, AlgorithmVersion: d.algorithm,
		ElapsedMicros: time.Since(start).Microseconds(),
	}
	recordStart := time.Now()
	if err := s.log.Record(ctx, rec); err != nil {
		return nil, fmt.Errorf("gate: record event %s: %w", rec.ID, err)
	}
	res.Screening, res.Recording = screened, time.Since(recordStart)
	res.Elapsed = time.Since(start)
	return res, nil
}

// redactHits copies hits without what they say of the traveller
// (screening.Hit.Redact).
func redactHits(hits []screening.Hit) []screening.Hit {
	if len(hits) == 0 {
		return nil
	}
	out := slices.Clone(hits)
	for i := range out {
		out[i].Redact()
	}
	return out
}

// decision is one event's decision as it is built.
type decision struct {
	prof    *Profile
	checks  Checks
	reasons []Reason
	// explained marks the checks that already have a reason, so that
	// require does not add a second one.
	explained        map[Check]bool
	hits             []screening.Hit
	scores           Scores
	watchlistVersion uint64
	documentVersion  uint64
	algorithm        string
}

// refer adds a reason, which explains the status of the checks given.
func (d *decision) refer(code Code, text string, checks ...Check) {
	r := Reason{Code: code, Text: text}
	if code == CodeCheckNotDone && len(checks) > 0 {
		r.Check = checks[0]
	}
	d.reasons = append(d.reasons, r)
	if d.explained == nil {
		d.explained = map[Check]bool{}
	}
	for _, c := range checks {
		d.explained[c] = true
	}
}

// readDocument checks the MRZs: check digits and fields, DG1 against the
// printed MRZ, and the expiry date.
func (d *decision) readDocument(p *prepared) {
	mrzStatus := Passed
	for _, side := range []struct {
		name string
		m    *mrz.MRZ
	}{{"printed MRZ", p.printed}, {"chip DG1", p.chip}} {
		if side.m == nil {
			continue
		}
		for _, c := range side.m.Failed() {
			mrzStatus = Failed
			d.refer(CodeMRZCheckDigit, side.name+": the check digit of the "+c.Field.Label()+" does not verify", CheckMRZ)
		}
		for _, fe := range side.m.Problems {
			mrzStatus = Failed
			// The field's label only: the reader's reason can quote the
			// field (a year of birth), which a record must not hold.
			d.refer(CodeMRZUnreadable, side.name+": the "+fe.Field.Label()+" cannot be read", CheckMRZ)
		}
	}
	d.checks.MRZ = mrzStatus

	// DG1 against the printed MRZ: the engine compares when it has both;
	// the device may have compared too.
	engine := NotDone
	var differ []string
	if p.printed != nil && p.chip != nil {
		differ = mrzDifferences(p.printed, p.chip)
		engine = Passed
		if len(differ) > 0 {
			engine = Failed
		}
	}
	device := NotDone
	if p.ev.Chip != nil && p.ev.Chip.DG1MatchesMRZ != "" {
		device = p.ev.Chip.DG1MatchesMRZ
	}
	switch {
	case engine == Failed:
		d.checks.DG1 = Failed
		d.refer(CodeChipMRZMismatch, "the chip's DG1 and the printed MRZ differ in: "+strings.Join(differ, ", ")+" (altered document)", CheckDG1)
	case device == Failed:
		d.checks.DG1 = Failed
		d.refer(CodeChipMRZMismatch, "the device reports that the chip's DG1 and the printed MRZ differ (altered document)", CheckDG1)
	case engine == Passed || device == Passed:
		d.checks.DG1 = Passed
	}

	// Expiry: by the chip when read, else the printed MRZ.
	m := p.chip
	if m == nil || m.ExpiryDate.Precision() != screening.PrecisionDay || m.ExpiryDate.Validate() != nil {
		m = p.printed
	}
	if m == nil || m.ExpiryDate.Precision() != screening.PrecisionDay || m.ExpiryDate.Validate() != nil {
		return // NotDone: always required
	}
	// The day is the port's: the later of the date in the event's own
	// offset and the latest date the port's zone can have.
	day := screening.DateOf(p.ev.Time).Time()
	if latest := screening.DateOf(p.ev.Time.UTC().Add(p.gate.latestOffset)).Time(); latest.After(day) {
		day = latest
	}
	exp := m.ExpiryDate.Time()
	if exp.Before(day) {
		d.checks.Expiry = Failed
		days := int(day.Sub(exp).Hours() / 24)
		d.refer(CodeDocumentExpired, "the document expired "+strconv.Itoa(days)+" day(s) before the event's local day", CheckExpiry)
		return
	}
	d.checks.Expiry = Passed
}

// mrzDifferences lists the fields in which two MRZs differ, by label.
func mrzDifferences(a, b *mrz.MRZ) []string {
	var out []string
	add := func(differ bool, f mrz.Field) {
		if differ {
			out = append(out, f.Label())
		}
	}
	if a.Format != b.Format {
		out = append(out, "format")
	}
	add(a.DocumentCode != b.DocumentCode, mrz.FieldDocumentCode)
	add(a.IssuingState != b.IssuingState, mrz.FieldIssuingState)
	add(a.Primary != b.Primary || a.Secondary != b.Secondary, mrz.FieldName)
	add(a.Number != b.Number, mrz.FieldDocumentNumber)
	add(a.Nationality != b.Nationality, mrz.FieldNationality)
	add(a.BirthDate != b.BirthDate, mrz.FieldBirthDate)
	add(a.Sex != b.Sex, mrz.FieldSex)
	add(a.ExpiryDate != b.ExpiryDate, mrz.FieldExpiryDate)
	add(a.Optional != b.Optional || a.Optional2 != b.Optional2, mrz.FieldOptionalData)
	if len(out) == 0 && !slices.Equal(a.Raw, b.Raw) {
		out = append(out, "check digits")
	}
	return out
}

// readChip takes the device's chip checks.
func (d *decision) readChip(ch *Chip) {
	if ch == nil {
		return
	}
	if ch.PassiveAuth != "" {
		d.checks.PassiveAuth = ch.PassiveAuth
	}
	if ch.ChipAuth != "" {
		d.checks.ChipAuth = ch.ChipAuth
	}
	if d.checks.ChipAuth == NotSupported && d.checks.PassiveAuth != Passed {
		// Whether a chip supports active or chip authentication is in its
		// signed data (DG14, DG15): without passive authentication the
		// device's word for it proves nothing, and a clone would claim it.
		d.checks.ChipAuth = NotDone
	}
	if d.checks.PassiveAuth == Failed {
		d.refer(CodeChipAuthFailed, "passive authentication failed: the chip's data is not signed by its issuing state (forged or altered chip)", CheckPassiveAuth)
	}
	if d.checks.ChipAuth == Failed {
		d.refer(CodeChipAuthFailed, "active or chip authentication failed: the chip cannot prove it is the document's own (cloned chip)", CheckChipAuth)
	}
}

// readBiometrics takes the face, liveness and morph results against the
// profile's thresholds.
func (d *decision) readBiometrics(ev *Event) {
	if f := ev.Face; f != nil {
		score, th := *f.Score, effective(f.Threshold, d.prof.MinFaceThreshold)
		d.scores.Face, d.scores.FaceThreshold = &score, &th
		d.checks.Face = Passed
		if score < th {
			d.checks.Face = Failed
			d.refer(CodeFaceMismatch, fmt.Sprintf("face verification score %.3f is under the threshold %.3f: the traveller may not be the document's holder", score, th), CheckFace)
		}
	}
	if l := ev.Liveness; l != nil {
		score, th := *l.Score, effective(l.Threshold, d.prof.MinLivenessThreshold)
		d.scores.Liveness, d.scores.LivenessThreshold = &score, &th
		d.checks.Liveness = Passed
		if score < th {
			d.checks.Liveness = Failed
			d.refer(CodePresentationAttack, fmt.Sprintf("liveness score %.3f is under the threshold %.3f: a presentation attack (photo, screen, mask) is suspected", score, th), CheckLiveness)
		}
	}
	if m := ev.MorphSuspected; m != nil {
		d.checks.Morph = Passed
		if *m {
			d.checks.Morph = Failed
			d.refer(CodeMorphSuspected, "the device suspects the document's photo is a morph of two faces", CheckMorph)
		}
	}
}

// effective returns the threshold applied: the device's, raised to the
// profile's minimum.
func effective(device *float64, minimum float64) float64 {
	if device == nil || *device < minimum {
		return minimum
	}
	return *device
}

// identity returns the document that identifies the event: the chip's when
// it was read, else the printed one.
func (d *decision) identity(p *prepared) screening.Document {
	m := p.chip
	if m == nil {
		m = p.printed
	}
	doc := m.Document()
	doc.Type = strings.ToUpper(doc.Type)
	doc.Expiry = screening.Date{}
	return doc
}

func sameTraveller(a, b *screening.Traveller) bool {
	if a.Surname != b.Surname || a.GivenNames != b.GivenNames || a.BirthDate != b.BirthDate ||
		a.Nationality != b.Nationality || a.Gender != b.Gender || a.NameTruncated != b.NameTruncated {
		return false
	}
	if (a.Document == nil) != (b.Document == nil) {
		return false
	}
	return a.Document == nil || *a.Document == *b.Document
}

// screen runs the engine's screening of the holder: of the chip's data and,
// when the printed MRZ says otherwise, of that too.
func (d *decision) screen(ctx context.Context, sc Screener, p *prepared) {
	var ts []screening.Traveller
	if p.chip != nil {
		ts = append(ts, p.chip.ScreenableTraveller())
	}
	if p.printed != nil {
		t := p.printed.ScreenableTraveller()
		if len(ts) == 0 || !sameTraveller(&ts[0], &t) {
			ts = append(ts, t)
		}
	}
	watchlist, documents := Passed, Passed
	seen := map[string]bool{}
	for i := range ts {
		dec, err := sc.Screen(ctx, &ts[i])
		if err != nil {
			watchlist, documents = worse(watchlist, NotDone), worse(documents, NotDone)
			var ve *screening.ValidationError
			switch {
			case errors.As(err, &ve):
				d.refer(CodeIncomplete, "the holder's data from the MRZ cannot be screened ("+ve.Field+" is not usable): a person must look", CheckWatchlist, CheckDocumentList)
			case ctx.Err() != nil:
				d.refer(CodeIncomplete, "the screening did not finish before its deadline", CheckWatchlist, CheckDocumentList)
			default:
				d.refer(CodeIncomplete, "the screening could not be done", CheckWatchlist, CheckDocumentList)
			}
			continue
		}
		d.watchlistVersion, d.documentVersion, d.algorithm = dec.WatchlistVersion, dec.DocumentVersion, dec.AlgorithmVersion
		if dec.DocumentVersion == 0 {
			documents = NotDone
		}
		referred := false
		for _, h := range dec.Hits {
			if h.Action == screening.ActionMonitor {
				continue
			}
			referred = true
			key := string(h.Kind) + "/" + h.List + "/" + h.EntryID
			if seen[key] {
				continue // the other MRZ's screening met it too
			}
			seen[key] = true
			d.hits = append(d.hits, h)
			switch h.Kind {
			case screening.HitListedDocument:
				documents = Failed
				d.refer(CodeDocumentListed, "the document is on the lost, stolen and invalid documents list (status "+h.Status+")", CheckDocumentList)
			case screening.HitNearDocument:
				documents = Failed
				d.refer(CodeDocumentListed, "a document number that differs only in look-alike characters (O/0, I/1, S/5, B/8) is listed ("+h.Status+")", CheckDocumentList)
			case screening.HitDocument:
				watchlist = worse(watchlist, Failed)
				d.refer(CodeWatchlist, fmt.Sprintf("the document is listed on a watchlist entry (action %s): the event record names it for the officer", h.Action), CheckWatchlist)
			default:
				watchlist = worse(watchlist, Failed)
				d.refer(CodeWatchlist, fmt.Sprintf("the holder matches a watchlist entry (action %s): the event record names it for the officer", h.Action), CheckWatchlist)
			}
		}
		for _, r := range dec.Reasons {
			watchlist, documents = worse(watchlist, NotDone), worse(documents, NotDone)
			d.refer(CodeIncomplete, r, CheckWatchlist, CheckDocumentList)
			referred = true
		}
		if dec.Outcome != screening.Clear && !referred {
			watchlist, documents = worse(watchlist, NotDone), worse(documents, NotDone)
			d.refer(CodeIncomplete, "the engine referred the holder without a reason it could give", CheckWatchlist, CheckDocumentList)
		}
	}
	d.checks.Watchlist, d.checks.DocumentList = watchlist, documents
}

// worse returns the worse of two statuses: Failed, then NotDone, then
// Passed.
func worse(a, b Status) Status {
	rank := func(s Status) int {
		switch s {
		case Failed:
			return 2
		case NotDone:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

// require refers the event for every required check that was not done.
func (d *decision) require() {
	for _, k := range requirable {
		if d.prof.Require[k] && d.checks.Get(k) == NotDone && !d.explained[k] {
			d.refer(CodeCheckNotDone, notDoneText(k), k)
		}
	}
	for _, k := range alwaysRequired {
		if k == CheckRecentUse {
			continue // done under the memory's lock, always
		}
		if d.checks.Get(k) == NotDone && !d.explained[k] {
			d.refer(CodeCheckNotDone, notDoneText(k), k)
		}
	}
}

func notDoneText(k Check) string {
	switch k {
	case CheckFace:
		return "face verification was not done, and this gate's profile requires it"
	case CheckLiveness:
		return "the liveness (presentation attack) check was not done, and this gate's profile requires it"
	case CheckPassiveAuth:
		return "passive authentication of the chip was not done, and this gate's profile requires it"
	case CheckChipAuth:
		return "active or chip authentication was not done, and this gate's profile requires it"
	case CheckDG1:
		return "the chip's DG1 was not compared with the printed MRZ (one of them is missing), and this gate's profile requires it"
	case CheckDocumentList:
		return "the lost and stolen documents list was not consulted (no list is loaded), and this gate's profile requires it"
	case CheckMorph:
		return "morphing-attack detection was not done, and this gate's profile requires it"
	case CheckExpiry:
		return "the document's expiry date cannot be read"
	case CheckMRZ:
		return "no MRZ could be checked"
	case CheckWatchlist:
		return "the watchlist screening was not done"
	}
	return string(k) + " was not done"
}

// recentUse is what the memory says of the event's document.
type recentUse struct {
	clones   []cloneFinding
	probing  bool
	gates    int // distinct other gates with failed attempts in the window
	failures int // failed attempts in the window
}

type cloneFinding struct {
	prior use
	need  time.Duration // the least travel time; 0 for a reuse at the same port
	ago   time.Duration
}

// checkRecent compares the event with the document's recent uses. It runs
// under the memory's lock and only reads.
func (s *Service) checkRecent(r *recent, g *gateInfo, secs uint32, dir Direction, failed bool) recentUse {
	var out recentUse
	prof := g.profile
	n := len(s.cfg.ports)
	for k, u := range [3]use{r.last, r.other, r.acc} {
		if u.empty() || u.port() < 0 || u.port() >= n || (k == 2 && (u == r.last || u == r.other)) {
			continue
		}
		ago := absSecs(secs, u.secs())
		if u.port() != g.portIdx {
			need := s.cfg.travel[u.port()*n+g.portIdx]
			if int64(ago) < need {
				out.clones = append(out.clones, cloneFinding{prior: u, need: time.Duration(need) * time.Second, ago: time.Duration(ago) * time.Second})
			}
			continue
		}
		if u.accepted() && u.exit() == (dir == Exit) && time.Duration(ago)*time.Second < prof.ReuseWindow {
			out.clones = append(out.clones, cloneFinding{prior: u, ago: time.Duration(ago) * time.Second})
		}
	}
	window := uint32(prof.ProbeWindow / time.Second)
	var gates [maxFailureSlots]int
	for _, f := range r.failures {
		if f.empty() || absSecs(secs, f.secs()) > window {
			continue
		}
		out.failures++
		dup := false
		for _, seen := range gates[:out.gates] {
			dup = dup || seen == f.gate()
		}
		if !dup {
			gates[out.gates] = f.gate()
			out.gates++
		}
	}
	out.probing = out.gates >= prof.ProbeGates || out.failures >= prof.ProbeFailures
	return out
}

func absSecs(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// recentReasons turns the memory's findings into reasons.
func (d *decision) recentReasons(cfg *compiled, g *gateInfo, ru recentUse) {
	d.checks.RecentUse = Passed
	for _, c := range ru.clones {
		d.checks.RecentUse = Failed
		prior := "gate " + gateName(cfg, c.prior.gate())
		if c.need > 0 {
			d.refer(CodeClone, fmt.Sprintf("the document was used at %s, %s (%s) %s apart; nobody travels between %s and %s in less than %s (cloned document)",
				portName(cfg, c.prior.port()), prior, c.prior.direction(), span(c.ago), portName(cfg, c.prior.port()), g.port, span(c.need)), CheckRecentUse)
			continue
		}
		d.refer(CodeClone, fmt.Sprintf("the document already passed this port in the same direction at %s %s before (passed back or cloned document)", prior, span(c.ago)), CheckRecentUse)
	}
	if ru.probing {
		d.checks.RecentUse = Failed
		d.refer(CodeProbing, fmt.Sprintf("the document failed biometric checks %d time(s) at %d gate(s) in the last %s (a look-alike probing gates)",
			ru.failures, ru.gates, span(g.profile.ProbeWindow)), CheckRecentUse)
	}
}

func (u use) direction() string {
	if u.exit() {
		return "exit"
	}
	return "entry"
}

func gateName(cfg *compiled, i int) string {
	if i < 0 || i >= len(cfg.gates) {
		return "(unknown)"
	}
	return cfg.gates[i].id
}

func portName(cfg *compiled, i int) string {
	if i < 0 || i >= len(cfg.ports) {
		return "(unknown)"
	}
	return cfg.ports[i]
}

// span writes a duration for people: "45s", "12m", "7h36m".
func span(d time.Duration) string {
	switch {
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
	h := int(d / time.Hour)
	m := int((d % time.Hour) / time.Minute)
	if m == 0 {
		return strconv.Itoa(h) + "h"
	}
	return strconv.Itoa(h) + "h" + strconv.Itoa(m) + "m"
}
