// Package unxml reads the UN Security Council Consolidated List, the XML file
// the UN publishes at scsanctions.un.org, into screening entries.
//
// The reader streams: it walks the XML tokens and decodes one INDIVIDUAL or
// ENTITY element at a time, so memory stays flat however long the list.
//
// # Mapping
//
// Each INDIVIDUAL becomes a person and each ENTITY an organisation, with
// action refer:
//
//	REFERENCE_NUMBER (DATAID if empty)  ID ("QDi.001")
//	FIRST_NAME .. FOURTH_NAME           the primary name, as one full name (the
//	                                    parts are not given and family names)
//	NAME_ORIGINAL_SCRIPT                one more strong name
//	INDIVIDUAL_ALIAS, ENTITY_ALIAS      aliases; QUALITY "Low" makes a weak one,
//	                                    anything else ("Good", "a.k.a.",
//	                                    "f.k.a.", empty) a strong one. "a; b" is
//	                                    two aliases; a bracketed name in another
//	                                    script, "Jin Tiesan (金铁三)", or an
//	                                    acronym, "(IRGC)", is one more; other
//	                                    bracketed notes ("(birth name)") and
//	                                    ", born ..." tails are cut off
//	alias NOTE                          a name in another script in it ("In
//	                                    Arabic: سيف العدل") is one more name
//	alias DATE_OF_BIRTH                 one more birth date
//	INDIVIDUAL_DATE_OF_BIRTH            birth dates: DATE (a day), YEAR (a year),
//	                                    FROM_YEAR/TO_YEAR (a range of years);
//	                                    TYPE_OF_DATE APPROXIMATELY (or a NOTE
//	                                    "Approximately") widens the date to a
//	                                    range one year either side; a NOTE alone
//	                                    is read when it is a date ("Nov. 1973",
//	                                    "Between Aug. and Sep. 1977" gives 1977)
//	NATIONALITY/VALUE                   nationalities, as alpha-3 codes
//	GENDER                              gender
//	INDIVIDUAL_DOCUMENT                 documents. TYPE_OF_DOCUMENT passport (in
//	                                    any of the three languages) is "P",
//	                                    national identification "I"; either is
//	                                    "" when the text says the document is a
//	                                    driving licence, social security number,
//	                                    birth certificate, military, tax, fiscal
//	                                    or residence card. NUMBER is cleaned of
//	                                    prose ("Libyan passport No. 513519" is
//	                                    513519); when empty, a number is looked
//	                                    for in TYPE_OF_DOCUMENT2 and NOTE. The
//	                                    issuing state is ISSUING_COUNTRY, else
//	                                    COUNTRY_OF_ISSUE, else a country the
//	                                    prose names ("Tunisian passport", "in
//	                                    Juba, South Sudan"). The expiry date is
//	                                    read from NOTE ("expires on 11 Jun.
//	                                    2017"). TYPE_OF_DOCUMENT2, DATE_OF_ISSUE,
//	                                    CITY_OF_ISSUE and NOTE go to the note.
//	                                    Repeats of one document are merged.
//	ENTITY_ADDRESS/COUNTRY              an organisation's countries
//	UN_LIST_TYPE, REFERENCE_NUMBER      reason: "UN Security Council sanctions:
//	                                    Taliban (TAi.001)"
//	REFERENCE_NUMBER, DATAID            source
//	LISTED_ON                           listed_from (a time zone after the day
//	                                    is dropped)
//
// Left out: TITLE, DESIGNATION, COMMENTS1, places of birth, the addresses of
// persons, LAST_DAY_UPDATED, LIST_TYPE, SORT_KEY and the version fields. A
// country name that screening.CountryCode does not know, a document without
// a number, and a date note that is not a date ("30-35 years old", a Hijri
// date) are left out and counted in Stats.
//
// # Errors
//
// A record whose structured fields are broken (no name at all, a DATE, YEAR,
// alias DATE_OF_BIRTH or LISTED_ON that is not a date, a range that ends
// before it starts) is returned as a *screening.RecordError numbered by the
// ordinal of its INDIVIDUAL or ENTITY element (1-based, in file order:
// individuals first), and reading goes on. Input that is not UTF-8 XML, or
// XML whose root is not CONSOLIDATED_LIST, is an error wrapping ErrFormat
// that ends the reading.
package unxml

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/internal/freetext"
)

