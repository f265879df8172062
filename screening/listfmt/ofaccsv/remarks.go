package ofaccsv

import (
	"sort"
	"strings"

	"github.com/bordersec/portcullis/screening"
	"github.com/bordersec/portcullis/screening/listfmt/internal/freetext"
)

// The kinds of remark items counted in Stats.Remarks.
const (
	kindAlias       = "alias"
	kindDOB         = "DOB"
	kindNationality = "nationality"
	kindCitizen     = "citizen"
	kindGender      = "gender"
	kindPassport    = "passport"
	kindIDCard      = "identity card"
	kindOtherDoc    = "other document"
	kindIdentifier  = "identifier"
	kindIgnored     = "ignored"
	kindUnknown     = "unknown"
)

// labelKind says what a labelled remark item ("Passport X", "Tax ID No. X")
// holds.
type labelKind uint8

const (
	labelNumber   labelKind = iota // a document of a person, an identifier of anything else
	labelPassport                  // a passport
	labelIDCard                    // a national identity card
	labelIgnore                    // known, and left out on purpose
)

// labels are the item labels of sdn.csv Remarks, matched longest first. A
// label not here that names a number ("... Number 123", "... No. 123") is
// read as labelNumber too.
var labels = map[string]labelKind{
	"Passport":                              labelPassport,
	"Passport No.":                          labelPassport,
	"Passport Booklet":                      labelPassport,
	"Diplomatic Passport":                   labelPassport,
	"Travel Document Number":                labelPassport,
	"National ID No.":                       labelIDCard,
	"Cedula No.":                            labelIDCard,
	"D.N.I.":                                labelIDCard,
	"Personal ID Card":                      labelIDCard,
	"Tazkira National ID Card":              labelIDCard,
	"Kenyan ID No.":                         labelIDCard,
	"Turkish Identification Number":         labelIDCard,
	"Numero de Identidad":                   labelIDCard,
	"Citizen's Card Number":                 labelIDCard,
	"Refugee ID Card":                       labelIDCard,
	"C.U.I.":                                labelIDCard,
	"Identification Number":                 labelNumber,
	"National Foreign ID Number":            labelNumber,
	"C.U.R.P.":                              labelNumber,
	"R.F.C.":                                labelNumber,
	"RFC":                                   labelNumber,
	"Tax ID No.":                            labelNumber,
	"NIT #":                                 labelNumber,
	"RUC #":                                 labelNumber,
	"RIF #":                                 labelNumber,
	"SSN":                                   labelNumber,
	"I.F.E.":                                labelNumber,
	"C.U.I.P.":                              labelNumber,
	"C.U.I.T.":                              labelNumber,
	"C.I.F.":                                labelNumber,
	"C.R. No.":                              labelNumber,
	"LE Number":                             labelNumber,
	"VisaNumberID":                          labelNumber,
	"Residency Number":                      labelNumber,
	"Italian Fiscal Code":                   labelNumber,
	"Credencial electoral":                  labelNumber,
	"Electoral Registry No.":                labelNumber,
	"Cartilla de Servicio Militar Nacional": labelNumber,
	"Driver's License No.":                  labelNumber,
	"Birth Certificate Number":              labelNumber,
	"Registration ID":                       labelNumber,
	"Registration Number":                   labelNumber,
	"Business Registration Number":          labelNumber,
	"Business Registration Document #":      labelNumber,
	"Business Number":                       labelNumber,
	"Company Number":                        labelNumber,
	"UK Company Number":                     labelNumber,
	"Commercial Registry Number":            labelNumber,
	"Government Gazette Number":             labelNumber,
	"Legal Entity Number":                   labelNumber,
	"Unified Social Credit Code (USCC)":     labelNumber,
	"United Social Credit Code Certificate (USCCC)": labelNumber,
	"V.A.T. Number":                       labelNumber,
	"Economic Register Number (CBLS)":     labelNumber,
	"Trade License No.":                   labelNumber,
	"License":                             labelNumber,
	"Folio Mercantil No.":                 labelNumber,
	"Matricula Mercantil No":              labelNumber,
	"Chamber of Commerce Number":          labelNumber,
	"Istanbul Chamber of Comm. No.":       labelNumber,
	"Central Registration System Number":  labelNumber,
	"Enterprise Number":                   labelNumber,
	"Public Registration Number":          labelNumber,
	"Certificate of Incorporation Number": labelNumber,
	"Organization Code":                   labelNumber,
	"Permit Number":                       labelNumber,
	"D-U-N-S Number":                      labelNumber,
	"US FEIN":                             labelNumber,
	"RTN":                                 labelNumber,
	"BIK (RU)":                            labelNumber,
	"SWIFT/BIC":                           labelNumber,
	"ISIN":                                labelNumber,
	"MMSI":                                labelNumber,
	"Vessel Registration Identification":  labelNumber,
	"Other Vessel Call Sign":              labelNumber,
	"Aircraft Manufacturer's Serial Number (MSN)":                  labelNumber,
	"Aircraft Construction Number (also called L/N or S/N or F/N)": labelNumber,
	"Aircraft Tail Number":                                         labelNumber,
	"Previous Aircraft Tail Number":                                labelNumber,
	"Aircraft Mode S Transponder Code":                             labelNumber,
	"Aircraft Serial Identification":                               labelNumber,
	"Registered Charity No.":                                       labelNumber,
	"POB":                                                          labelIgnore,
	"Linked To":                                                    labelIgnore,
	"Website":                                                      labelIgnore,
	"Email":                                                        labelIgnore,
	"Email Address":                                                labelIgnore,
	"Phone":                                                        labelIgnore,
	"Phone Number":                                                 labelIgnore,
	"Telephone":                                                    labelIgnore,
	"Telephone Number":                                             labelIgnore,
	"Fax":                                                          labelIgnore,
	"Fax Number":                                                   labelIgnore,
	"Alt. Fax":                                                     labelIgnore,
	"PHONE":                                                        labelIgnore,
	"FAX":                                                          labelIgnore,
	"Secondary sanctions risk":                                     labelIgnore,
	"Additional Sanctions Information -":                           labelIgnore,
	"Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions": labelIgnore,
	"Organization Established Date": labelIgnore,
	"Organization Type":             labelIgnore,
	"Target Type":                   labelIgnore,
	"Aircraft Model":                labelIgnore,
	"Aircraft Manufacture Date":     labelIgnore,
	"Aircraft Operator":             labelIgnore,
	"Vessel Year of Build":          labelIgnore,
	"Executive Order":               labelIgnore,
	"CAATSA Section":                labelIgnore,
	"Digital Currency Address":      labelIgnore,
	"Listing Date":                  labelIgnore,
	"Effective Date":                labelIgnore,
	"Chinese Commercial Code":       labelIgnore,
	"For more information":          labelIgnore,
	"Nationality of Registration":   labelIgnore,
	"IFCA Determination":            labelIgnore,
	"Equity Ticker":                 labelIgnore,
	"Issuer Name":                   labelIgnore,
}

