package paxlst

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/bordersec/portcullis/screening/edifact"
)

// The application error codes (ERC) of a CUSRES answer.
const (
	CodeBoard   = "0Z" // OK to board
	CodeNoBoard = "1Z" // no board: contact the border authority
)

// CUSRESDocumentCode is the BGM document name code of the answer.
const CUSRESDocumentCode = "962"

// MediaType is the media type of EDIFACT interchanges (RFC 1767), for the
// requests and answers of an HTTP endpoint.
const MediaType = "application/EDIFACT"

// Answer is the decision for one person. The zero Answer is "no board".
type Answer struct {
	// Board is true for "OK to board" (a CLEAR screening), false for "no
	// board".
	Board bool
	// DataQuality, with Board false, says that the person could not be
	// screened because its data cannot be read, and which data.
	DataQuality ProblemCode
}

// AnswerFor returns the answer for p given the outcome of its screening:
// "no board" with the code of its first data-quality problem when it has
// any, whatever the screening said; otherwise board if and only if clear.
func AnswerFor(p *Person, clear bool) Answer {
	if len(p.Problems) > 0 {
		return Answer{DataQuality: p.Problems[0].Code}
	}
	return Answer{Board: clear}
}

// ResponseOptions are the choices of WriteResponse. The zero value (or a
// nil *ResponseOptions) means the defaults.
type ResponseOptions struct {
	// Now is the date and time of preparation written in the UNB and UNG;
	// zero means time.Now in UTC.
	Now time.Time
	// ControlRef is the interchange control reference of the answer;
	// empty means the reference of the PAXLST interchange, echoed.
	ControlRef string
	// BoardText, NoBoardText and DataQualityText are the lines of the FTX
	// text that follows ERC 0Z, ERC 1Z, and ERC 1Z for a data-quality
	// problem (the problem code is added as one more line). Defaults:
	// "OK TO BOARD"; "NO BOARD", "CONTACT BORDER AUTHORITY"; "NO BOARD",
	// "DATA QUALITY".
	BoardText       edifact.Element
	NoBoardText     edifact.Element
	DataQualityText edifact.Element
	// Newline puts each segment on its own line.
	Newline bool
	// BoardWithProblems allows an answer to board a person that has
	// data-quality problems. Without it, such an answer is an ErrAnswers
	// error: persons whose data cannot be read are not boarded by default.
	BoardWithProblems bool
}

var (
	defaultBoardText       = edifact.Element{"OK TO BOARD"}
	defaultNoBoardText     = edifact.Element{"NO BOARD", "CONTACT BORDER AUTHORITY"}
	defaultDataQualityText = edifact.Element{"NO BOARD", "DATA QUALITY"}
)

// Response returns the CUSRES answer to m; see WriteResponse.
func Response(m *Manifest, answers []Answer, opts *ResponseOptions) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(256 + 120*len(answers))
	if err := WriteResponse(&b, m, answers, opts); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteResponse writes the CUSRES interchange that answers m: one CUSRES
// message for each PAXLST message, in the groups of the request, with the
// service characters and character set of the request, sender and recipient
// swapped and the references echoed. answers[i] is the answer for
// m.Persons()[i]; every person gets ERP, RFF AVF and ABO (when the request
// gave them), ERC 0Z or 1Z, and FTX text. Nothing is written when the
// answers do not match the persons (ErrAnswers).
func WriteResponse(w io.Writer, m *Manifest, answers []Answer, opts *ResponseOptions) error {
	var o ResponseOptions
	if opts != nil {
		o = *opts
	}
	if o.Now.IsZero() {
		o.Now = time.Now().UTC()
	}
	if len(o.BoardText) == 0 {
		o.BoardText = defaultBoardText
	}
	if len(o.NoBoardText) == 0 {
		o.NoBoardText = defaultNoBoardText
	}
	if len(o.DataQualityText) == 0 {
		o.DataQualityText = defaultDataQualityText
	}
	if err := checkAnswers(m, answers, o.BoardWithProblems); err != nil {
		return err
	}
	ic := m.Interchange
	ew, err := edifact.NewWriter(w, &edifact.WriterOptions{Service: ic.Service, Syntax: ic.Syntax, Newline: o.Newline})
	if err != nil {
		return fmt.Errorf("write CUSRES: %w", err)
	}
	rw := responseWriter{w: ew, o: &o, m: m}
	if err := rw.interchange(answers); err != nil {
		return fmt.Errorf("write CUSRES: %w", err)
	}
	if err := ew.Flush(); err != nil {
		return fmt.Errorf("write CUSRES: %w", err)
	}
	return nil
}

