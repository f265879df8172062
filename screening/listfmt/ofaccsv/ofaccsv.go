// Package ofaccsv reads the US Treasury OFAC Specially Designated Nationals
// list in its legacy CSV form (sdn.csv, with alt.csv, add.csv and
// sdn_comments.csv beside it when they are there) into screening entries.
//
// # The file
//
// sdn.csv has no header and twelve columns: ent_num, SDN_Name, SDN_Type,
// Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner,
// Remarks. "-0-" means empty. The text is Latin-1; the reader decodes it
// (golang.org/x/text/encoding/charmap) as Windows-1252, which agrees with Latin-1 on every printable character and
// also gives the typographic quotes OFAC's tools sometimes leave in the
// 0x80-0x9F range. A field that is already valid UTF-8 with non-ASCII
// letters is kept as it is, so that a re-encoded file reads the same. Lines
// end in CRLF and the file in a 0x1A byte (DOS end of file); both are
// accepted, as is a header line if someone added one.
//
// # Mapping
//
//	ent_num                 ID, and source "OFAC SDN List, ent_num 36"
//	SDN_Type "individual"   a person; anything else (empty, vessel, aircraft)
//	                        an organisation
//	SDN_Name                the primary name: "SURNAME, Given" becomes
//	                        family and given names for a person
//	Program                 reason: "OFAC SDN: SDGT, IRGC" (the "] [" joins
//	                        of several programmes are split), with Title and
//	                        "vessel"/"aircraft" after it
//	Call_Sign, Vess_flag    an identifier "Call Sign" and a country
//	Remarks                 everything below
//	alt.csv                 aliases (aka, fka, nka): strong, weak when
//	                        alt_remarks says "weak" or "low quality"
//	add.csv                 an organisation's countries
//	sdn_comments.csv        the rest of a Remarks field too long for sdn.csv
//
// Remarks is read item by item (items end at ";"):
//
//	a.k.a./f.k.a./n.k.a. 'X'   aliases, strong ("X (weak)" makes a weak one);
//	                           "SURNAME, Given" for a person
//	DOB 01 Jan 1960            birth dates: a day, "Jan 1960", "1960",
//	(and alt. DOB)             "1960 to 1962" and "01 Jan 1961 to 31 Dec 1962"
//	                           (a range of years), "circa 1960" (1959/1961)
//	nationality X, citizen X   nationalities (and their alt. forms)
//	Gender Male                gender
//	Passport A123 (Iran)       documents of a person: passports "P", national
//	                           identity cards "I" (National ID No., Cedula No.,
//	                           D.N.I., Personal ID Card, ...), other numbers
//	                           "" (C.U.R.P., R.F.C., Tax ID No., driving
//	                           licence, ...), with their country, "issued"
//	                           and "expires" dates
//	Registration Number X      identifiers of an organisation, vessel or
//	(and the like)             aircraft, with their country
//
// The "issued" date of a document goes to its note, the "expires" date to
// its expiry.
//
// Left out: places of birth (POB), addresses of persons, Linked To, the
// positions Remarks repeats (the Title column is in the reason), websites,
// e-mail, telephone, digital currency addresses, Vess_type, Tonnage, GRT,
// Vess_owner and other aircraft and vessel particulars, the alt_num and
// add_num keys, and the sanctions notes ("Secondary sanctions risk",
// "Additional Sanctions Information"). An item the reader
// does not know is skipped and counted in Stats; a known item it cannot read
// (a DOB that is not a date, an unknown country) is skipped and counted too,
// and never fails the record.
//
// # Errors
//
// A line that cannot be used (a wrong number of columns, a broken quote, no
// name, an ent_num that is not a number) is a *screening.RecordError with
// its line number, and reading goes on. A first record that is not an SDN
// record is an error wrapping ErrFormat that ends the reading.
package ofaccsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/internal/freetext"
	"golang.org/x/text/encoding/charmap"
)

// Columns is the number of columns of sdn.csv.
const Columns = 12

