package paxlst

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/edifact"
)

// Options are the limits and strictness of Decode. The zero value (or a
// nil *Options) means the edifact defaults, strict.
type Options struct {
	// Options are the limits of the EDIFACT reader. Lenient also applies
	// to the control totals (CNT) of the messages: when set, a CNT that
	// does not match becomes a warning of its message instead of an
	// ErrControlTotal error.
	edifact.Options

	// Now gives the reference date for two-digit years when the UNB has no
	// readable date of preparation; nil means time.Now.
	Now func() time.Time
}

// Decode reads a PAXLST interchange. It fails, with no partial result, when
// the input is not EDIFACT, when its envelope is broken, when it holds a
// message that is not a PAXLST, or (unless lenient) when a trailer or a CNT
// does not match what was read. Persons whose data cannot be read are
// returned with their Problems.
func Decode(data []byte, opts *Options) (*Manifest, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	ic, err := edifact.Parse(data, &o.Options)
	if err != nil {
		return nil, fmt.Errorf("decode PAXLST: %w", err)
	}
	if len(ic.Messages) == 0 {
		e := ic.Trailer.ErrorAt(1, 1, ErrNotPAXLST, "the interchange holds no message")
		return nil, fmt.Errorf("decode PAXLST: %w", e)
	}
	ref := refDate(ic.Date, o.Now)
	man := &Manifest{Interchange: ic, Messages: make([]*Message, 0, len(ic.Messages))}
	for i := range ic.Messages {
		em := &ic.Messages[i]
		if em.Type != "PAXLST" {
			e := em.Header.ErrorAt(2, 1, ErrNotPAXLST, fmt.Sprintf("message %q is a %s, not a PAXLST", em.Ref, em.Type))
			return nil, fmt.Errorf("decode PAXLST: %w", e)
		}
		d := decoder{ref: ref, lenient: o.Lenient}
		msg, err := d.message(ic, em)
		if err != nil {
			return nil, fmt.Errorf("decode PAXLST: %w", err)
		}
		man.Messages = append(man.Messages, msg)
	}
	return man, nil
}

// decoder reads the body of one message.
type decoder struct {
	ref     time.Time
	lenient bool
	m       *Message

	leg  *Leg
	stop *Stop
	p    *Person
	doc  int // index of the person's last DOC, -1 when none

	birthSeg, genderSeg int
	docSegs             []*edifact.Segment // the DOC segment of each of the person's documents
	open                bool               // a person is being read

	// Arrays the persons' slices are cut from: a person appends after the
	// used part, and finishPerson marks what it used.
	docs []screening.Document
	nats []string
	refs []Reference
}

func (d *decoder) warn(e *edifact.Error) {
	d.m.Warnings = append(d.m.Warnings, e)
}

// deviation is a warning when lenient, else the error.
func (d *decoder) deviation(e *edifact.Error) error {
	if d.lenient {
		d.warn(e)
		return nil
	}
	return e
}

func (d *decoder) problem(code ProblemCode, s *edifact.Segment, elem int, value, msg string) {
	pr := Problem{Code: code, Value: value, Msg: msg}
	if s != nil {
		pr.Segment, pr.Tag, pr.Element = s.Pos, s.Tag, elem
	}
	d.p.Problems = append(d.p.Problems, pr)
}

func isPersonRole(q string) bool {
	return q == RolePassenger || q == RoleCrew || q == RoleTransitPassenger || q == RoleTransitCrew
}

