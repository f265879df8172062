package paxlst

import (
	"strconv"
	"strings"
	"time"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/edifact"
)

// Document name codes of the BGM segment (data element 1001) that PAXLST
// messages use.
const (
	PassengerList      = "745" // passengers
	CrewList           = "250" // crew
	FlightStatusUpdate = "266" // flight close-out and other updates; no persons
	MasterCrewList     = "336"
	GatePassRequest    = "655"
)

// Party function codes of a person's NAD segment (data element 3035).
const (
	RolePassenger        = "FL"
	RoleCrew             = "FM"
	RoleTransitPassenger = "DDU"
	RoleTransitCrew      = "DDT"
)

// Manifest is a decoded PAXLST interchange: its envelope and its messages.
type Manifest struct {
	// Interchange is the envelope as read: service characters, character
	// set, sender, recipient and references. The CUSRES answer is built
	// from it.
	Interchange *edifact.Interchange
	// Messages are the PAXLST messages of the interchange, in order.
	Messages []*Message
}

// Persons returns every person of every message, in order. The answers
// given to WriteResponse follow this order.
func (m *Manifest) Persons() []*Person {
	n := 0
	for _, msg := range m.Messages {
		n += len(msg.Persons)
	}
	out := make([]*Person, 0, n)
	for _, msg := range m.Messages {
		for i := range msg.Persons {
			out = append(out, &msg.Persons[i])
		}
	}
	return out
}

// Warnings returns the deviations a lenient decoder accepted: those of the
// envelope, then those of each message.
func (m *Manifest) Warnings() []*edifact.Error {
	var out []*edifact.Error
	out = append(out, m.Interchange.Warnings...)
	for _, msg := range m.Messages {
		out = append(out, msg.Warnings...)
	}
	return out
}

// Message is one PAXLST message: a list of passengers or crew on one
// flight (one or more legs).
type Message struct {
	// Envelope is the UNH/UNT of the message (reference, type, version,
	// common access reference, sequence); Group its functional group, or
	// nil.
	Envelope *edifact.Message
	Group    *edifact.Group

	DocumentCode string // BGM 1001: PassengerList, CrewList, ...
	DocumentID   string // BGM 1004, e.g. "CP" (change passenger data), "C"

	// References are the message-level RFF segments (before the first
	// person); TransactionRef is the value of RFF TN among them.
	References     []Reference
	TransactionRef string
	// ReportingParty is the name or profile of NAD MS.
	ReportingParty string

	Legs    []Leg
	Persons []Person

	// Counts are the CNT control totals, as read.
	Counts []Count

	// Warnings are deviations in the body that do not stop the decoding:
	// a missing BGM or CNT, a segment out of its place, an unreadable
	// flight time, or (when lenient) a CNT that does not match.
	Warnings []*edifact.Error
}

// Passengers returns the number of passengers (FL, DDU) in m.
func (m *Message) Passengers() int {
	n := 0
	for i := range m.Persons {
		if !m.Persons[i].Crew {
			n++
		}
	}
	return n
}

// CrewMembers returns the number of crew members (FM, DDT) in m.
func (m *Message) CrewMembers() int { return len(m.Persons) - m.Passengers() }

// Count is a CNT control total: qualifier 42 counts passengers, 41 crew.
type Count struct {
	Qualifier string
	Value     int // -1 when unreadable
	Segment   int
}

// Reference is an RFF: a qualifier (AVF, ABO, SEA, YZY, TN, ...), the
// reference itself and its revision number when given.
type Reference struct {
	Qualifier string
	Value     string
	Revision  string
}

// Element returns r as the composite data element of an RFF segment.
func (r Reference) Element() edifact.Element {
	if r.Revision != "" {
		return edifact.Element{r.Qualifier, r.Value, "", "", r.Revision}
	}
	return edifact.Element{r.Qualifier, r.Value}
}

// Leg is one TDT group: a flight and the places (LOC) it goes through,
// each with its scheduled times.
type Leg struct {
	Segment int    // number of the TDT segment in the interchange
	Flight  string // conveyance reference, e.g. "UA0989"
	Carrier string // carrier code, e.g. "UA" ("" when not given)
	Stops   []Stop
}

// Departure returns the place of departure: the LOC 125, or else the first
// place with a departure time. It returns nil when there is none.
func (l *Leg) Departure() *Stop {
	for i := range l.Stops {
		if l.Stops[i].Qualifier == "125" {
			return &l.Stops[i]
		}
	}
	for i := range l.Stops {
		if l.Stops[i].Departure.Text != "" {
			return &l.Stops[i]
		}
	}
	return nil
}

