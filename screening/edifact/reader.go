package edifact

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Default limits of Options.
const (
	DefaultMaxSize       = 8 << 20 // bytes of input
	DefaultMaxSegments   = 200_000 // segments in an interchange
	DefaultMaxElements   = 99      // data elements in a segment, the tag not counted
	DefaultMaxComponents = 99      // components in a data element
)

// MaxWarnings is how many warnings an Interchange keeps; WarningCount says
// how many there were in all.
const MaxWarnings = 100

// Options are the limits and the strictness of Parse. The zero value (or a
// nil *Options) means the defaults: the Default* limits, and strict.
type Options struct {
	// MaxSize is the largest input accepted, in bytes.
	MaxSize int
	// MaxSegments is the largest number of segments in an interchange.
	MaxSegments int
	// MaxElements is the largest number of data elements in a segment.
	MaxElements int
	// MaxComponents is the largest number of components in a data element.
	MaxComponents int

	// Lenient turns deviations that leave the structure readable into
	// warnings (Interchange.Warnings) instead of errors: trailer counts and
	// references that do not match (ErrCount, ErrReference), data after the
	// UNZ (ignored), and characters that are control characters or not in
	// the declared character set (replaced by U+FFFD, which a caller must
	// treat as unreadable data). A broken envelope, an unknown character
	// set, a segment that cannot be split and a limit are errors in both
	// modes.
	Lenient bool
}

func (o *Options) withDefaults() Options {
	var v Options
	if o != nil {
		v = *o
	}
	if v.MaxSize <= 0 {
		v.MaxSize = DefaultMaxSize
	}
	if v.MaxSegments <= 0 {
		v.MaxSegments = DefaultMaxSegments
	}
	if v.MaxElements <= 0 {
		v.MaxElements = DefaultMaxElements
	}
	if v.MaxComponents <= 0 {
		v.MaxComponents = DefaultMaxComponents
	}
	return v
}

// Party is a sender or recipient of an interchange or group: its
// identification, the code qualifier of that identification and, for an
// interchange, the address for reverse routing (or internal identification).
type Party struct {
	ID        string
	Qualifier string
	Routing   string
}

func partyOf(e Element) Party {
	return Party{ID: e.Value(0), Qualifier: e.Value(1), Routing: e.Value(2)}
}

// Element returns p as the composite data element of a UNB or UNG, without
// trailing empty components.
func (p Party) Element() Element {
	e := Element{p.ID, p.Qualifier, p.Routing}
	for len(e) > 1 && e[len(e)-1] == "" {
		e = e[:len(e)-1]
	}
	return e
}

// Interchange is one interchange, UNB to UNZ, as Parse reads it.
type Interchange struct {
	Service       ServiceChars // from the UNA, or the defaults
	HasUNA        bool         // the interchange began with a UNA
	Syntax        string       // syntax identifier, the character set: "UNOA", "UNOC", ...
	SyntaxVersion string       // "3", "4", ...
	Sender        Party
	Recipient     Party
	Date          string // date of preparation, as written (YYMMDD or CCYYMMDD)
	Time          string // time of preparation, as written (HHMM)
	ControlRef    string // interchange control reference
	AppRef        string // application reference (element 7)
	Test          bool   // test indicator (element 11) is 1

	Header  Segment // the UNB
	Trailer Segment // the UNZ

	Groups   []Group   // functional groups, when the interchange uses UNG/UNE
	Messages []Message // every message, in order, in or out of groups

	// Warnings are the deviations a lenient Parse accepted, in order, at most
	// MaxWarnings of them; WarningCount counts them all.
	Warnings     []*Error
	WarningCount int

	// Segments is the number of segments read, UNB and UNZ included.
	Segments int
}

// Group is one functional group, UNG to UNE.
type Group struct {
	Type        string // message type of the group, e.g. "PAXLST"
	Sender      Party
	Recipient   Party
	Date        string
	Time        string
	Ref         string // group reference number
	Agency      string // controlling agency, e.g. "UN"
	Version     string // message version, e.g. "D"
	Release     string // message release, e.g. "05B"
	Association string

	Header  Segment // the UNG
	Trailer Segment // the UNE
}