func (d *decoder) message(ic *edifact.Interchange, em *edifact.Message) (*Message, error) {
	m := &Message{Envelope: em}
	if em.Group >= 0 {
		m.Group = &ic.Groups[em.Group]
	}
	d.m = m
	// Count the persons and their documents, nationalities and references,
	// so that all of them fit in a few arrays.
	n, nDoc, nNat, nRef := 0, 0, 0, 0
	in := false
	for i := range em.Segments {
		switch s := &em.Segments[i]; s.Tag {
		case "NAD":
			if isPersonRole(s.Value(1, 1)) {
				n++
				in = true
			}
		case "TDT", "CNT":
			in = false
		case "DOC":
			nDoc++
		case "NAT":
			nNat++
		case "RFF":
			if in {
				nRef++
			}
		}
	}
	m.Persons = make([]Person, 0, n)
	d.docs = make([]screening.Document, 0, nDoc)
	d.nats = make([]string, 0, nNat)
	d.refs = make([]Reference, 0, nRef)
	d.doc = -1
	sawBGM := false
	for i := range em.Segments {
		s := &em.Segments[i]
		switch s.Tag {
		case "BGM":
			if sawBGM {
				d.warn(s.ErrorAt(0, 0, nil, "second BGM ignored"))
				continue
			}
			sawBGM = true
			m.DocumentCode = s.Value(1, 1)
			m.DocumentID = s.Value(2, 1)
		case "NAD":
			d.nad(s)
		case "TDT":
			if d.p != nil {
				d.finishPerson()
				d.p = nil
				d.warn(s.ErrorAt(0, 0, nil, "TDT after the first person"))
			}
			m.Legs = append(m.Legs, Leg{Segment: s.Pos, Flight: strings.TrimSpace(s.Value(2, 1)), Carrier: strings.TrimSpace(s.Value(5, 1))})
			d.leg = &m.Legs[len(m.Legs)-1]
			d.stop = nil
		case "LOC":
			d.loc(s)
		case "DTM":
			d.dtm(s)
		case "RFF":
			d.rff(s)
		case "ATT":
			d.att(s)
		case "NAT":
			d.nat(s)
		case "DOC":
			d.docSeg(s)
		case "CNT":
			d.finishPerson()
			d.p = nil
			q := s.Value(1, 1)
			v, err := strconv.Atoi(strings.TrimSpace(s.Value(1, 2)))
			if err != nil || v < 0 {
				v = -1
			}
			m.Counts = append(m.Counts, Count{Qualifier: q, Value: v, Segment: s.Pos})
		default:
			// COM, MEA, GEI, FTX, EMP and others: not needed to screen.
		}
	}
	d.finishPerson()
	if !sawBGM {
		d.warn(em.Header.ErrorAt(0, 0, nil, "message has no BGM"))
	}
	if len(m.Legs) == 0 {
		d.warn(em.Header.ErrorAt(0, 0, nil, "message has no TDT (flight)"))
	}
	if err := d.checkCounts(em); err != nil {
		return nil, err
	}
	return m, nil
}

// checkCounts compares the CNT totals with the persons read.
func (d *decoder) checkCounts(em *edifact.Message) error {
	m := d.m
	if len(m.Counts) == 0 {
		if len(m.Persons) > 0 {
			d.warn(em.Trailer.ErrorAt(0, 0, nil, "message has no CNT control total"))
		}
		return nil
	}
	for _, c := range m.Counts {
		seg := findSegment(em, c.Segment)
		var got int
		var what string
		switch c.Qualifier {
		case "42":
			got, what = m.Passengers(), "passengers"
		case "41":
			got, what = m.CrewMembers(), "crew members"
		default:
			d.warn(seg.ErrorAt(1, 1, nil, fmt.Sprintf("CNT qualifier %q is not 41 (crew) or 42 (passengers)", c.Qualifier)))
			continue
		}
		if c.Value < 0 {
			if err := d.deviation(seg.ErrorAt(1, 2, ErrControlTotal, fmt.Sprintf("CNT %s has no readable total (%d %s read)", c.Qualifier, got, what))); err != nil {
				return err
			}
			continue
		}
		if c.Value != got {
			if err := d.deviation(seg.ErrorAt(1, 2, ErrControlTotal, fmt.Sprintf("CNT %s counts %d, but the message lists %d %s", c.Qualifier, c.Value, got, what))); err != nil {
				return err
			}
		}
	}
	return nil
}

func findSegment(em *edifact.Message, pos int) *edifact.Segment {
	for i := range em.Segments {
		if em.Segments[i].Pos == pos {
			return &em.Segments[i]
		}
	}
	return &em.Trailer
}

