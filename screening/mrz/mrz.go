package mrz

import (
	"github.com/bordersec/portcullis/screening"
)

// Format is one of the ICAO 9303 MRZ layouts.
type Format uint8

// The formats: three sizes of travel document and two of visa.
const (
	TD1  Format = iota + 1 // identity card: 3 lines of 30
	TD2                    // official travel document: 2 lines of 36
	TD3                    // passport: 2 lines of 44
	MRVA                   // visa, type A: 2 lines of 44
	MRVB                   // visa, type B: 2 lines of 36
)

// String returns "TD1", "TD2", "TD3", "MRV-A" or "MRV-B".
func (f Format) String() string {
	switch f {
	case TD1:
		return "TD1"
	case TD2:
		return "TD2"
	case TD3:
		return "TD3"
	case MRVA:
		return "MRV-A"
	case MRVB:
		return "MRV-B"
	}
	return "unknown"
}

// Lines returns the number of lines of the format, or 0 for an unknown one.
func (f Format) Lines() int {
	switch f {
	case TD1:
		return 3
	case TD2, TD3, MRVA, MRVB:
		return 2
	}
	return 0
}

// Width returns the number of characters in a line of the format, or 0.
func (f Format) Width() int {
	switch f {
	case TD1:
		return 30
	case TD2, MRVB:
		return 36
	case TD3, MRVA:
		return 44
	}
	return 0
}

// IsVisa reports whether f is a visa format (MRV-A or MRV-B), which has no
// composite check digit.
func (f Format) IsVisa() bool { return f == MRVA || f == MRVB }

// Field names a field of the MRZ, in errors and in check digits.
type Field string

// The fields of an MRZ.
const (
	FieldDocumentCode   Field = "document_code"
	FieldIssuingState   Field = "issuing_state"
	FieldName           Field = "name"
	FieldDocumentNumber Field = "document_number"
	FieldNationality    Field = "nationality"
	FieldBirthDate      Field = "birth_date"
	FieldSex            Field = "sex"
	FieldExpiryDate     Field = "expiry_date"
	FieldOptionalData   Field = "optional_data"   // TD1 line 1, TD2, visas
	FieldOptionalData2  Field = "optional_data_2" // TD1 line 2
	FieldPersonalNumber Field = "personal_number" // TD3 optional data
	FieldComposite      Field = "composite"       // the composite check digit
)

// Label returns the field's name in words, for messages: "document number".
func (f Field) Label() string {
	switch f {
	case FieldDocumentCode:
		return "document code"
	case FieldIssuingState:
		return "issuing state"
	case FieldName:
		return "name"
	case FieldDocumentNumber:
		return "document number"
	case FieldNationality:
		return "nationality"
	case FieldBirthDate:
		return "birth date"
	case FieldSex:
		return "sex"
	case FieldExpiryDate:
		return "expiry date"
	case FieldOptionalData:
		return "optional data"
	case FieldOptionalData2:
		return "optional data (line 2)"
	case FieldPersonalNumber:
		return "personal number"
	case FieldComposite:
		return "composite"
	}
	return string(f)
}

// Check is one check digit of an MRZ and whether it verified.
type Check struct {
	Field Field // the field the digit protects, or FieldComposite
	Line  int   // 1-based line of the digit
	Pos   int   // 1-based position of the digit in its line
	Got   byte  // the character printed
	Want  byte  // the digit computed by ICAO 9303 7-3-1, '0' to '9'
	OK    bool
	// Note says why a digit other than Want was accepted: a filler for an
	// empty personal number, or a long document number whose issuer counts
	// the filler at position 15 (TD1) or 10 (TD2). Empty otherwise.
	Note string
}

// Notes set on a Check that verified by a rule other than Got == Want.
const (
	NoteEmptyPersonalNumber = "personal number empty: check digit may be '<' or '0'"
	NoteLongNumberFiller    = "long document number: check digit counts the filler before the continuation (issuer practice, not ICAO)"
)

// MRZ is a machine readable zone as read: every field, every check digit
// and whether it verified, and the fields that could not be read.
//
// Codes, numbers and optional data are as printed with trailing fillers
// removed. Names are split into the primary identifier (before the first
// "<<") and the secondary identifier, their parts joined by single spaces.
type MRZ struct {
	Format Format
	// Raw holds the lines as given to Parse.
	Raw []string

	// DocumentCode is the document code without fillers: "P", "PO", "I",
	// "ID", "V", "VB". Its first letter is the type (see DocumentType).
	DocumentCode string
	// IssuingState is the issuing state or organisation as printed: "UTO",
	// "D" (Germany), "XXA". Country maps it for screening.
	IssuingState string
	// Primary and Secondary are the primary and secondary identifiers:
	// "ERIKSSON", "ANNA MARIA".
	Primary   string
	Secondary string
	// NameTruncated is set when the name field is full to its last
	// position, which ICAO uses to show that a name may have been cut.
	NameTruncated bool
	// Number is the document number; a TD1 or TD2 number longer than nine
	// characters is given whole, with its continuation from the optional
	// data.
	Number      string
	Nationality string
	// BirthDate has its century inferred (see Parser); it is partial when
	// the MRZ writes '<' (or 00) for an unknown month or day, and zero when
	// the date of birth is unknown.
	BirthDate screening.Date
	Sex       screening.Gender
	// ExpiryDate has its century inferred (see Parser).
	ExpiryDate screening.Date
	// Optional is the optional data: of line 1 in TD1 (after the
	// continuation of a long document number), the personal number in TD3,
	// the optional data of TD2 and visas.
	Optional string
	// Optional2 is the optional data of line 2 in TD1.
	Optional2 string

	// Checks lists every check digit of the format, in the order of the
	// lines: document number, birth date, expiry date, personal number (TD3)
	// and composite (not on visas).
	Checks []Check
	// Problems lists the fields that could not be read.
	Problems []FieldError

	lines  [3]string
	checks [5]Check
}