func checkAnswers(m *Manifest, answers []Answer, boardWithProblems bool) error {
	i := 0
	for _, msg := range m.Messages {
		for j := range msg.Persons {
			if i >= len(answers) {
				return fmt.Errorf("%d answers for more persons: %w", len(answers), ErrAnswers)
			}
			a, p := answers[i], &msg.Persons[j]
			if a.Board && a.DataQuality != "" {
				return fmt.Errorf("answer %d boards person %d and gives data-quality code %q: %w", i, p.Index, a.DataQuality, ErrAnswers)
			}
			if a.Board && !p.OK() && !boardWithProblems {
				return fmt.Errorf("answer %d boards person %d (segment %d), who has data-quality problems (%s): %w",
					i, p.Index, p.Segment, p.Problems[0].Code, ErrAnswers)
			}
			i++
		}
	}
	if i != len(answers) {
		return fmt.Errorf("%d answers for %d persons: %w", len(answers), i, ErrAnswers)
	}
	return nil
}

type responseWriter struct {
	w *edifact.Writer
	o *ResponseOptions
	m *Manifest
}

// el is a one-component data element.
func el(v string) edifact.Element { return edifact.Element{v} }

// trimElements drops trailing empty data elements.
func trimElements(es []edifact.Element) []edifact.Element {
	for len(es) > 0 && es[len(es)-1].IsEmpty() {
		es = es[:len(es)-1]
	}
	return es
}

// trimComponents drops trailing empty components.
func trimComponents(e edifact.Element) edifact.Element {
	for len(e) > 1 && e[len(e)-1] == "" {
		e = e[:len(e)-1]
	}
	return e
}