// sortedLabels are the keys of labels, longest first.
var sortedLabels = func() []string {
	out := make([]string, 0, len(labels))
	for l := range labels {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}()

// numberWords in a label that is not in labels make it a number label.
var numberWords = []string{" number", " no.", " no", " id", " #", " code", " license", " licence",
	"identification", "registration", "registry", "passport", "certificate", "permit"}

func (r *Reader) count(kind string, read bool) {
	c := r.coverage[kind]
	if c == nil {
		c = &Coverage{}
		r.coverage[kind] = c
	}
	c.Seen++
	if read {
		c.Read++
	}
}

// remarks reads the Remarks field into e.
func (r *Reader) remarks(e *screening.Entry, s string) {
	for _, item := range SplitRemarks(s) {
		r.item(e, item)
	}
}

// SplitRemarks splits a Remarks field into its items, at ";" but not inside
// the quotes of an alias ("a.k.a. 'X; Y'"), without a final full stop.
func SplitRemarks(s string) []string {
	var items []string
	start := 0
	add := func(it string) {
		it = strings.TrimSpace(it)
		it = strings.TrimSpace(strings.TrimSuffix(it, "."))
		if it != "" {
			items = append(items, it)
		}
	}
	for i := 0; i < len(s); i++ {
		if s[i] == ';' {
			add(s[start:i])
			start = i + 1
			continue
		}
		if j := aliasQuote(s, i); j > 0 {
			if end := aliasQuoteEnd(s, j); end > 0 {
				i = end
			}
		}
	}
	add(s[start:])
	return items
}

// aliasPrefixes open an alias item.
var aliasPrefixes = []string{"a.k.a. ", "f.k.a. ", "n.k.a. "}

// aliasQuote returns the index after the opening quote when an alias
// starts at s[i], or 0.
func aliasQuote(s string, i int) int {
	if s[i] != 'a' && s[i] != 'f' && s[i] != 'n' {
		return 0
	}
	if i > 0 && s[i-1] != ' ' && s[i-1] != ';' {
		return 0
	}
	for _, p := range aliasPrefixes {
		if strings.HasPrefix(s[i:], p) && len(s) > i+len(p) && s[i+len(p)] == '\'' {
			return i + len(p) + 1
		}
	}
	return 0
}

// aliasQuoteEnd returns the index of the quote that closes an alias opened
// before s[j]: the first quote followed by the end, ";", "." at the end of
// an item, or spaces and "(" or ";". It returns -1 when there is none.
func aliasQuoteEnd(s string, j int) int {
	for k := j; k < len(s); k++ {
		if s[k] != '\'' {
			continue
		}
		rest := strings.TrimLeft(s[k+1:], " ")
		switch {
		case rest == "", rest[0] == ';', rest[0] == '(':
			return k
		case rest[0] == '.' && (len(rest) == 1 || rest[1] == ';' || rest[1] == ' '):
			return k
		case rest[0] == ',' && len(rest) > 1 && rest[1] == ' ' && k+1 < len(s) && s[k+1] == ',':
			return k
		}
	}
	return -1
}

// item reads one Remarks item into e.
func (r *Reader) item(e *screening.Entry, item string) {
	body := item
	if rest, ok := strings.CutPrefix(body, "alt. "); ok {
		body = rest
	}
	for _, p := range aliasPrefixes {
		if rest, ok := strings.CutPrefix(body, p); ok {
			r.alias(e, rest)
			return
		}
	}
	switch w, rest := firstWord(body); w {
	case "DOB":
		d, ok := ParseDOB(rest)
		if ok {
			e.BirthDates = append(e.BirthDates, d)
		}
		r.count(kindDOB, ok)
		return
	case "nationality", "citizen", "citizenship":
		kind := kindNationality
		if strings.HasPrefix(strings.ToLower(w), "citizen") {
			kind = kindCitizen
		}
		c, ok := r.country(strings.TrimLeft(rest, ": "))
		if ok {
			e.Nationalities = append(e.Nationalities, c)
		}
		r.count(kind, ok)
		return
	case "Gender":
		g, err := screening.ParseGender(strings.TrimSpace(rest))
		ok := err == nil && g != screening.GenderUnknown
		if ok {
			e.Gender = g
		}
		r.count(kindGender, ok)
		return
	}
	label, kind, rest, ok := matchLabel(body)
	if !ok {
		r.count(kindUnknown, false)
		return
	}
	if kind == labelIgnore {
		r.count(kindIgnored, true)
		return
	}
	r.numbered(e, label, kind, rest)
}

func firstWord(s string) (word, rest string) {
	w, rest, _ := strings.Cut(s, " ")
	return strings.TrimRight(w, ":"), rest
}

// matchLabel finds the label of an item: a known one, or words that name a
// number ("Afghan Money Service Provider License Number 044").
func matchLabel(item string) (label string, kind labelKind, rest string, ok bool) {
	for _, l := range sortedLabels {
		if strings.HasPrefix(item, l) {
			after := item[len(l):]
			if after == "" || after[0] == ' ' || after[0] == ':' || after[0] == ',' {
				return l, labels[l], strings.TrimSpace(after), true
			}
		}
	}
	// The label ends before the first word with a digit.
	words := strings.Fields(item)
	for i, w := range words {
		if strings.ContainsAny(w, "0123456789") {
			if i == 0 || i > 8 {
				return "", 0, "", false
			}
			lab := strings.Join(words[:i], " ")
			low := " " + strings.ToLower(strings.TrimRight(lab, ":"))
			for _, nw := range numberWords {
				if strings.Contains(low, nw) && !strings.HasSuffix(low, " date") {
					return strings.TrimRight(lab, ":"), labelNumber, strings.Join(words[i:], " "), true
				}
			}
			return "", 0, "", false
		}
	}
	return "", 0, "", false
}

// alias reads the rest of an "a.k.a. 'X'" item.
func (r *Reader) alias(e *screening.Entry, rest string) {
	name, extra := rest, ""
	if strings.HasPrefix(rest, "'") {
		if end := aliasQuoteEnd(rest, 1); end > 0 {
			name, extra = rest[1:end], rest[end+1:]
		} else {
			name = rest[1:]
		}
	}
	// "''FOOPIE''": a name in doubled quotes.
	if len(name) >= 2 && name[0] == '\'' && name[len(name)-1] == '\'' {
		name = name[1 : len(name)-1]
	}
	name = strings.TrimSpace(name)
	strength := screening.StrengthStrong
	if weakRemark(extra) {
		strength = screening.StrengthWeak
	}
	if name != "" {
		e.Names = append(e.Names, r.name(name, e.Kind, strength))
	}
	r.count(kindAlias, name != "")
}

// numbered reads "Label NUMBER (Country) issued DATE expires DATE" into a
// document of a person or an identifier of anything else.
func (r *Reader) numbered(e *screening.Entry, label string, kind labelKind, rest string) {
	v := r.numberValue(rest)
	if e.Kind != screening.KindPerson {
		ok := v.raw != ""
		if ok {
			e.Identifiers = append(e.Identifiers, screening.Identifier{Type: label, Value: v.raw, Country: v.country})
		}
		r.count(kindIdentifier, ok)
		return
	}
	doc := screening.Document{Number: v.number, Country: v.country, Expiry: v.expiry}
	counted := kindOtherDoc
	switch kind {
	case labelPassport:
		doc.Type, counted = "P", kindPassport
	case labelIDCard:
		doc.Type, counted = "I", kindIDCard
	}
	var notes []string
	if kind == labelNumber || label != "Passport" && label != "National ID No." {
		notes = append(notes, label)
	}
	notes = append(notes, v.notes...)
	doc.Note = strings.Join(notes, "; ")
	ok := doc.Number != "" && len(doc.Number) <= 64
	if ok {
		e.Documents = append(e.Documents, doc)
	}
	r.count(counted, ok)
}

type numberValue struct {
	raw     string // the value without country and dates, for identifiers
	number  string // the number alone, for documents
	country string
	expiry  screening.Date
	notes   []string
}

// numberValue reads "A123456 (Iran) issued 01 Jan 2001 expires 31 Dec 2010".
func (r *Reader) numberValue(s string) numberValue {
	var v numberValue
	s = strings.TrimSpace(strings.TrimLeft(s, ":# "))
	low := freetext.LowerASCII(s)
	if i := strings.Index(low, " expire"); i >= 0 {
		if d, ok := freetext.Expiry(s[i:]); ok {
			v.expiry = d
		}
		v.notes = append(v.notes, strings.TrimSpace(s[i:]))
		s, low = strings.TrimSpace(s[:i]), low[:i]
	}
	if i := strings.Index(low, " issued"); i >= 0 {
		v.notes = append([]string{strings.TrimSpace(s[i:])}, v.notes...)
		s = strings.TrimSpace(s[:i])
	}
	// Trailing "(Country)", possibly after other brackets: "HRA 738077
	// (Stuttgart) (Germany)", "D489833(9) (Hong Kong)".
	if strings.HasSuffix(s, ")") {
		if open := strings.LastIndex(s, " ("); open > 0 {
			inner := s[open+2 : len(s)-1]
			if countryLike(inner) {
				if c, ok := r.country(inner); ok {
					v.country = c
				} else {
					v.notes = append(v.notes, inner)
				}
				s = strings.TrimSpace(s[:open])
			}
		}
	}
	s = strings.TrimRight(s, " ,;.")
	// "CNIC: 35202-5400413-9": a label of the number's own.
	if head, tail, ok := strings.Cut(s, ": "); ok && !strings.ContainsAny(head, "0123456789 ") && strings.ContainsAny(tail, "0123456789") {
		v.notes = append(v.notes, head)
		s = tail
	}
	v.raw = s
	number, tail := freetext.NumberRun(s)
	v.number = number
	if tail = strings.Trim(tail, " ,;"); tail != "" {
		// "0310857, Eritrea, Issue Date ..." or "OR801168 and ...".
		if v.country == "" {
			if c, _, ok := freetext.LeadingCountry(tail); ok {
				v.country = c
			}
		}
		if v.expiry.IsZero() {
			v.expiry, _ = freetext.Expiry(tail)
		}
		v.notes = append(v.notes, tail)
	}
	return v
}

// countryLike reports whether s could be a country name: letters, spaces
// and a few marks, no digits.
func countryLike(s string) bool {
	if strings.TrimSpace(s) == "" {
		return false
	}
	for _, r := range s {
		if r >= '0' && r <= '9' {
			return false
		}
	}
	return true
}

// ParseDOB reads the date of a "DOB" remark: "01 Jan 1960", "Jan 1960",
// "1960", "circa 1960", "1960 to 1962", "01 Jan 1961 to 31 Dec 1962",
// "circa 1979-1982". A range of days becomes the range of their years (one
// year when they share it); circa widens the date by a year either side.
func ParseDOB(s string) (screening.Date, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	circa := false
	if len(s) > 6 && strings.EqualFold(s[:6], "circa ") {
		circa, s = true, strings.TrimSpace(s[6:])
	}
	d, n, ok := freetext.Leading(s)
	if !ok {
		return screening.Date{}, false
	}
	rest := strings.TrimSpace(s[n:])
	switch {
	case rest == "":
	case strings.HasPrefix(rest, "to ") || strings.HasPrefix(rest, "-"):
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(rest, "to "), "-"))
		d2, ok := freetext.Date(rest)
		if !ok || d2.Time().Before(d.Time()) {
			return screening.Date{}, false
		}
		d = freetext.Span(d, d2)
	default:
		return screening.Date{}, false
	}
	if circa {
		d = freetext.Widen(d)
	}
	return d, true
}