// Reader reads entries from sdn.csv. It implements screening.EntryReader.
type Reader struct {
	cr      *csv.Reader
	started bool
	err     error
	line    int

	aliases   map[string][]altName
	countries map[string][]string
	comments  map[string]string
	closers   []io.Closer
	stats     Stats
	coverage  map[string]*Coverage
}

type altName struct {
	typ, name, remarks string
}

// Coverage counts the remarks of one kind: how many the reader met and how
// many it could read.
type Coverage struct {
	Seen int
	Read int
}

// Stats counts what a Reader read and what it had to leave out.
type Stats struct {
	Records int // sdn.csv records read, good or bad
	// Remarks counts remark items by kind: "alias", "DOB", "nationality",
	// "citizen", "gender", "passport", "identity card", "other document",
	// "identifier", "ignored" (known and left out on purpose) and
	// "unknown".
	Remarks map[string]Coverage
	// UnknownCountries counts country names that are not known.
	UnknownCountries map[string]int
	// SideLinesSkipped counts lines of alt.csv, add.csv and sdn_comments.csv
	// that could not be read.
	SideLinesSkipped int
}

// NewReader returns a Reader of sdn.csv read from r.
func NewReader(r io.Reader) *Reader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return &Reader{
		cr:       cr,
		stats:    Stats{UnknownCountries: map[string]int{}},
		coverage: map[string]*Coverage{},
	}
}

// Open opens the sdn.csv file name in fsys and reads, when they sit beside
// it, alt.csv, add.csv and sdn_comments.csv (the names are name with "sdn"
// replaced by "alt", "add" and "sdn_comments"). Close the Reader when done.
func Open(fsys fs.FS, name string) (*Reader, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("ofaccsv: %w", err)
	}
	r := NewReader(f)
	r.closers = append(r.closers, f)
	dir, base := path.Dir(name), path.Base(name)
	if !strings.Contains(base, "sdn") {
		return r, nil
	}
	side := []struct {
		name string
		load func(io.Reader) error
	}{
		{strings.Replace(base, "sdn", "alt", 1), r.LoadAliases},
		{strings.Replace(base, "sdn", "add", 1), r.LoadAddresses},
		{strings.Replace(base, "sdn", "sdn_comments", 1), r.LoadComments},
	}
	for _, s := range side {
		p := path.Join(dir, s.name)
		g, err := fsys.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("ofaccsv: %w", err)
		}
		err = s.load(g)
		g.Close()
		if err != nil {
			r.Close()
			return nil, fmt.Errorf("ofaccsv: %s: %w", p, err)
		}
	}
	return r, nil
}

// Close closes the files Open opened.
func (r *Reader) Close() error {
	var first error
	for _, c := range r.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.closers = nil
	return first
}

// Line returns the line number of the last record read.
func (r *Reader) Line() int { return r.line }

// Stats returns the counts so far.
func (r *Reader) Stats() Stats {
	st := r.stats
	st.UnknownCountries = maps.Clone(r.stats.UnknownCountries)
	st.Remarks = make(map[string]Coverage, len(r.coverage))
	for k, c := range r.coverage {
		st.Remarks[k] = *c
	}
	return st
}

// Read returns the next entry; see screening.EntryReader.
func (r *Reader) Read() (*screening.Entry, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		rec, err := r.cr.Read()
		if err == io.EOF {
			if !r.started {
				r.err = fmt.Errorf("%w: empty file", ErrFormat)
				return nil, r.err
			}
			r.err = io.EOF
			return nil, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				r.err = fmt.Errorf("ofaccsv: %w", err)
				return nil, r.err
			}
			r.line = pe.StartLine
			if !r.started {
				r.err = fmt.Errorf("%w: line %d: %w", ErrFormat, pe.StartLine, pe.Err)
				return nil, r.err
			}
			r.stats.Records++
			return nil, &screening.RecordError{Record: pe.StartLine, Err: fmt.Errorf("malformed CSV: %w", pe.Err)}
		}
		r.line, _ = r.cr.FieldPos(0)
		if endOfFile(rec) {
			continue
		}
		if !r.started {
			r.started = true
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // a byte-order mark
			if strings.EqualFold(strings.TrimSpace(rec[0]), "ent_num") {
				continue // a header line
			}
			if len(rec) != Columns || !numeric(strings.TrimSpace(rec[0])) {
				r.err = fmt.Errorf("%w: line %d has %d columns starting %q, want %d starting with a numeric ent_num",
					ErrFormat, r.line, len(rec), truncate(rec[0], 20), Columns)
				return nil, r.err
			}
		}
		r.stats.Records++
		if len(rec) != Columns {
			return nil, &screening.RecordError{Record: r.line, ID: idOf(rec),
				Err: fmt.Errorf("%d columns, want %d", len(rec), Columns)}
		}
		return r.entry(rec)
	}
}