func (rw *responseWriter) interchange(answers []Answer) error {
	ic, o, w := rw.m.Interchange, rw.o, rw.w
	date, clock := o.Now.Format("060102"), o.Now.Format("1504")
	if len(ic.Date) == 8 {
		date = o.Now.Format("20060102")
	}
	ref := o.ControlRef
	if ref == "" {
		ref = ic.ControlRef
	}
	if err := w.WriteUNA(); err != nil {
		return err
	}
	unb := []edifact.Element{
		trimComponents(edifact.Element{ic.Syntax, ic.SyntaxVersion}),
		ic.Recipient.Element(),
		ic.Sender.Element(),
		{date, clock},
		el(ref),
		el(""),
		el(ic.AppRef),
		el(""), el(""), el(""),
		el(""),
	}
	if ic.Test {
		unb[10] = el("1")
	}
	if err := w.WriteSegment("UNB", trimElements(unb)...); err != nil {
		return err
	}
	next := 0
	units := 0 // messages, or groups when the request has groups
	group := -1
	groupMsgs := 0
	closeGroup := func() error {
		if group < 0 {
			return nil
		}
		g := &ic.Groups[group]
		group = -1
		return w.WriteSegment("UNE", el(strconv.Itoa(groupMsgs)), el(g.Ref))
	}
	for _, msg := range rw.m.Messages {
		if g := msg.Envelope.Group; g != group {
			if err := closeGroup(); err != nil {
				return err
			}
			if g >= 0 {
				gr := &ic.Groups[g]
				ung := []edifact.Element{
					el("CUSRES"),
					gr.Recipient.Element(),
					gr.Sender.Element(),
					{date, clock},
					el(gr.Ref),
					el(orDefault(gr.Agency, "UN")),
					trimComponents(edifact.Element{orDefault(gr.Version, "D"), orDefault(gr.Release, "05B"), gr.Association}),
				}
				if err := w.WriteSegment("UNG", ung...); err != nil {
					return err
				}
				group, groupMsgs = g, 0
				units++
			}
		}
		if err := rw.message(msg, answers[next:next+len(msg.Persons)]); err != nil {
			return err
		}
		next += len(msg.Persons)
		if group >= 0 {
			groupMsgs++
		} else {
			units++
		}
	}
	if err := closeGroup(); err != nil {
		return err
	}
	return w.WriteSegment("UNZ", el(strconv.Itoa(units)), el(ref))
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func (rw *responseWriter) message(msg *Message, answers []Answer) error {
	w, o, env := rw.w, rw.o, msg.Envelope
	unh := []edifact.Element{
		el(env.Ref),
		trimComponents(edifact.Element{"CUSRES", orDefault(env.Version, "D"), orDefault(env.Release, "05B"), orDefault(env.Agency, "UN"), env.Association}),
		el(env.CommonAccessRef),
		trimComponents(edifact.Element{env.Sequence, env.SequenceMark}),
	}
	if err := w.WriteSegment("UNH", trimElements(unh)...); err != nil {
		return err
	}
	if err := w.WriteSegment("BGM", el(CUSRESDocumentCode)); err != nil {
		return err
	}
	for _, r := range msg.References {
		if r.Qualifier == "TN" {
			if err := w.WriteSegment("RFF", r.Element()); err != nil {
				return err
			}
		}
	}
	for i := range msg.Legs {
		if err := rw.leg(&msg.Legs[i]); err != nil {
			return err
		}
	}
	for i := range msg.Persons {
		p, a := &msg.Persons[i], answers[i]
		if err := w.WriteSegment("ERP", el("2")); err != nil {
			return err
		}
		if p.Reservation != "" {
			if err := w.WriteSegment("RFF", edifact.Element{"AVF", p.Reservation}); err != nil {
				return err
			}
		}
		if p.PassengerRef != "" {
			if err := w.WriteSegment("RFF", edifact.Element{"ABO", p.PassengerRef}); err != nil {
				return err
			}
		}
		code, text := CodeNoBoard, o.NoBoardText
		switch {
		case a.Board:
			code, text = CodeBoard, o.BoardText
		case a.DataQuality != "":
			text = append(append(edifact.Element(nil), o.DataQualityText...), string(a.DataQuality))
		}
		if err := w.WriteSegment("ERC", el(code)); err != nil {
			return err
		}
		if err := w.WriteSegment("FTX", el("AAP"), el(""), el(""), text); err != nil {
			return err
		}
	}
	return w.WriteUNT(env.Ref)
}

// leg echoes the flight of a leg: RFF AF with the scheduled times, and the
// places of departure and arrival.
func (rw *responseWriter) leg(l *Leg) error {
	w := rw.w
	if l.Flight != "" {
		if err := w.WriteSegment("RFF", edifact.Element{"AF", l.Flight}); err != nil {
			return err
		}
	}
	dep, arr := l.Departure(), l.Arrival()
	if dep != nil && dep.Departure.Text != "" {
		if err := w.WriteSegment("DTM", dep.Departure.Element("189")); err != nil {
			return err
		}
	}
	if arr != nil && arr.Arrival.Text != "" {
		if err := w.WriteSegment("DTM", arr.Arrival.Element("232")); err != nil {
			return err
		}
	}
	if dep != nil && dep.Place != "" {
		if err := w.WriteSegment("LOC", el(dep.Qualifier), el(dep.Place)); err != nil {
			return err
		}
	}
	if arr != nil && arr != dep && arr.Place != "" {
		if err := w.WriteSegment("LOC", el(arr.Qualifier), el(arr.Place)); err != nil {
			return err
		}
	}
	return nil
}