// Message is one message, UNH to UNT.
type Message struct {
	Ref             string // message reference number
	Type            string // message type, e.g. "PAXLST"
	Version         string // e.g. "D"
	Release         string // e.g. "05B"
	Agency          string // e.g. "UN"
	Association     string // association assigned code, e.g. "IATA"
	CommonAccessRef string // common access reference (UNH element 3)
	Sequence        string // sequence of transfers (UNH element 4), e.g. "01"
	SequenceMark    string // first and last transfer: "C" (more follow) or "F" (final)

	Header   Segment   // the UNH
	Segments []Segment // the segments between UNH and UNT
	Trailer  Segment   // the UNT
	Group    int       // index in Interchange.Groups, or -1
}

// Read reads all of r (at most the MaxSize of opts, plus one byte to know
// it was too large) and parses it as an interchange.
func Read(r io.Reader, opts *Options) (*Interchange, error) {
	o := opts.withDefaults()
	data, err := io.ReadAll(io.LimitReader(r, int64(o.MaxSize)+1))
	if err != nil {
		return nil, fmt.Errorf("read interchange: %w", err)
	}
	return Parse(data, &o)
}

// Parse reads one interchange. It returns an *Error (wrapping one of the
// sentinel errors) when the input is not EDIFACT, when its envelope is
// broken, or, unless opts is Lenient, when a trailer does not match.
func Parse(data []byte, opts *Options) (*Interchange, error) {
	o := opts.withDefaults()
	if len(data) > o.MaxSize {
		return nil, &Error{Msg: fmt.Sprintf("input has more than %d bytes", o.MaxSize), Err: ErrLimit}
	}
	p := &parser{o: o}
	if err := p.start(data); err != nil {
		return nil, err
	}
	ic, err := p.interchange()
	if err != nil {
		return nil, err
	}
	return ic, nil
}

// parser holds the state of one Parse.
type parser struct {
	o   Options
	s   string // the input
	pos int
	sc  ServiceChars
	una bool
	cs  *charset
	n   int // segments read

	comps    []string // scratch: the values of the segment being read
	elemEnds []int    // scratch: len(comps) at the end of each element
	esc      []byte   // scratch: a value with release characters

	strChunk  []string  // arena of component strings
	elemChunk []Element // arena of elements
	segs      []Segment // every segment, in order

	class [256]uint8 // byte classes of the scanner

	ic *Interchange
}

const maxChunk = 1 << 15

func clamp(n, lo, hi int) int {
	return min(max(n, lo), hi)
}

// start finds the UNA or the UNB and sizes the arenas.
func (p *parser) start(data []byte) error {
	i := 0
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		i = 3
	}
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	rest := data[i:]
	switch {
	case bytes.HasPrefix(rest, []byte("UNA")):
		sc, msg := parseUNA(rest)
		if msg != "" {
			return &Error{Offset: i, Tag: "UNA", Msg: msg, Err: ErrServiceString}
		}
		p.sc, p.una = sc, true
		i += 9
	case bytes.HasPrefix(rest, []byte("UNB")):
		p.sc = DefaultServiceChars
		if len(rest) > 3 && rest[3] == levelBServiceChars.Element {
			p.sc = levelBServiceChars
		}
	default:
		head := rest[:min(len(rest), 16)]
		return &Error{Offset: i, Msg: fmt.Sprintf("input starts with %q, want UNA or UNB", head), Err: ErrNotEDIFACT}
	}
	p.s = string(data)
	p.pos = i
	p.setClasses()

	nSeg := bytes.Count(data, []byte{p.sc.Terminator})
	nElem := bytes.Count(data, []byte{p.sc.Element})
	nComp := bytes.Count(data, []byte{p.sc.Component})
	p.segs = make([]Segment, 0, clamp(nSeg+1, 8, p.o.MaxSegments+1))
	p.elemChunk = make([]Element, 0, clamp(nElem+nSeg+4, 16, maxChunk))
	p.strChunk = make([]string, 0, clamp(nElem+nComp+nSeg+4, 16, maxChunk))
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// strings returns n fresh component slots from the arena.
func (p *parser) strs(n int) []string {
	if len(p.strChunk)+n > cap(p.strChunk) {
		p.strChunk = make([]string, 0, max(n, maxChunk))
	}
	l := len(p.strChunk)
	p.strChunk = p.strChunk[:l+n]
	return p.strChunk[l : l+n : l+n]
}