func (d *decoder) nad(s *edifact.Segment) {
	q := s.Value(1, 1)
	if !isPersonRole(q) {
		if d.p != nil {
			d.warn(s.ErrorAt(1, 1, nil, fmt.Sprintf("NAD %s among the persons ignored", q)))
			return
		}
		if q == "MS" && d.m.ReportingParty == "" {
			d.m.ReportingParty = strings.TrimSpace(s.Value(4, 1))
			if d.m.ReportingParty == "" {
				d.m.ReportingParty = strings.TrimSpace(s.Value(2, 1))
			}
		}
		return
	}
	d.finishPerson()
	m := d.m
	m.Persons = append(m.Persons, Person{
		Index:   len(m.Persons) + 1,
		Segment: s.Pos,
		Role:    q,
		Crew:    q == RoleCrew || q == RoleTransitCrew,
		Transit: q == RoleTransitPassenger || q == RoleTransitCrew,
	})
	d.p = &m.Persons[len(m.Persons)-1]
	d.p.Documents = d.docs[len(d.docs):len(d.docs)]
	d.p.Nationalities = d.nats[len(d.nats):len(d.nats)]
	d.p.References = d.refs[len(d.refs):len(d.refs)]
	d.doc = -1
	d.birthSeg, d.genderSeg = 0, 0
	d.docSegs = d.docSegs[:0]
	d.open = true
	d.leg, d.stop = nil, nil

	p := d.p
	name := s.Element(4)
	p.Traveller.Surname = strings.TrimSpace(name.Value(0))
	p.Traveller.GivenNames = givenNames(name)
	p.Address = Address{
		Street:     strings.TrimSpace(s.Value(5, 1)),
		City:       strings.TrimSpace(s.Value(6, 1)),
		Region:     strings.TrimSpace(s.Value(7, 1)),
		PostalCode: strings.TrimSpace(s.Value(8, 1)),
		Country:    strings.TrimSpace(s.Value(9, 1)),
	}
	switch {
	case p.Traveller.Surname == "":
		d.problem(ProblemSurname, s, 4, "", "no surname")
	case !readable(p.Traveller.Surname):
		d.problem(ProblemSurname, s, 4, p.Traveller.Surname, "surname has characters that cannot be read")
	}
	if !readable(p.Traveller.GivenNames) {
		d.problem(ProblemGivenNames, s, 4, p.Traveller.GivenNames, "given names have characters that cannot be read")
	}
}

// givenNames joins the name components after the surname.
func givenNames(name edifact.Element) string {
	if len(name) <= 1 {
		return ""
	}
	if len(name) == 2 || (len(name) == 3 && strings.TrimSpace(name[2]) == "") {
		return strings.TrimSpace(name[1])
	}
	parts := make([]string, 0, len(name)-1)
	for _, v := range name[1:] {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " ")
}

// readable reports whether s has no replacement character (a byte the
// reader could not decode) and no control character.
func readable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return false
		}
		if s[i] >= 0x80 {
			for _, r := range s[i:] {
				if r == utf8.RuneError || unicode.IsControl(r) {
					return false
				}
			}
			return true
		}
	}
	return true
}

// outside warns of a person's segment that comes outside a person.
func (d *decoder) outside(s *edifact.Segment) bool {
	if d.p == nil {
		d.warn(s.ErrorAt(0, 0, nil, s.Tag+" outside a person ignored"))
		return true
	}
	return false
}