// Root is the name of the root element of the list.
const Root = "CONSOLIDATED_LIST"

// Reader reads entries from a UN consolidated list. It implements
// screening.EntryReader.
type Reader struct {
	dec     *xml.Decoder
	rec     int
	started bool
	err     error // sticky: the error that ended the reading, or io.EOF
	stats   Stats
}

// Stats counts what a Reader read and what it had to leave out.
type Stats struct {
	Records int // INDIVIDUAL and ENTITY elements met
	// UnknownCountries counts the country names, in nationalities, document
	// issuers and addresses, that are not known country names.
	UnknownCountries map[string]int
	// UnreadDates counts birth-date notes that are not a date.
	UnreadDates int
	// DocumentsWithoutNumber counts documents left out for want of a number.
	DocumentsWithoutNumber int
}

// NewReader returns a Reader of r, which must hold UTF-8 XML.
func NewReader(r io.Reader) *Reader {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	return &Reader{dec: dec, stats: Stats{UnknownCountries: map[string]int{}}}
}

// Record returns the ordinal of the last INDIVIDUAL or ENTITY element read.
func (r *Reader) Record() int { return r.rec }

// Stats returns the counts so far.
func (r *Reader) Stats() Stats {
	st := r.stats
	st.UnknownCountries = maps.Clone(r.stats.UnknownCountries)
	return st
}

// Read returns the next entry; see screening.EntryReader.
func (r *Reader) Read() (*screening.Entry, error) {
	if r.err != nil {
		return nil, r.err
	}
	if !r.started {
		if err := r.start(); err != nil {
			r.err = err
			return nil, err
		}
		r.started = true
	}
	for {
		tok, err := r.dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			r.err = r.syntax(err)
			return nil, r.err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			var kind screening.Kind
			switch t.Name.Local {
			case "INDIVIDUALS", "ENTITIES":
				continue
			case "INDIVIDUAL":
				kind = screening.KindPerson
			case "ENTITY":
				kind = screening.KindOrganization
			default:
				if err := r.dec.Skip(); err != nil {
					r.err = r.syntax(err)
					return nil, r.err
				}
				continue
			}
			r.rec++
			r.stats.Records++
			var raw record
			if err := r.dec.DecodeElement(&raw, &t); err != nil {
				r.err = r.syntax(err)
				return nil, r.err
			}
			return r.entry(&raw, kind)
		case xml.EndElement:
			if t.Name.Local == Root {
				r.err = io.EOF
				return nil, io.EOF
			}
		}
	}
}