func (p *parser) elems(n int) []Element {
	if len(p.elemChunk)+n > cap(p.elemChunk) {
		p.elemChunk = make([]Element, 0, max(n, maxChunk))
	}
	l := len(p.elemChunk)
	p.elemChunk = p.elemChunk[:l+n]
	return p.elemChunk[l : l+n : l+n]
}

// deviation reports e as a warning when lenient and returns nil, or
// returns e.
func (p *parser) deviation(e *Error) error {
	if !p.o.Lenient {
		return e
	}
	p.ic.WarningCount++
	if len(p.ic.Warnings) < MaxWarnings {
		p.ic.Warnings = append(p.ic.Warnings, e)
	}
	return nil
}

// Byte classes of the scanner.
const (
	classPlain   = iota // data that needs no decoding
	classService        // a separator or the release character
	classDecode         // a control character or a byte above 0x7F
)

// setClasses fills the byte class table for the service characters.
func (p *parser) setClasses() {
	for c := range 256 {
		if c < 0x20 || c >= 0x7f {
			p.class[c] = classDecode
		}
	}
	sc := &p.sc
	for _, c := range []byte{sc.Component, sc.Element, sc.Terminator, sc.Release} {
		if c != 0 {
			p.class[c] = classService
		}
	}
}

// next reads the next segment. ok is false at the end of the input.
func (p *parser) next() (seg Segment, ok bool, err error) {
	s := p.s
	for p.pos < len(s) && isSpace(s[p.pos]) {
		p.pos++
	}
	if p.pos >= len(s) {
		return Segment{}, false, nil
	}
	start := p.pos
	num := p.n + 1
	if num > p.o.MaxSegments {
		return Segment{}, false, &Error{Segment: num, Offset: start, Msg: fmt.Sprintf("more than %d segments", p.o.MaxSegments), Err: ErrLimit}
	}
	p.comps = p.comps[:0]
	p.elemEnds = p.elemEnds[:0]
	comp, elem, term, rel := p.sc.Component, p.sc.Element, p.sc.Terminator, p.sc.Release
	class := &p.class
	escaped, dirty := false, false
	vstart, pos := start, start
	ncomp := 0 // component separators in the current element
	for {
		// Skip plain data quickly.
		for pos < len(s) {
			k := class[s[pos]]
			if k == classPlain {
				pos++
				continue
			}
			if k == classDecode {
				dirty = true
				pos++
				continue
			}
			break
		}
		if pos >= len(s) {
			return p.fail(num, start, ErrSyntax, "segment has no terminator: the input ends inside it")
		}
		c := s[pos]
		if c == rel {
			if pos+1 >= len(s) {
				return p.fail(num, pos, ErrSyntax, "release character at the end of the input")
			}
			if !escaped {
				p.esc = p.esc[:0]
				escaped = true
			}
			p.esc = append(p.esc, s[vstart:pos]...)
			p.esc = append(p.esc, s[pos+1])
			dirty = dirty || class[s[pos+1]] == classDecode
			pos += 2
			vstart = pos
			continue
		}
		end := pos
		if c == term && c == '\n' && end > vstart && s[end-1] == '\r' {
			end-- // a CR LF line end as segment terminator
		}
		v := s[vstart:end]
		if escaped {
			p.esc = append(p.esc, v...)
			v = string(p.esc)
			escaped = false
		}
		p.comps = append(p.comps, v)
		switch c {
		case comp:
			ncomp++
			if ncomp >= p.o.MaxComponents {
				return p.fail(num, pos, ErrLimit, fmt.Sprintf("more than %d components in a data element", p.o.MaxComponents))
			}
		case elem:
			p.elemEnds = append(p.elemEnds, len(p.comps))
			ncomp = 0
			if len(p.elemEnds) > p.o.MaxElements {
				return p.fail(num, pos, ErrLimit, fmt.Sprintf("more than %d data elements in a segment", p.o.MaxElements))
			}
		default: // the terminator
			p.elemEnds = append(p.elemEnds, len(p.comps))
			p.pos = pos + 1
			p.n = num
			return p.build(num, start, dirty)
		}
		pos++
		vstart = pos
	}
}

