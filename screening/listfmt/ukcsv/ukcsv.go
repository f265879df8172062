// Package ukcsv reads the UK Sanctions List (FCDO/OFSI) in the five-table CSV
// form of the covyr/uk-sanctions-list project into screening entries: one
// subject per unique_id in subjects.csv, joined with its rows in
// subject_names.csv, subject_dobs.csv, subject_identifiers.csv and
// subject_countries.csv.
//
// The four side tables are read into memory first (their many repeated rows
// folded into one); subjects.csv is then streamed. The tables are found by
// name in an fs.FS: a directory (os.DirFS) or a zip archive (zip.Reader).
// Columns are found by their header names, in any order.
//
// # Mapping
//
//	subjects.unique_id           ID ("RUS0250"), and source
//	subjects.subject_type        individual: a person; entity and ship: an
//	                             organisation
//	subjects.date_designated     listed_from (dd/mm/yyyy)
//	unique_id prefix             reason: the regime, "UK sanctions: Russia
//	                             (RUS0250)", with the UN reference number
//	names: primary               the primary name (the first, if several)
//	names: primary_variation     strong aliases
//	names: alias                 aliases; alias_strength low_quality_aka
//	                             makes a weak one
//	names: name_1..5, name_6     given names and family name of a person; the
//	                             name of an organisation is name_6 (or the
//	                             other parts when name_6 is empty)
//	dobs: year, month, day       birth dates, to the precision the precision
//	                             column gives (exact, month_year, year_only)
//	countries: nationality       nationalities of a person, from the iso
//	                             column (raw_value when iso is empty)
//	countries: address           countries of an organisation
//	identifiers: passport        documents "P" of a person
//	identifiers: national        documents "I" of a person ("" when the text
//	                             says it is a tax number: INN, TIN, ...)
//	identifiers: other types     identifiers of an organisation
//	                             (business_registration_numbers, imo); a
//	                             passport listed on an organisation is an
//	                             identifier too
//	identifiers: additional_info the document's note; its issuing state and
//	                             expiry date are read from it
//
// Left out: places of birth (country_type birth), the addresses of persons,
// last_updated, ofsi_group_id (but in the source), the parse_issues and
// resolution columns. A country the reader cannot resolve is left out and
// counted in Stats.
//
// # Errors
//
// A subject that cannot be used (no unique_id, no name, an unknown
// subject_type, a date that is not one, in subjects.csv or in its rows of
// subject_dobs.csv) is a *screening.RecordError numbered by its line in
// subjects.csv, naming the side table and line at fault, and reading goes
// on. A missing table or a header without a needed column is an error
// wrapping ErrFormat.
package ukcsv

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/internal/freetext"
)

// The names of the five tables.
const (
	SubjectsFile    = "subjects.csv"
	NamesFile       = "subject_names.csv"
	DOBsFile        = "subject_dobs.csv"
	IdentifiersFile = "subject_identifiers.csv"
	CountriesFile   = "subject_countries.csv"
)

// Files lists the five tables, subjects first.
var Files = []string{SubjectsFile, NamesFile, DOBsFile, IdentifiersFile, CountriesFile}

// The columns the reader needs from each table.
var columns = map[string][]string{
	SubjectsFile:    {"unique_id", "subject_type", "un_reference_number", "ofsi_group_id", "date_designated"},
	NamesFile:       {"unique_id", "name_type", "alias_strength", "full_name", "name_1", "name_2", "name_3", "name_4", "name_5", "name_6"},
	DOBsFile:        {"unique_id", "year", "month", "day", "precision"},
	IdentifiersFile: {"unique_id", "raw_value", "identifier_type", "additional_info"},
	CountriesFile:   {"unique_id", "raw_value", "country_type", "iso"},
}