// start reads up to the root element and checks it.
func (r *Reader) start() error {
	for {
		tok, err := r.dec.Token()
		if err == io.EOF {
			return fmt.Errorf("%w: no root element", ErrFormat)
		}
		if err != nil {
			return r.syntax(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != Root {
				return fmt.Errorf("%w: root element is <%s>, want <%s>", ErrFormat, t.Name.Local, Root)
			}
			return nil
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 {
				return fmt.Errorf("%w: text before the root element", ErrFormat)
			}
		}
	}
}

func (r *Reader) syntax(err error) error {
	line, _ := r.dec.InputPos()
	return fmt.Errorf("%w: line %d: %w", ErrFormat, line, err)
}

// record is one INDIVIDUAL or ENTITY element.
type record struct {
	DataID      string     `xml:"DATAID"`
	First       string     `xml:"FIRST_NAME"`
	Second      string     `xml:"SECOND_NAME"`
	Third       string     `xml:"THIRD_NAME"`
	Fourth      string     `xml:"FOURTH_NAME"`
	ListType    string     `xml:"UN_LIST_TYPE"`
	Ref         string     `xml:"REFERENCE_NUMBER"`
	ListedOn    string     `xml:"LISTED_ON"`
	Gender      string     `xml:"GENDER"`
	Script      []string   `xml:"NAME_ORIGINAL_SCRIPT"`
	Nationality []string   `xml:"NATIONALITY>VALUE"`
	PersonAlias []alias    `xml:"INDIVIDUAL_ALIAS"`
	EntityAlias []alias    `xml:"ENTITY_ALIAS"`
	BirthDates  []birth    `xml:"INDIVIDUAL_DATE_OF_BIRTH"`
	Documents   []document `xml:"INDIVIDUAL_DOCUMENT"`
	Addresses   []address  `xml:"ENTITY_ADDRESS"`
}

type alias struct {
	Quality   string `xml:"QUALITY"`
	Name      string `xml:"ALIAS_NAME"`
	BirthDate string `xml:"DATE_OF_BIRTH"`
	Note      string `xml:"NOTE"`
}

type birth struct {
	Type string `xml:"TYPE_OF_DATE"`
	Date string `xml:"DATE"`
	Year string `xml:"YEAR"`
	From string `xml:"FROM_YEAR"`
	To   string `xml:"TO_YEAR"`
	Note string `xml:"NOTE"`
}

type document struct {
	Type         string `xml:"TYPE_OF_DOCUMENT"`
	Type2        string `xml:"TYPE_OF_DOCUMENT2"`
	Number       string `xml:"NUMBER"`
	Issuer       string `xml:"ISSUING_COUNTRY"`
	IssuedIn     string `xml:"COUNTRY_OF_ISSUE"`
	IssuedOn     string `xml:"DATE_OF_ISSUE"`
	IssuedInCity string `xml:"CITY_OF_ISSUE"`
	Note         string `xml:"NOTE"`
}

type address struct {
	Country string `xml:"COUNTRY"`
}

// regimes names the UN sanctions regimes by their UN_LIST_TYPE.
var regimes = map[string]string{
	"Al-Qaida":   "ISIL (Da'esh) and Al-Qaida",
	"Taliban":    "Taliban",
	"DPRK":       "Democratic People's Republic of Korea",
	"DRC":        "Democratic Republic of the Congo",
	"CAR":        "Central African Republic",
	"GB":         "Guinea-Bissau",
	"SouthSudan": "South Sudan",
}

// entry maps one record.
func (r *Reader) entry(raw *record, kind screening.Kind) (*screening.Entry, error) {
	e := &screening.Entry{Kind: kind, Action: screening.ActionRefer}
	ref := freetext.Collapse(raw.Ref)
	dataID := strings.TrimSpace(raw.DataID)
	e.ID = ref
	if e.ID == "" {
		e.ID = dataID
	}
	fail := func(format string, args ...any) (*screening.Entry, error) {
		return nil, &screening.RecordError{Record: r.rec, ID: e.ID, Err: fmt.Errorf(format, args...)}
	}
	if e.ID == "" {
		return fail("no REFERENCE_NUMBER and no DATAID")
	}

	// Names.
	primary := freetext.Collapse(strings.Join([]string{raw.First, raw.Second, raw.Third, raw.Fourth}, " "))
	if primary != "" {
		e.Names = append(e.Names, screening.Name{Full: primary})
	}
	for _, s := range raw.Script {
		if s = freetext.Collapse(s); s != "" {
			e.Names = append(e.Names, screening.Name{Full: s})
		}
	}
	for _, a := range slices.Concat(raw.PersonAlias, raw.EntityAlias) {
		strength := screening.StrengthStrong
		if strings.EqualFold(strings.TrimSpace(a.Quality), "low") {
			strength = screening.StrengthWeak
		}
		for _, n := range SplitAlias(a.Name) {
			e.Names = append(e.Names, screening.Name{Full: n, Strength: strength})
		}
		// "In Arabic: سيف العدل", "original script: Абу Банат".
		for _, n := range ScriptNames(a.Note) {
			e.Names = append(e.Names, screening.Name{Full: n, Strength: strength})
		}
		if s := strings.TrimSpace(a.BirthDate); s != "" {
			d, err := parseDate(s)
			if err != nil {
				return fail("INDIVIDUAL_ALIAS/DATE_OF_BIRTH: %w", err)
			}
			e.BirthDates = append(e.BirthDates, d)
		}
	}
	if len(e.Names) == 0 {
		return fail("no name: FIRST_NAME to FOURTH_NAME and all aliases are empty")
	}
	if primary == "" {
		// Aliases only: the first strong one leads.
		if i := slices.IndexFunc(e.Names, func(n screening.Name) bool { return !n.Weak() }); i > 0 {
			e.Names[0], e.Names[i] = e.Names[i], e.Names[0]
		}
	}

	// Dates of birth.
	for i, b := range raw.BirthDates {
		d, ok, err := r.birthDate(b)
		if err != nil {
			return fail("INDIVIDUAL_DATE_OF_BIRTH[%d]: %w", i+1, err)
		}
		if ok {
			e.BirthDates = append(e.BirthDates, d)
		}
	}

	for _, n := range raw.Nationality {
		if c, ok := r.country(n); ok {
			e.Nationalities = append(e.Nationalities, c)
		}
	}
	if g, err := screening.ParseGender(raw.Gender); err == nil {
		e.Gender = g
	}
	for _, d := range raw.Documents {
		if doc, ok := r.document(d); ok {
			e.Documents = append(e.Documents, doc)
		}
	}
	e.Documents = freetext.MergeDocuments(e.Documents)
	for _, a := range raw.Addresses {
		if c, ok := r.country(a.Country); ok {
			e.Countries = append(e.Countries, c)
		}
	}

	listType := freetext.Collapse(raw.ListType)
	regime := regimes[listType]
	if regime == "" {
		regime = listType
	}
	if regime == "" {
		regime = "UN Security Council sanctions"
	} else {
		regime = "UN Security Council sanctions: " + regime
	}
	e.Reason = regime
	if ref != "" {
		e.Reason += " (" + ref + ")"
	}
	e.Source = "UN Security Council Consolidated List"
	switch {
	case ref != "" && dataID != "":
		e.Source += ", " + ref + ", DATAID " + dataID
	case ref != "":
		e.Source += ", " + ref
	default:
		e.Source += ", DATAID " + dataID
	}
	if s := strings.TrimSpace(raw.ListedOn); s != "" {
		d, err := parseDate(s)
		if err != nil {
			return fail("LISTED_ON: %w", err)
		}
		e.ListedFrom = d
	}
	return screening.CheckRecord(r.rec, e)
}

// parseDate reads a structured date: "2006-01-02", "2006", with or without
// the time zone the list sometimes appends ("2015-04-07-04:00").
func parseDate(s string) (screening.Date, error) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[4] == '-' && s[7] == '-' {
		if tz := s[10:]; tz == "Z" || tz[0] == '+' || tz[0] == '-' || tz[0] == 'T' {
			s = s[:10]
		}
	}
	return screening.ParseDate(s)
}