// fail returns an error inside segment num, naming its tag and the element
// being read when they are known.
func (p *parser) fail(num, off int, err error, msg string) (Segment, bool, error) {
	e := &Error{Segment: num, Offset: off, Msg: msg, Err: err}
	if len(p.comps) > 0 {
		e.Tag = strings.TrimSpace(p.comps[0])
	}
	e.Element = len(p.elemEnds)
	return Segment{}, false, e
}

// build turns the scratch values into a Segment.
func (p *parser) build(num, start int, dirty bool) (Segment, bool, error) {
	tag := strings.TrimSpace(p.comps[0])
	seg := Segment{Tag: tag, Pos: num, Offset: start}
	if !validTag(tag) {
		msg := fmt.Sprintf("tag %q is not three capital letters or digits", tag)
		if tag == "" && len(p.comps) == 1 {
			msg = "empty segment"
		}
		return Segment{}, false, &Error{Segment: num, Tag: tag, Offset: start, Msg: msg, Err: ErrSyntax}
	}
	if tag == "UNB" && p.cs == nil {
		id := p.valueAt(1, 0)
		cs, ok := lookupCharset(id)
		if !ok {
			return Segment{}, false, &Error{Segment: num, Tag: tag, Element: 1, Component: 1, Offset: start,
				Msg: fmt.Sprintf("syntax identifier %q is not a character set this reader knows (%s)", id, strings.Join(Charsets(), ", ")),
				Err: ErrCharset}
		}
		p.cs = &cs
	}
	nElem := len(p.elemEnds) - 1
	els := p.elems(nElem)
	vals := p.strs(len(p.comps) - p.elemEnds[0])
	copy(vals, p.comps[p.elemEnds[0]:])
	lo := 0
	for i := range nElem {
		hi := p.elemEnds[i+1] - p.elemEnds[0]
		els[i] = vals[lo:hi:hi]
		lo = hi
	}
	seg.Elements = els
	if p.cs != nil && dirty {
		if err := p.decode(&seg); err != nil {
			return Segment{}, false, err
		}
	}
	return seg, true, nil
}

// valueAt returns component c of element n (the tag is element 0) of the
// scratch values.
func (p *parser) valueAt(n, c int) string {
	if n >= len(p.elemEnds) {
		return ""
	}
	lo := 0
	if n > 0 {
		lo = p.elemEnds[n-1]
	}
	if lo+c >= p.elemEnds[n] {
		return ""
	}
	return p.comps[lo+c]
}

// decode turns the raw values of seg into UTF-8 text in the interchange's
// character set.
func (p *parser) decode(seg *Segment) error {
	for i, el := range seg.Elements {
		for j, v := range el {
			d, bad := p.cs.decode(v)
			if bad == nil {
				el[j] = d
				continue
			}
			sentinel := ErrCharset
			if bad.b < 0x20 || bad.b == 0x7f {
				sentinel = ErrSyntax
			}
			err := &Error{Segment: seg.Pos, Tag: seg.Tag, Element: i + 1, Component: j + 1, Offset: seg.Offset, Msg: bad.why, Err: sentinel}
			if e := p.deviation(err); e != nil {
				return e
			}
			el[j] = d
		}
	}
	return nil
}