// regimes names the UK sanctions regimes by the prefix of unique_id.
var regimes = map[string]string{
	"AFG": "Afghanistan",
	"AQD": "ISIL (Da'esh) and Al-Qaida",
	"BEL": "Belarus",
	"BIH": "Bosnia and Herzegovina",
	"CAF": "Central African Republic",
	"CHW": "Chemical Weapons",
	"CTD": "Counter-Terrorism (Domestic)",
	"CTI": "Counter-Terrorism (International)",
	"CYB": "Cyber",
	"DPR": "Democratic People's Republic of Korea",
	"DRC": "Democratic Republic of the Congo",
	"GAC": "Global Anti-Corruption",
	"GHR": "Global Human Rights",
	"GIM": "Global Irregular Migration",
	"GUB": "Guinea-Bissau",
	"GUC": "Republic of Guinea",
	"HAI": "Haiti",
	"INU": "Iran (Nuclear)",
	"IRN": "Iran",
	"IRQ": "Iraq",
	"LIB": "Libya",
	"MAL": "Mali",
	"MYA": "Myanmar",
	"NIC": "Nicaragua",
	"RUS": "Russia",
	"SOM": "Somalia",
	"SSU": "South Sudan",
	"SUD": "Sudan",
	"SYR": "Syria",
	"VEN": "Venezuela",
	"YEM": "Yemen",
}

// Reader reads entries from the five tables. It implements
// screening.EntryReader.
type Reader struct {
	cr      *csv.Reader
	col     map[string]int // subjects.csv columns
	closer  io.Closer
	line    int
	err     error
	names   map[string][]nameRow
	dobs    map[string][]dobRow
	ids     map[string][]idRow
	country map[string][]countryRow
	seen    map[string]bool // unique_ids read from subjects.csv
	stats   Stats
}

// Stats counts what a Reader read and what it had to leave out.
type Stats struct {
	Records int // subjects.csv records read, good or bad
	// SideRows counts the rows of each side table, and SideRowsUnique those
	// left once repeated rows are folded.
	SideRows       map[string]int
	SideRowsUnique map[string]int
	// SideLinesSkipped counts side-table lines that could not be read at
	// all (broken CSV, too few columns, no unique_id).
	SideLinesSkipped int
	// Orphans counts side-table rows whose unique_id is not in subjects.csv.
	Orphans int
	// UnknownCountries counts country values that are not known.
	UnknownCountries map[string]int
}

type nameRow struct {
	typ, strength string
	parts         [5]string
	last, full    string
}

type dobRow struct {
	line                        int
	year, month, day, precision string
}

type idRow struct {
	value, typ, info string
}

type countryRow struct {
	raw, typ, iso string
}

// Open reads the side tables from fsys and opens subjects.csv. Close the
// Reader when done.
func Open(fsys fs.FS) (*Reader, error) {
	r := &Reader{
		names:   map[string][]nameRow{},
		dobs:    map[string][]dobRow{},
		ids:     map[string][]idRow{},
		country: map[string][]countryRow{},
		seen:    map[string]bool{},
		stats: Stats{
			SideRows:         map[string]int{},
			SideRowsUnique:   map[string]int{},
			UnknownCountries: map[string]int{},
		},
	}
	seen := map[string]bool{}
	fold := func(file string, key ...string) bool {
		k := file + "\x00" + strings.Join(key, "\x00")
		r.stats.SideRows[file]++
		if seen[k] {
			return false
		}
		seen[k] = true
		r.stats.SideRowsUnique[file]++
		return true
	}
	err := r.table(fsys, NamesFile, func(line int, get func(string) string) {
		id := get("unique_id")
		row := nameRow{typ: get("name_type"), strength: get("alias_strength"), last: get("name_6"), full: get("full_name")}
		for i := range row.parts {
			row.parts[i] = get("name_" + strconv.Itoa(i+1))
		}
		if fold(NamesFile, id, row.typ, row.strength, row.full, row.last, strings.Join(row.parts[:], "\x00")) {
			r.names[id] = append(r.names[id], row)
		}
	})
	if err == nil {
		err = r.table(fsys, DOBsFile, func(line int, get func(string) string) {
			id := get("unique_id")
			row := dobRow{line: line, year: get("year"), month: get("month"), day: get("day"), precision: get("precision")}
			if fold(DOBsFile, id, row.year, row.month, row.day, row.precision) {
				r.dobs[id] = append(r.dobs[id], row)
			}
		})
	}
	if err == nil {
		err = r.table(fsys, IdentifiersFile, func(line int, get func(string) string) {
			id := get("unique_id")
			row := idRow{value: get("raw_value"), typ: get("identifier_type"), info: get("additional_info")}
			if fold(IdentifiersFile, id, row.value, row.typ, row.info) {
				r.ids[id] = append(r.ids[id], row)
			}
		})
	}
	if err == nil {
		err = r.table(fsys, CountriesFile, func(line int, get func(string) string) {
			id := get("unique_id")
			row := countryRow{raw: get("raw_value"), typ: get("country_type"), iso: get("iso")}
			if fold(CountriesFile, id, row.raw, row.typ, row.iso) {
				r.country[id] = append(r.country[id], row)
			}
		})
	}
	if err != nil {
		return nil, err
	}
	f, err := fsys.Open(SubjectsFile)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	r.closer = f
	r.cr = newCSV(f)
	header, err := r.cr.Read()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %s: header: %w", ErrFormat, SubjectsFile, err)
	}
	if r.col, err = index(SubjectsFile, header); err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// countOrphans counts the side rows of subjects that subjects.csv does not