// birthDate maps one INDIVIDUAL_DATE_OF_BIRTH. ok is false when it holds
// nothing usable; err is set when a structured field is broken.
func (r *Reader) birthDate(b birth) (d screening.Date, ok bool, err error) {
	approx := strings.EqualFold(strings.TrimSpace(b.Type), "APPROXIMATELY") ||
		strings.Contains(strings.ToLower(b.Note), "approximately")
	switch {
	case strings.TrimSpace(b.Date) != "":
		if d, err = parseDate(b.Date); err != nil {
			return d, false, fmt.Errorf("DATE: %w", err)
		}
	case strings.TrimSpace(b.Year) != "":
		if d, err = parseDate(b.Year); err != nil || d.Precision() != screening.PrecisionYear {
			return d, false, fmt.Errorf("YEAR %q: %w", b.Year, screening.ErrDate)
		}
	case strings.TrimSpace(b.From) != "" || strings.TrimSpace(b.To) != "":
		from, err1 := parseDate(b.From)
		to, err2 := parseDate(b.To)
		switch {
		case err1 != nil || from.Precision() != screening.PrecisionYear:
			return d, false, fmt.Errorf("FROM_YEAR %q: %w", b.From, screening.ErrDate)
		case err2 != nil || to.Precision() != screening.PrecisionYear:
			return d, false, fmt.Errorf("TO_YEAR %q: %w", b.To, screening.ErrDate)
		case to.Year < from.Year:
			return d, false, fmt.Errorf("FROM_YEAR %d after TO_YEAR %d: %w", from.Year, to.Year, screening.ErrDate)
		}
		d = freetext.Span(from, to)
	case strings.TrimSpace(b.Note) != "":
		// A note alone: "Nov. 1973", "Between Aug. and Sep. 1977".
		if d, ok = noteDate(b.Note); !ok {
			r.stats.UnreadDates++
			return d, false, nil
		}
	default:
		return d, false, nil
	}
	if approx {
		d = freetext.Widen(d)
	}
	return d, true, nil
}