func validTag(t string) bool {
	if len(t) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		c := t[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// interchange reads the segments and checks the envelope.
func (p *parser) interchange() (*Interchange, error) {
	ic := &Interchange{Service: p.sc, HasUNA: p.una}
	p.ic = ic
	unb, ok, err := p.next()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, &Error{Offset: p.pos, Msg: "no segment after the UNA", Err: ErrEnvelope}
	}
	if unb.Tag != "UNB" {
		return nil, unb.ErrorAt(0, 0, ErrEnvelope, fmt.Sprintf("first segment is %s, want UNB", unb.Tag))
	}
	if err := ic.readUNB(&unb); err != nil {
		return nil, err
	}

	group := -1 // open group
	msgStart := -1
	var msg Message
	groupMsgs := 0
	outside := 0 // messages outside any group
	for {
		seg, ok, err := p.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			what := "UNZ"
			switch {
			case msgStart >= 0:
				what = "UNT of message " + strconv.Quote(msg.Ref)
			case group >= 0:
				what = "UNE of group " + strconv.Quote(ic.Groups[group].Ref)
			}
			return nil, &Error{Segment: p.n + 1, Offset: len(p.s), Msg: "interchange ends without the " + what, Err: ErrEnvelope}
		}
		switch seg.Tag {
		case "UNA", "UNB":
			return nil, seg.ErrorAt(0, 0, ErrEnvelope, seg.Tag+" inside an interchange (UNZ missing?)")
		case "UNG":
			if msgStart >= 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "UNG inside message "+strconv.Quote(msg.Ref)+" (UNT missing)")
			}
			if group >= 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "UNG inside group "+strconv.Quote(ic.Groups[group].Ref)+" (UNE missing)")
			}
			if outside > 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "UNG after messages outside any group")
			}
			g, err := readUNG(&seg)
			if err != nil {
				return nil, err
			}
			ic.Groups = append(ic.Groups, g)
			group = len(ic.Groups) - 1
			groupMsgs = 0
		case "UNE":
			if msgStart >= 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "UNE inside message "+strconv.Quote(msg.Ref)+" (UNT missing)")
			}
			if group < 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "UNE without a UNG")
			}
			g := &ic.Groups[group]
			g.Trailer = seg
			if err := p.checkTrailer(&seg, groupMsgs, "messages in the group", g.Ref, "UNG"); err != nil {
				return nil, err
			}
			group = -1
		case "UNH":
			if msgStart >= 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "UNH inside message "+strconv.Quote(msg.Ref)+" (UNT missing)")
			}
			if group < 0 && len(ic.Groups) > 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "message outside a group in an interchange with groups")
			}
			m, err := readUNH(&seg)
			if err != nil {
				return nil, err
			}
			m.Group = group
			msg = m
			msgStart = len(p.segs)
		case "UNT":
			if msgStart < 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "UNT without a UNH")
			}
			body := p.segs[msgStart:len(p.segs):len(p.segs)]
			msg.Segments = body
			msg.Trailer = seg
			if err := p.checkTrailer(&seg, len(body)+2, "segments in the message", msg.Ref, "UNH"); err != nil {
				return nil, err
			}
			ic.Messages = append(ic.Messages, msg)
			msgStart = -1
			if group >= 0 {
				groupMsgs++
			} else {
				outside++
			}
		case "UNZ":
			if msgStart >= 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "UNZ inside message "+strconv.Quote(msg.Ref)+" (UNT missing)")
			}
			if group >= 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "UNZ inside group "+strconv.Quote(ic.Groups[group].Ref)+" (UNE missing)")
			}
			ic.Trailer = seg
			n, what := len(ic.Messages), "messages"
			if len(ic.Groups) > 0 {
				n, what = len(ic.Groups), "groups"
			}
			if err := p.checkTrailer(&seg, n, what+" in the interchange", ic.ControlRef, "UNB"); err != nil {
				return nil, err
			}
			ic.Segments = p.n
			if err := p.trailing(); err != nil {
				return nil, err
			}
			return ic, nil
		default:
			if msgStart < 0 {
				return nil, seg.ErrorAt(0, 0, ErrEnvelope, "segment "+seg.Tag+" outside a message")
			}
			p.segs = append(p.segs, seg)
		}
	}
}