func (d *decoder) loc(s *edifact.Segment) {
	q := s.Value(1, 1)
	code := strings.TrimSpace(s.Value(2, 1))
	if d.p == nil {
		if d.leg == nil {
			d.warn(s.ErrorAt(0, 0, nil, "LOC outside a TDT group ignored"))
			return
		}
		d.leg.Stops = append(d.leg.Stops, Stop{Qualifier: q, Place: code})
		d.stop = &d.leg.Stops[len(d.leg.Stops)-1]
		return
	}
	p := d.p
	switch q {
	case "91":
		if d.doc < 0 {
			d.problem(ProblemIssuer, s, 2, code, "LOC 91 (issuing state) before any DOC")
			return
		}
		doc := &p.Documents[d.doc]
		if code == "" {
			return // reported when the person is finished
		}
		c, ok := country(code)
		if !ok {
			doc.Country = code
			d.problem(ProblemIssuer, s, 2, code, "issuing state is not a known country code")
			return
		}
		doc.Country = c
	case "174":
		if c, ok := country(code); ok {
			code = c
		}
		p.Residence = code
	case "178":
		p.Embarkation = code
	case "179":
		p.Debarkation = code
	case "22":
		p.Clearance = code
	case "180":
		if code == "" {
			code = strings.TrimSpace(s.Value(2, 4))
		}
		p.BirthPlace = code
	}
}

// country reads a country code (alpha-3, ICAO, or alpha-2).
func country(v string) (string, bool) {
	v = strings.TrimSpace(v)
	if v == "" || len(v) > 3 {
		return "", false
	}
	return screening.CountryCode(v)
}

func (d *decoder) dtm(s *edifact.Segment) {
	q := s.Value(1, 1)
	text := strings.TrimSpace(s.Value(1, 2))
	format := strings.TrimSpace(s.Value(1, 3))
	if d.p == nil {
		if d.stop == nil {
			d.warn(s.ErrorAt(0, 0, nil, "DTM outside a LOC of a TDT group ignored"))
			return
		}
		dt := DateTime{Text: text, Format: format}
		t, err := parseDateTime(text, format, d.ref)
		if err != nil {
			d.warn(s.ErrorAt(1, 2, nil, fmt.Sprintf("flight time %q cannot be read: %v", text, err)))
		} else {
			dt.Time = t
		}
		switch q {
		case "189":
			d.stop.Departure = dt
		case "232":
			d.stop.Arrival = dt
		}
		return
	}
	p := d.p
	switch q {
	case "329":
		date, err := parseDate(text, format, d.ref, true)
		switch {
		case err != nil:
			d.problem(ProblemBirthDate, s, 1, text, "date of birth cannot be read: "+err.Error())
		case date.Time().After(d.ref):
			d.problem(ProblemBirthDate, s, 1, text, "date of birth is after the date of the message")
		case d.birthSeg != 0 && date != p.Traveller.BirthDate:
			d.problem(ProblemBirthDate, s, 1, text, fmt.Sprintf("second date of birth, different from segment %d", d.birthSeg))
		case d.birthSeg == 0:
			p.Traveller.BirthDate = date
		}
		if d.birthSeg == 0 {
			d.birthSeg = s.Pos
		}
	case "36":
		if d.doc < 0 {
			d.problem(ProblemExpiry, s, 1, text, "DTM 36 (expiry) before any DOC")
			return
		}
		date, err := parseDate(text, format, d.ref, false)
		if err != nil {
			d.problem(ProblemExpiry, s, 1, text, "expiry date cannot be read: "+err.Error())
			return
		}
		p.Documents[d.doc].Expiry = date
	}
}

func (d *decoder) rff(s *edifact.Segment) {
	r := Reference{
		Qualifier: strings.TrimSpace(s.Value(1, 1)),
		Value:     strings.TrimSpace(s.Value(1, 2)),
		Revision:  strings.TrimSpace(s.Value(1, 5)),
	}
	if d.p == nil {
		d.m.References = append(d.m.References, r)
		if r.Qualifier == "TN" && d.m.TransactionRef == "" {
			d.m.TransactionRef = r.Value
		}
		return
	}
	p := d.p
	p.References = append(p.References, r)
	var field *string
	switch r.Qualifier {
	case "AVF":
		field = &p.Reservation
	case "ABO":
		field = &p.PassengerRef
	case "SEA":
		field = &p.Seat
	case "YZY":
		field = &p.Ticket
	}
	if field != nil && *field == "" {
		*field = r.Value
	}
}