// noteDate reads a birth date written as a note: one date, or "Between
// <month> and <month> <year>" (which gives the year).
func noteDate(note string) (screening.Date, bool) {
	if d, ok := freetext.Date(note); ok {
		return d, true
	}
	lower := strings.ToLower(strings.TrimSpace(note))
	if rest, ok := strings.CutPrefix(lower, "between "); ok {
		if _, second, ok := strings.Cut(rest, " and "); ok {
			if d, ok := freetext.Date(second); ok {
				return screening.Date{Year: d.Year}, true
			}
		}
	}
	return screening.Date{}, false
}

// country resolves a country name, counting the ones it does not know.
func (r *Reader) country(name string) (string, bool) {
	name = freetext.Collapse(name)
	if name == "" || strings.EqualFold(name, "na") || strings.EqualFold(name, "n/a") {
		return "", false
	}
	if c, ok := freetext.Country(name); ok {
		return c, true
	}
	r.stats.UnknownCountries[name]++
	return "", false
}

// otherDocument lists words (or their starts) that make a document neither a passport nor an
// identity card.
var otherDocument = []string{"driving licen", "driver", "social security", "ssn", "birth certificate",
	"military", "fardc", "tax", "fiscal", "ration", "alien registration", "residen", "electoral", "voter"}

// document maps one INDIVIDUAL_DOCUMENT; ok is false when it has no number.
func (r *Reader) document(d document) (screening.Document, bool) {
	typ := strings.ToLower(freetext.Collapse(d.Type))
	type2 := freetext.Collapse(d.Type2)
	if typ == "" && type2 == "" && strings.TrimSpace(d.Number) == "" && strings.TrimSpace(d.Note) == "" {
		return screening.Document{}, false // an empty <INDIVIDUAL_DOCUMENT/>
	}
	num := freetext.DocumentNumber(d.Number)
	if num.Value == "" {
		// No NUMBER: "Afghan national identification card (tazkira) number
		// 545167" in TYPE_OF_DOCUMENT2, "04643632 issued on 18 Jun. 1999"
		// or "Italian Fiscal Code: DAOMMD74T11Z352Z" in NOTE.
		for i, s := range []string{type2, d.Note} {
			n := freetext.DocumentNumber(s)
			if first, _ := freetext.NumberRun(freetext.Collapse(s)); n.Value == "" || !freetext.LooksLikeNumber(n.Value) {
				if !freetext.LooksLikeNumber(first) {
					continue
				}
				n = freetext.Number{Value: first}
			}
			num = n
			if i == 0 {
				type2 = ""
			} else {
				num.Note = "" // the note is kept whole below
			}
			break
		}
	}
	if num.Value == "" {
		r.stats.DocumentsWithoutNumber++
		return screening.Document{}, false
	}
	doc := screening.Document{Number: num.Value}
	switch {
	case strings.Contains(typ, "passport") || strings.Contains(typ, "passeport") || strings.Contains(typ, "pasaporte"):
		doc.Type = "P"
	case strings.Contains(typ, "identification") || strings.Contains(typ, "identity"):
		doc.Type = "I"
	}
	context := type2 + " " + num.Note + " " + d.Number + " " + d.Note
	for _, w := range otherDocument {
		if freetext.HasWord(context, w) {
			doc.Type = ""
			break
		}
	}
	var notes []string
	if type2 != "" && !strings.EqualFold(type2, typ) {
		notes = append(notes, strings.TrimRight(type2, " :"))
	}
	if num.Note != "" {
		notes = append(notes, num.Note)
	}
	for _, name := range []string{d.Issuer, d.IssuedIn} {
		if strings.TrimSpace(name) == "" {
			continue
		}
		if c, ok := r.country(name); ok {
			doc.Country = c
			break
		}
		notes = append(notes, "issued by "+freetext.Collapse(name))
	}
	if doc.Country == "" {
		doc.Country = num.Country
	}
	if doc.Country == "" {
		// "issued by the Minister of Foreign Affairs, in Juba, South Sudan".
		doc.Country, _ = freetext.IssuingCountry(d.Note)
	}
	issued := freetext.Collapse(d.IssuedOn)
	if city := freetext.Collapse(d.IssuedInCity); city != "" {
		issued = strings.TrimSpace(issued + " in " + city)
	}
	if issued != "" {
		notes = append(notes, "issued "+issued)
	}
	note := freetext.Collapse(d.Note)
	if note != "" {
		notes = append(notes, note)
	}
	for _, s := range []string{note, num.Note} {
		if exp, ok := freetext.Expiry(s); ok {
			doc.Expiry = exp
			break
		}
	}
	doc.Note = truncate(strings.Join(notes, "; "), 1024)
	return doc, true
}