// trailing checks what follows the UNZ: white space (and a DOS end of file
// mark) only.
func (p *parser) trailing() error {
	rest := p.s[p.pos:]
	rest = strings.TrimRight(strings.TrimLeft(rest, " \t\r\n"), " \t\r\n\x1a")
	if rest == "" {
		return nil
	}
	head := rest[:min(len(rest), 16)]
	return p.deviation(&Error{Segment: p.n, Tag: "UNZ", Offset: p.pos,
		Msg: fmt.Sprintf("%d bytes after the UNZ (%q)", len(rest), head), Err: ErrEnvelope})
}

// checkTrailer checks the count (element 1) and the reference (element 2)
// of a trailer.
func (p *parser) checkTrailer(seg *Segment, want int, what, ref, header string) error {
	got := seg.Value(1, 1)
	n, err := strconv.Atoi(got)
	switch {
	case err != nil || n < 0:
		if e := p.deviation(seg.ErrorAt(1, 1, ErrCount, fmt.Sprintf("%s count %q is not a number (%d %s)", seg.Tag, got, want, what))); e != nil {
			return e
		}
	case n != want:
		if e := p.deviation(seg.ErrorAt(1, 1, ErrCount, fmt.Sprintf("%s counts %d, but there are %d %s", seg.Tag, n, want, what))); e != nil {
			return e
		}
	}
	if r := seg.Value(2, 1); r != ref {
		if e := p.deviation(seg.ErrorAt(2, 1, ErrReference, fmt.Sprintf("%s reference %q is not the %s reference %q", seg.Tag, r, header, ref))); e != nil {
			return e
		}
	}
	return nil
}

func (ic *Interchange) readUNB(s *Segment) error {
	ic.Header = *s
	ic.Syntax = s.Value(1, 1)
	ic.SyntaxVersion = s.Value(1, 2)
	ic.Sender = partyOf(s.Element(2))
	ic.Recipient = partyOf(s.Element(3))
	ic.Date = s.Value(4, 1)
	ic.Time = s.Value(4, 2)
	ic.ControlRef = s.Value(5, 1)
	ic.AppRef = s.Value(7, 1)
	ic.Test = s.Value(11, 1) == "1"
	switch {
	case ic.Sender.ID == "":
		return s.ErrorAt(2, 1, ErrEnvelope, "UNB has no sender")
	case ic.Recipient.ID == "":
		return s.ErrorAt(3, 1, ErrEnvelope, "UNB has no recipient")
	case ic.ControlRef == "":
		return s.ErrorAt(5, 1, ErrEnvelope, "UNB has no interchange control reference")
	}
	return nil
}

func readUNG(s *Segment) (Group, error) {
	g := Group{
		Header:      *s,
		Type:        s.Value(1, 1),
		Sender:      partyOf(s.Element(2)),
		Recipient:   partyOf(s.Element(3)),
		Date:        s.Value(4, 1),
		Time:        s.Value(4, 2),
		Ref:         s.Value(5, 1),
		Agency:      s.Value(6, 1),
		Version:     s.Value(7, 1),
		Release:     s.Value(7, 2),
		Association: s.Value(7, 3),
	}
	if g.Ref == "" {
		return g, s.ErrorAt(5, 1, ErrEnvelope, "UNG has no group reference")
	}
	return g, nil
}

func readUNH(s *Segment) (Message, error) {
	m := Message{
		Header:          *s,
		Ref:             s.Value(1, 1),
		Type:            s.Value(2, 1),
		Version:         s.Value(2, 2),
		Release:         s.Value(2, 3),
		Agency:          s.Value(2, 4),
		Association:     s.Value(2, 5),
		CommonAccessRef: s.Value(3, 1),
		Sequence:        s.Value(4, 1),
		SequenceMark:    s.Value(4, 2),
	}
	switch {
	case m.Ref == "":
		return m, s.ErrorAt(1, 1, ErrEnvelope, "UNH has no message reference")
	case m.Type == "":
		return m, s.ErrorAt(2, 1, ErrEnvelope, "UNH has no message type")
	}
	return m, nil
}