func (d *decoder) att(s *edifact.Segment) {
	if d.outside(s) || s.Value(1, 1) != "2" {
		return
	}
	v := strings.TrimSpace(s.Value(3, 1))
	g, err := screening.ParseGender(v)
	switch {
	case err != nil:
		d.problem(ProblemGender, s, 3, v, "gender is not M, F, U or X")
	case d.genderSeg != 0 && g != d.p.Traveller.Gender:
		d.problem(ProblemGender, s, 3, v, fmt.Sprintf("second gender, different from segment %d", d.genderSeg))
	case d.genderSeg == 0:
		d.p.Traveller.Gender = g
		d.genderSeg = s.Pos
	}
}

func (d *decoder) nat(s *edifact.Segment) {
	if d.outside(s) {
		return
	}
	v := strings.TrimSpace(s.Value(2, 1))
	c, ok := country(v)
	if !ok {
		d.problem(ProblemNationality, s, 2, v, "nationality is not a known country code")
		return
	}
	p := d.p
	p.Nationalities = append(p.Nationalities, c)
	if p.Traveller.Nationality == "" || s.Value(1, 1) == "2" && len(p.Nationalities) == 1 {
		p.Traveller.Nationality = c
	}
}

func (d *decoder) docSeg(s *edifact.Segment) {
	if d.outside(s) {
		return
	}
	p := d.p
	p.Documents = append(p.Documents, screening.Document{
		Type:   strings.ToUpper(strings.TrimSpace(s.Value(1, 1))),
		Number: strings.TrimSpace(s.Value(2, 1)),
	})
	d.doc = len(p.Documents) - 1
	d.docSegs = append(d.docSegs, s)
}

// finishPerson checks what a person must have, once all its segments are
// read, and picks its travel document.
func (d *decoder) finishPerson() {
	if d.p == nil || !d.open {
		return
	}
	d.open = false
	p := d.p
	p.Documents = claim(&d.docs, p.Documents)
	p.Nationalities = claim(&d.nats, p.Nationalities)
	p.References = claim(&d.refs, p.References)
	if d.birthSeg == 0 {
		d.problem(ProblemBirthDate, nil, 0, "", "no date of birth (DTM 329)")
	}
	if len(p.Nationalities) == 0 && !p.has(ProblemNationality) {
		d.problem(ProblemNationality, nil, 0, "", "no nationality (NAT)")
	}
	idx := -1
	for i := range p.Documents {
		if !strings.HasPrefix(p.Documents[i].Type, "V") {
			idx = i
			break
		}
	}
	if idx < 0 {
		msg := "no travel document (DOC)"
		if len(p.Documents) > 0 {
			msg = "no travel document other than a visa"
		}
		d.problem(ProblemDocument, nil, 0, "", msg)
		return
	}
	doc := &p.Documents[idx]
	seg := d.docSegs[idx]
	p.Traveller.Document = doc
	switch {
	case doc.Type == "":
		d.problem(ProblemDocument, seg, 1, "", "document type missing")
	case !readable(doc.Type):
		d.problem(ProblemDocument, seg, 1, doc.Type, "document type cannot be read")
	}
	switch {
	case doc.Number == "":
		d.problem(ProblemDocument, seg, 2, "", "document number missing")
	case len(doc.Number) > 64 || !readable(doc.Number):
		d.problem(ProblemDocument, seg, 2, doc.Number, "document number cannot be read")
	}
	if doc.Country == "" && !p.has(ProblemIssuer) {
		d.problem(ProblemIssuer, seg, 0, "", "no issuing state (LOC 91) for the travel document")
	}
}

// claim marks the part of arena that used (cut from its free part) holds,
// and returns used with its capacity cut to its length, or nil when empty.
func claim[T any](arena *[]T, used []T) []T {
	n := len(used)
	if n == 0 {
		return nil
	}
	if l := len(*arena); n <= cap(*arena)-l && &(*arena)[:l+1][l] == &used[0] {
		*arena = (*arena)[:l+n]
	}
	return used[:n:n]
}

// has reports whether p already has a problem with code c.
func (p *Person) has(c ProblemCode) bool {
	for i := range p.Problems {
		if p.Problems[i].Code == c {
			return true
		}
	}
	return false
}