// have, once it has been read to the end.
func (r *Reader) countOrphans() {
	for id, rows := range r.names {
		if !r.seen[id] {
			r.stats.Orphans += len(rows)
		}
	}
	for id, rows := range r.dobs {
		if !r.seen[id] {
			r.stats.Orphans += len(rows)
		}
	}
	for id, rows := range r.ids {
		if !r.seen[id] {
			r.stats.Orphans += len(rows)
		}
	}
	for id, rows := range r.country {
		if !r.seen[id] {
			r.stats.Orphans += len(rows)
		}
	}
}

func newCSV(rd io.Reader) *csv.Reader {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr
}

// index maps the needed columns of a table to their positions.
func index(file string, header []string) (map[string]int, error) {
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	for _, c := range columns[file] {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%w: %s: no column %q in the header", ErrFormat, file, c)
		}
	}
	return col, nil
}

// table reads a side table, calling add for each row with a unique_id.
func (r *Reader) table(fsys fs.FS, file string, add func(line int, get func(string) string)) error {
	f, err := fsys.Open(file)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrFormat, err)
	}
	defer f.Close()
	cr := newCSV(f)
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%w: %s: header: %w", ErrFormat, file, err)
	}
	col, err := index(file, header)
	if err != nil {
		return err
	}
	need := 0
	for _, c := range columns[file] {
		need = max(need, col[c]+1)
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("ukcsv: %s: %w", file, err)
			}
			r.stats.SideLinesSkipped++
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(rec) < need {
			r.stats.SideLinesSkipped++
			continue
		}
		get := func(c string) string { return clean(rec[col[c]]) }
		if get("unique_id") == "" {
			r.stats.SideLinesSkipped++
			continue
		}
		add(line, get)
	}
}

// clean tidies one field: valid UTF-8, no control characters, white space
// collapsed.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return freetext.Collapse(freetext.StripControl(s))
}

// Close closes subjects.csv.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	err := r.closer.Close()
	r.closer = nil
	return err
}

// Line returns the line number in subjects.csv of the last record read.
func (r *Reader) Line() int { return r.line }

// Stats returns the counts so far.
func (r *Reader) Stats() Stats {
	st := r.stats
	st.UnknownCountries = maps.Clone(r.stats.UnknownCountries)
	st.SideRows = maps.Clone(r.stats.SideRows)
	st.SideRowsUnique = maps.Clone(r.stats.SideRowsUnique)
	return st
}

// Read returns the next entry; see screening.EntryReader.
func (r *Reader) Read() (*screening.Entry, error) {
	if r.err != nil {
		return nil, r.err
	}
	rec, err := r.cr.Read()
	if err == io.EOF {
		r.err = io.EOF
		r.countOrphans()
		return nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if !errors.As(err, &pe) {
			r.err = fmt.Errorf("ukcsv: %s: %w", SubjectsFile, err)
			return nil, r.err
		}
		r.line = pe.StartLine
		r.stats.Records++
		return nil, &screening.RecordError{Record: pe.StartLine, Err: fmt.Errorf("%s: malformed CSV: %w", SubjectsFile, pe.Err)}
	}
	r.line, _ = r.cr.FieldPos(0)
	r.stats.Records++
	get := func(c string) string {
		if i := r.col[c]; i < len(rec) {
			return clean(rec[i])
		}
		return ""
	}
	return r.entry(get)
}