// endOfFile reports whether rec is the DOS end-of-file byte on a line of its
// own.
func endOfFile(rec []string) bool {
	return len(rec) == 1 && strings.Trim(rec[0], "\x1a \t\r\n") == ""
}

func idOf(rec []string) string {
	if len(rec) > 0 && numeric(strings.TrimSpace(rec[0])) {
		return strings.TrimSpace(rec[0])
	}
	return ""
}

func numeric(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// field decodes and tidies one field: Latin-1 to UTF-8, white space
// collapsed, control characters dropped, "-0-" to "".
func field(s string) string {
	s = decode(s)
	s = freetext.Collapse(freetext.StripControl(s))
	if s == "-0-" {
		return ""
	}
	return s
}

func decode(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii || utf8.ValidString(s) {
		return s
	}
	out, err := charmap.Windows1252.NewDecoder().String(s)
	if err != nil {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return out
}

// entry maps one sdn.csv record.
func (r *Reader) entry(rec []string) (*screening.Entry, error) {
	id := strings.TrimSpace(rec[0])
	fail := func(format string, args ...any) (*screening.Entry, error) {
		return nil, &screening.RecordError{Record: r.line, ID: id, Err: fmt.Errorf(format, args...)}
	}
	if !numeric(id) {
		return fail("ent_num %q is not a number", truncate(id, 20))
	}
	name, typ, program, title := field(rec[1]), strings.ToLower(field(rec[2])), field(rec[3]), field(rec[4])
	callSign, flag, remarks := field(rec[5]), field(rec[9]), decode(rec[11])
	if more, ok := r.comments[id]; ok {
		remarks += more
	}
	remarks = freetext.Collapse(freetext.StripControl(remarks))
	if remarks == "-0-" {
		remarks = ""
	}
	if name == "" {
		return fail("SDN_Name: empty")
	}
	e := &screening.Entry{ID: id, Kind: screening.KindOrganization, Action: screening.ActionRefer}
	if typ == "individual" {
		e.Kind = screening.KindPerson
	}
	e.Names = append(e.Names, r.name(name, e.Kind, screening.StrengthStrong))
	for _, a := range r.aliases[id] {
		strength := screening.StrengthStrong
		if weakRemark(a.remarks) {
			strength = screening.StrengthWeak
		}
		if a.name != "" {
			e.Names = append(e.Names, r.name(a.name, e.Kind, strength))
		}
	}
	if e.Kind == screening.KindOrganization {
		e.Countries = append(e.Countries, r.countries[id]...)
	}
	if callSign != "" {
		e.Identifiers = append(e.Identifiers, screening.Identifier{Type: "Call Sign", Value: callSign})
	}
	if flag != "" {
		if c, ok := r.country(flag); ok {
			e.Countries = append(e.Countries, c)
		}
	}
	r.remarks(e, remarks)
	e.Documents = freetext.MergeDocuments(e.Documents)

	var reason strings.Builder
	reason.WriteString("OFAC SDN")
	if programs := splitPrograms(program); len(programs) > 0 {
		reason.WriteString(": " + strings.Join(programs, ", "))
	}
	if typ == "vessel" || typ == "aircraft" {
		reason.WriteString("; " + typ)
	}
	if title != "" {
		reason.WriteString("; " + title)
	}
	e.Reason = truncate(reason.String(), 1024)
	e.Source = "OFAC SDN List, ent_num " + id
	return screening.CheckRecord(r.line, e)
}

// name reads a name: "SURNAME, Given" is split for a person.
func (r *Reader) name(s string, kind screening.Kind, strength screening.Strength) screening.Name {
	if kind == screening.KindPerson {
		if family, given, ok := strings.Cut(s, ", "); ok && strings.TrimSpace(family) != "" && strings.TrimSpace(given) != "" {
			return screening.Name{Family: strings.TrimSpace(family), Given: strings.TrimSpace(given), Strength: strength}
		}
	}
	return screening.Name{Full: s, Strength: strength}
}

// splitPrograms splits "UKRAINE-EO13661] [CYBER2" into its programmes.
func splitPrograms(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "] [") {
		if p = strings.Trim(p, "[] "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func weakRemark(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "weak") || strings.Contains(s, "low quality")
}

// country resolves a country name, counting those it does not know.
func (r *Reader) country(name string) (string, bool) {
	name = strings.Trim(freetext.Collapse(name), " .,;")
	if name == "" {
		return "", false
	}
	if c, ok := freetext.Country(name); ok {
		return c, true
	}
	if c := freetext.Demonym(name); c != "" {
		return c, true
	}
	r.stats.UnknownCountries[name]++
	return "", false
}

// LoadAliases reads alt.csv (ent_num, alt_num, alt_type, alt_name,
// alt_remarks). Call it before the first Read.
func (r *Reader) LoadAliases(rd io.Reader) error {
	if r.aliases == nil {
		r.aliases = map[string][]altName{}
	}
	return r.loadSide(rd, "alt.csv", 5, func(rec []string) {
		id := strings.TrimSpace(rec[0])
		r.aliases[id] = append(r.aliases[id], altName{typ: field(rec[2]), name: field(rec[3]), remarks: field(rec[4])})
	})
}

// LoadAddresses reads add.csv (ent_num, add_num, address, city, country,
// add_remarks) and keeps the countries. Call it before the first Read.
func (r *Reader) LoadAddresses(rd io.Reader) error {
	if r.countries == nil {
		r.countries = map[string][]string{}
	}
	return r.loadSide(rd, "add.csv", 6, func(rec []string) {
		id := strings.TrimSpace(rec[0])
		if c, ok := r.country(field(rec[4])); ok {
			r.countries[id] = append(r.countries[id], c)
		}
	})
}

// LoadComments reads sdn_comments.csv (ent_num, remarks_extended): the
// rest of Remarks fields cut short in sdn.csv. Call it before the first
// Read.
func (r *Reader) LoadComments(rd io.Reader) error {
	if r.comments == nil {
		r.comments = map[string]string{}
	}
	return r.loadSide(rd, "sdn_comments.csv", 2, func(rec []string) {
		id := strings.TrimSpace(rec[0])
		if s := decode(rec[1]); s != "-0-" && strings.TrimSpace(s) != "" {
			r.comments[id] += s
		}
	})
}

// loadSide reads a side file of cols columns keyed by ent_num. A first
// record of another shape is an error; a later bad line is skipped and
// counted.
func (r *Reader) loadSide(rd io.Reader, name string, cols int, add func([]string)) error {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = -1
	first := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return err
			}
			if first {
				return fmt.Errorf("%w: %s line %d: %w", ErrFormat, name, pe.StartLine, pe.Err)
			}
			r.stats.SideLinesSkipped++
			continue
		}
		if endOfFile(rec) {
			continue
		}
		ok := len(rec) == cols && numeric(strings.TrimSpace(rec[0]))
		if first {
			first = false
			if strings.EqualFold(strings.TrimSpace(rec[0]), "ent_num") {
				continue
			}
			if !ok {
				line, _ := cr.FieldPos(0)
				return fmt.Errorf("%w: %s line %d has %d columns, want %d starting with a numeric ent_num", ErrFormat, name, line, len(rec), cols)
			}
		}
		if !ok {
			r.stats.SideLinesSkipped++
			continue
		}
		add(rec)
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

var _ screening.EntryReader = (*Reader)(nil)