// Arrival returns the place of arrival: the LOC 87, or else the last place
// with an arrival time. It returns nil when there is none.
func (l *Leg) Arrival() *Stop {
	for i := range l.Stops {
		if l.Stops[i].Qualifier == "87" {
			return &l.Stops[i]
		}
	}
	for i := len(l.Stops) - 1; i >= 0; i-- {
		if l.Stops[i].Arrival.Text != "" {
			return &l.Stops[i]
		}
	}
	return nil
}

// Stop is one LOC of a leg with the DTM segments that follow it: 125 last
// place of departure, 87 first place of arrival, 92 a place on the route.
type Stop struct {
	Qualifier string
	Place     string // IATA airport code, as written
	Departure DateTime
	Arrival   DateTime
}

// DateTime is a DTM value: its text and format code as written (so that it
// can be echoed) and, when it could be read, its time. The time is the
// local time of the place; its location is UTC only because PAXLST does not
// give the zone.
type DateTime struct {
	Text   string
	Format string
	Time   time.Time
}

// Element returns d as the composite data element of a DTM with qualifier q.
func (d DateTime) Element(q string) edifact.Element {
	if d.Format != "" {
		return edifact.Element{q, d.Text, d.Format}
	}
	return edifact.Element{q, d.Text}
}

// Address is the street address of a NAD, when the carrier gives one.
type Address struct {
	Street     string
	City       string
	Region     string
	PostalCode string
	Country    string
}

// Person is a passenger or crew member.
type Person struct {
	Index   int    // 1-based position in its message
	Segment int    // number of its NAD segment in the interchange
	Role    string // NAD qualifier: FL, FM, DDU or DDT
	Crew    bool   // FM or DDT
	Transit bool   // DDU or DDT

	// Traveller holds what screening needs: surname, given names, date of
	// birth, nationality, gender and the travel document (the first DOC
	// that is not a visa).
	Traveller screening.Traveller

	Documents     []screening.Document // every DOC, in order
	Nationalities []string             // every NAT, in order, as codes
	Address       Address

	Residence   string // LOC 174: country of residence
	Embarkation string // LOC 178: port of embarkation
	Debarkation string // LOC 179: port of debarkation
	Clearance   string // LOC 22: place of customs clearance (first arrival)
	BirthPlace  string // LOC 180: place of birth, code or name

	// References are the RFF segments of the person; the fields below
	// are the values of the qualifiers an answer echoes or a screening
	// uses.
	References   []Reference
	Reservation  string // RFF AVF: reservation (booking) reference
	PassengerRef string // RFF ABO: unique passenger reference of the carrier
	Seat         string // RFF SEA
	Ticket       string // RFF YZY: ticket number (and coupon)

	// Problems are the data-quality problems of the person. A person with
	// any problem must not be cleared: it gets "no board" with the code of
	// its first problem (see AnswerFor).
	Problems []Problem
}

// OK reports whether p has no data-quality problem.
func (p *Person) OK() bool { return len(p.Problems) == 0 }

// ProblemCode names a data-quality problem. Codes are short upper-case
// text, safe to send to a carrier in a CUSRES.
type ProblemCode string

// The data-quality problems of a person.
const (
	ProblemSurname     ProblemCode = "SURNAME"         // missing or unreadable
	ProblemGivenNames  ProblemCode = "GIVEN NAMES"     // unreadable
	ProblemBirthDate   ProblemCode = "BIRTH DATE"      // missing, unreadable, impossible or in the future
	ProblemNationality ProblemCode = "NATIONALITY"     // missing or not a known code
	ProblemGender      ProblemCode = "GENDER"          // not a known code, or two different ones
	ProblemDocument    ProblemCode = "DOCUMENT"        // no travel document, or its type or number missing or unreadable
	ProblemIssuer      ProblemCode = "DOCUMENT ISSUER" // issuing state missing or not a known code
	ProblemExpiry      ProblemCode = "DOCUMENT EXPIRY" // unreadable or impossible date
)

// Problem is one data-quality problem of a person, with the segment that
// shows it (0 when it is about something missing).
type Problem struct {
	Code    ProblemCode
	Segment int
	Tag     string
	Element int
	Value   string
	Msg     string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(string(p.Code))
	b.WriteString(": ")
	b.WriteString(p.Msg)
	if p.Value != "" {
		b.WriteString(" (")
		b.WriteString(strconv.Quote(p.Value))
		b.WriteString(")")
	}
	if p.Segment > 0 {
		b.WriteString(" at segment ")
		b.WriteString(strconv.Itoa(p.Segment))
		b.WriteString(" ")
		b.WriteString(p.Tag)
	}
	return b.String()
}