// entry maps one subject and its side rows.
func (r *Reader) entry(get func(string) string) (*screening.Entry, error) {
	id := get("unique_id")
	fail := func(format string, args ...any) (*screening.Entry, error) {
		return nil, &screening.RecordError{Record: r.line, ID: id, Err: fmt.Errorf(format, args...)}
	}
	if id == "" {
		return fail("unique_id: empty")
	}
	r.seen[id] = true
	e := &screening.Entry{ID: id, Action: screening.ActionRefer}
	switch typ := strings.ToLower(get("subject_type")); typ {
	case "individual":
		e.Kind = screening.KindPerson
	case "entity", "ship":
		e.Kind = screening.KindOrganization
	default:
		return fail("subject_type %q: want individual, entity or ship", typ)
	}
	if s := get("date_designated"); s != "" {
		d, ok := dayMonthYear(s)
		if !ok {
			return fail("date_designated %q: %w", s, screening.ErrDate)
		}
		e.ListedFrom = d
	}

	e.Names = r.entryNames(id, e.Kind)
	if len(e.Names) == 0 {
		return fail("no name in %s", NamesFile)
	}
	for _, row := range r.dobs[id] {
		d, err := row.date()
		if err != nil {
			return fail("%s line %d: %w", DOBsFile, row.line, err)
		}
		if e.Kind == screening.KindPerson {
			e.BirthDates = append(e.BirthDates, d)
		}
	}
	for _, row := range r.country[id] {
		var list *[]string
		switch {
		case row.typ == "nationality" && e.Kind == screening.KindPerson:
			list = &e.Nationalities
		case row.typ == "address" && e.Kind == screening.KindOrganization:
			list = &e.Countries
		default:
			continue // places of birth, addresses of persons
		}
		if c, ok := r.countryCode(row); ok {
			*list = append(*list, c)
		}
	}
	for _, row := range r.ids[id] {
		r.identifier(e, row)
	}
	e.Documents = freetext.MergeDocuments(e.Documents)

	regime := regimes[prefix(id)]
	if regime == "" {
		regime = prefix(id)
	}
	e.Reason = "UK sanctions: " + regime + " (" + id + ")"
	if un := get("un_reference_number"); un != "" {
		e.Reason += "; UN " + un
	}
	e.Source = "UK Sanctions List, " + id
	if g := get("ofsi_group_id"); g != "" {
		e.Source += ", OFSI group " + g
	}
	return screening.CheckRecord(r.line, e)
}

// prefix returns the letters that start a unique_id: its regime.
func prefix(id string) string {
	i := 0
	for i < len(id) && (id[i] >= 'A' && id[i] <= 'Z' || id[i] >= 'a' && id[i] <= 'z') {
		i++
	}
	return strings.ToUpper(id[:i])
}

// entryNames builds the names of a subject, primary first.
func (r *Reader) entryNames(id string, kind screening.Kind) []screening.Name {
	rows := slices.Clone(r.names[id])
	rank := func(t string) int {
		switch t {
		case "primary":
			return 0
		case "primary_variation":
			return 1
		}
		return 2
	}
	slices.SortStableFunc(rows, func(a, b nameRow) int { return rank(a.typ) - rank(b.typ) })
	var names []screening.Name
	for _, row := range rows {
		n := row.name(kind)
		if n.String() == "" {
			continue
		}
		if row.typ == "alias" && strings.Contains(row.strength, "low") {
			n.Strength = screening.StrengthWeak
		}
		names = append(names, n)
	}
	return names
}

// name builds one name from its parts.
func (row nameRow) name(kind screening.Kind) screening.Name {
	var given []string
	for _, p := range row.parts {
		if p != "" {
			given = append(given, p)
		}
	}
	first := strings.Join(given, " ")
	switch {
	case kind == screening.KindPerson && first != "" && row.last != "":
		return screening.Name{Given: first, Family: row.last}
	case row.last != "":
		return screening.Name{Full: row.last}
	case first != "":
		return screening.Name{Full: first}
	}
	return screening.Name{Full: row.full}
}