// Valid reports whether every check digit verified and every field could
// be read.
func (m *MRZ) Valid() bool {
	if len(m.Problems) > 0 {
		return false
	}
	for i := range m.Checks {
		if !m.Checks[i].OK {
			return false
		}
	}
	return true
}

// Err returns nil when m is Valid, and otherwise a *CheckError naming the
// check digits that failed and the fields that could not be read.
func (m *MRZ) Err() error {
	if m.Valid() {
		return nil
	}
	e := &CheckError{Failed: m.Failed()}
	if len(m.Problems) > 0 {
		e.Problems = append([]FieldError(nil), m.Problems...)
	}
	return e
}

// Failed returns the check digits that did not verify.
func (m *MRZ) Failed() []Check {
	var out []Check
	for _, c := range m.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// Check returns the check digit that protects f (FieldComposite for the
// composite), and false when the format has none.
func (m *MRZ) Check(f Field) (Check, bool) {
	for _, c := range m.Checks {
		if c.Field == f {
			return c, true
		}
	}
	return Check{}, false
}

// DocumentType returns the first letter of the document code: "P"
// (passport), "I", "A" or "C" (identity and other official documents), "V"
// (visa).
func (m *MRZ) DocumentType() string {
	if m.DocumentCode == "" {
		return ""
	}
	return m.DocumentCode[:1]
}

// Country returns the code screening uses for a state code as printed in
// an MRZ: "D" becomes "DEU"; every other code is returned unchanged.
func Country(code string) string {
	if code == "D" {
		return "DEU"
	}
	return code
}

// Document returns the document as screening knows it: the type letter,
// the number, the issuing state (D as DEU) and the expiry date.
func (m *MRZ) Document() screening.Document {
	return screening.Document{
		Type:    m.DocumentType(),
		Number:  m.Number,
		Country: Country(m.IssuingState),
		Expiry:  m.ExpiryDate,
	}
}

// Traveller returns the holder as screening knows a traveller: the primary
// identifier as surname, the secondary as given names, the date of birth,
// the nationality (D as DEU), the sex and the document.
func (m *MRZ) Traveller() screening.Traveller {
	doc := m.Document()
	return screening.Traveller{
		Surname:     m.Primary,
		GivenNames:  m.Secondary,
		BirthDate:   m.BirthDate,
		Nationality: Country(m.Nationality),
		Gender:      m.Sex,
		Document:    &doc,
		// A full name field may hold a cut name.
		NameTruncated: m.NameTruncated,
	}
}

// ScreenableTraveller is Traveller, normalised, without what screening
// would refuse: a nationality or issuing state that is not a known code,
// an impossible date of birth or expiry, a document that still does not
// validate. A misread field of the MRZ is a reason to refer the traveller,
// which the MRZ's own checks give; it must not stop the name from being
// screened.
func (m *MRZ) ScreenableTraveller() screening.Traveller {
	t := m.Traveller()
	t.Normalize()
	if t.Nationality != "" && !screening.IsCountryCode(t.Nationality) {
		t.Nationality = ""
	}
	if t.BirthDate.Validate() != nil {
		t.BirthDate = screening.Date{}
	}
	if d := t.Document; d != nil && d.Validate() != nil {
		if d.Country != "" && !screening.IsCountryCode(d.Country) {
			d.Country = ""
		}
		d.Expiry = screening.Date{}
		if d.Validate() != nil {
			t.Document = nil
		}
	}
	return t
}

// specialCodes are the ICAO 9303 codes that are not ISO 3166 countries.
var specialCodes = [...]string{
	"D", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "EUE",
	"XBA", "XEC", "XCC", "XCO", "XIM", "XPO", "XOM", "XXA", "XXB", "XXC",
	"XXX", "UTO",
}

// IsSpecialCode reports whether code is one of the ICAO 9303 codes for a
// state, organisation or status that is not an ISO 3166 country: D
// (Germany), GBD, GBN, GBO, GBP, GBS (British nationals of other kinds),
// UNO, UNA, UNK (United Nations), EUE (European Union), XBA, XEC, XCC, XCO,
// XIM, XPO, XOM (other organisations), XXA (stateless), XXB, XXC
// (refugees), XXX (unspecified) and UTO (Utopia, the specimen state).
func IsSpecialCode(code string) bool {
	for _, c := range specialCodes {
		if c == code {
			return true
		}
	}
	return false
}