// SplitAlias splits an ALIAS_NAME into the names it holds: "a; b; c" is
// three names; a bracketed name in another script, "Jin Tiesan (金铁三)",
// is a second name; other bracketed notes ("(birth name)") and tails such as
// ", born 1 Jan. 1953 (...)" are dropped.
func SplitAlias(s string) []string {
	s = freetext.Collapse(freetext.StripControl(s))
	if s == "" {
		return nil
	}
	if i := strings.Index(freetext.LowerASCII(s), ", born "); i > 0 {
		s = s[:i]
	}
	var out []string
	for _, part := range strings.Split(s, ";") {
		// "Mohammad Sabet b) M. Javad Kareemi Sabet": enumerations.
		for _, p := range splitEnumeration(part) {
			out = append(out, splitScript(p)...)
		}
	}
	return out
}

// splitEnumeration splits "x b) y" at list markers "a)", "b)", ...
func splitEnumeration(s string) []string {
	var out []string
	for {
		i := enumerationAt(s)
		if i < 0 {
			break
		}
		out = append(out, s[:i])
		s = s[i+3:]
	}
	out = append(out, s)
	res := out[:0]
	for _, p := range out {
		if p = strings.TrimSpace(p); p != "" {
			res = append(res, p)
		}
	}
	return res
}

func enumerationAt(s string) int {
	for i := 0; i+3 <= len(s); i++ {
		if s[i] == ' ' && s[i+1] >= 'a' && s[i+1] <= 'h' && s[i+2] == ')' && (i+3 == len(s) || s[i+3] == ' ') {
			return i
		}
	}
	return -1
}

// splitScript pulls a bracketed part out of a name: a second name when it
// is in another script, else a note to drop.
func splitScript(s string) []string {
	s = strings.TrimSpace(s)
	open := strings.IndexByte(s, '(')
	if open < 0 {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	end := strings.IndexByte(s[open:], ')')
	var inner, rest string
	if end < 0 {
		inner, rest = s[open+1:], s[:open]
	} else {
		inner, rest = s[open+1:open+end], s[:open]+" "+s[open+end+1:]
	}
	rest = freetext.Collapse(strings.Trim(rest, " ,"))
	var out []string
	if rest != "" {
		out = append(out, rest)
	}
	if inner = strings.TrimSpace(inner); inner != "" && (!latin(inner) || acronym(inner)) {
		out = append(out, inner)
	}
	return out
}

// acronym reports whether s is one word of mostly capitals, such as "IRGC"
// or "JuA": a short name worth keeping, where "(third)" or "(birth name)"
// is a note.
func acronym(s string) bool {
	if strings.ContainsAny(s, " ,;") {
		return false
	}
	letters, upper := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return upper >= 2 && 2*upper >= letters
}

// ScriptNames returns the runs of text in a non-Latin script found in a
// note, such as the name in "Previously listed as. In Arabic: مرعي زغبي".
func ScriptNames(note string) []string {
	var out []string
	start, end := -1, -1 // the current run: from its first to after its last non-Latin letter
	flush := func() {
		if start >= 0 {
			if n := freetext.Collapse(note[start:end]); utf8.RuneCountInString(n) >= 2 {
				out = append(out, n)
			}
		}
		start, end = -1, -1
	}
	for i, r := range note {
		switch {
		case unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r), unicode.Is(unicode.Mn, r) && start >= 0:
			if start < 0 {
				start = i
			}
			end = i + utf8.RuneLen(r)
		case start >= 0 && (unicode.IsSpace(r) || r == '-' || r == '\'' || r == '’' || r == '‌'):
			// May join two words of the run.
		default:
			flush()
		}
	}
	flush()
	return out
}

// latin reports whether every letter of s is in the Latin script.
func latin(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

var _ screening.EntryReader = (*Reader)(nil)