// date reads a row of subject_dobs.csv to the precision it gives.
func (row dobRow) date() (screening.Date, error) {
	num := func(field, s string, max int) (int, error) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > max {
			return 0, fmt.Errorf("%s %q: %w", field, s, screening.ErrDate)
		}
		return n, nil
	}
	y, err := strconv.Atoi(row.year)
	if err != nil || y < 1000 || y > 9999 {
		return screening.Date{}, fmt.Errorf("year %q: %w", row.year, screening.ErrDate)
	}
	d := screening.Date{Year: y}
	precision := row.precision
	if precision == "" {
		// No precision given: as much as the columns hold.
		switch {
		case row.day != "" && row.month != "":
			precision = "exact"
		case row.month != "":
			precision = "month_year"
		}
	}
	switch precision {
	case "exact":
		if d.Month, err = num("month", row.month, 12); err != nil {
			return d, err
		}
		if d.Day, err = num("day", row.day, 31); err != nil {
			return d, err
		}
	case "month_year":
		if d.Month, err = num("month", row.month, 12); err != nil {
			return d, err
		}
	}
	if err := d.Validate(); err != nil {
		return d, err
	}
	return d, nil
}

// dayMonthYear reads "29/06/2012".
func dayMonthYear(s string) (screening.Date, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || len(parts[2]) != 4 {
		return screening.Date{}, false
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) > 4 {
			return screening.Date{}, false
		}
		n[i] = v
	}
	d := screening.Date{Year: n[2], Month: n[1], Day: n[0]}
	if d.Month == 0 || d.Day == 0 || d.Validate() != nil {
		return screening.Date{}, false
	}
	return d, true
}

// countryCode resolves a country row: the iso column, else raw_value.
func (r *Reader) countryCode(row countryRow) (string, bool) {
	if row.iso != "" {
		if c, ok := screening.CountryCode(row.iso); ok {
			return c, true
		}
	}
	if c, ok := freetext.Country(row.raw); ok {
		return c, true
	}
	if row.raw != "" || row.iso != "" {
		r.stats.UnknownCountries[strings.TrimSpace(row.raw+" "+row.iso)]++
	}
	return "", false
}

// otherWords mark a "national" identifier that is not an identity card: a
// tax or registry number, a driving licence, a ration or student card. They
// match at the start of a word; the short ones must be whole words.
var otherWords = []string{"tax", "ogrn", "ration", "snils", "social security", "registration",
	"driving", "licence", "license", "student", "residen", "military", "birth certificate", "fiscal"}

var otherShortWords = []string{"inn", "tin", "kpp", "ssn"}

// otherDocument reports whether text describes a document that is not an
// identity card.
func otherDocument(text string) bool {
	for _, w := range otherWords {
		if freetext.HasWord(text, w) {
			return true
		}
	}
	for _, tok := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if slices.Contains(otherShortWords, tok) {
			return true
		}
	}
	return false
}

// identifier adds one row of subject_identifiers.csv to e.
func (r *Reader) identifier(e *screening.Entry, row idRow) {
	num := freetext.DocumentNumber(row.value)
	if num.Value == "" {
		return
	}
	info := truncate(row.info, 1024)
	country := num.Country
	if country == "" && info != "" {
		country, _ = freetext.IssuingCountry(info)
	}
	if e.Kind != screening.KindPerson || (row.typ != "passport" && row.typ != "national") {
		typ := map[string]string{"business_registration_numbers": "Business Registration Number", "imo": "IMO",
			"passport": "Passport", "national": "National Identifier"}[row.typ]
		if typ == "" {
			typ = row.typ
		}
		e.Identifiers = append(e.Identifiers, screening.Identifier{Type: typ, Value: num.Value, Country: country})
		return
	}
	doc := screening.Document{Number: num.Value, Country: country}
	if len(doc.Number) > 64 {
		return
	}
	switch row.typ {
	case "passport":
		doc.Type = "P"
	case "national":
		doc.Type = "I"
		if otherDocument(num.Note + " " + info + " " + row.value) {
			doc.Type = ""
		}
	}
	doc.Note = strings.Join(slices.DeleteFunc([]string{num.Note, info}, func(s string) bool { return s == "" }), "; ")
	for _, s := range []string{info, num.Note} {
		if d, ok := freetext.Expiry(s); ok {
			doc.Expiry = d
			break
		}
	}
	e.Documents = append(e.Documents, doc)
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
