package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bordersec/portcullis/screening"
)

// The document list's keys and values.
//
// A key is the issuing state (three bytes, padded with the ICAO filler '<'
// should a code be shorter), the document class (screening.DocClass: 'P',
// 'I', 'V', …) and the look-alike key of the number
// (screening.LookalikeKey of screening.NormalizeDocNumber). Every listed
// number that folds to the same look-alike key under one state and class
// shares the key; its value holds them all, so one point read answers both
// "is this number listed" (a record with the same number) and "is a
// look-alike listed" (a record with another number). Almost every key holds
// one record: one key per document.
//
// A value is the format byte docValueFormat and one or more records, in the
// order of their stored numbers:
//
//	uvarint version   the store version at which the record last changed (0: the import's)
//	uvarint n, n bytes the normalised number; none (n = 0) when it is the key's look-alike key
//	uvarint n, n bytes the document type as listed ("P", "PP", "ID")
//	byte              the status (docStatusCodes)
//	uvarint year, byte month, byte day, uvarint to-year   the reported date
//	uvarint n, n bytes the source
const (
	docValueFormat = 1
	docKeyPrefix   = 4 // state (3) and class (1)
	// maxDocNumber bounds a normalised number, as screening.Document does.
	maxDocNumber = 64
	maxDocKey    = docKeyPrefix + 4*maxDocNumber
	// maxDocSource bounds the source of a listed document.
	maxDocSource = 256
)

var docStatusCodes = [...]screening.DocumentStatus{
	1: screening.StatusLost,
	2: screening.StatusStolen,
	3: screening.StatusRevoked,
	4: screening.StatusInvalid,
	5: screening.StatusStolenBlank,
}

func statusCode(s screening.DocumentStatus) byte {
	for i, v := range docStatusCodes {
		if i > 0 && v == s {
			return byte(i)
		}
	}
	return 0
}

// docCountry returns the code an issuing state is keyed by: its alpha-3 or
// ICAO code, with "D" as DEU. ok is false when the state is not known.
func docCountry(c string) (string, bool) {
	if len(c) == 3 && screening.IsCountryCode(c) {
		return c, true
	}
	code, ok := screening.CountryCode(c)
	if !ok || !screening.IsCountryCode(code) {
		return "", false
	}
	return code, true
}

// appendDocKey appends the key of a document to dst. country is a
// canonical code, class non-zero and look the look-alike key of the number.
func appendDocKey(dst []byte, country string, class byte, look string) []byte {
	n := len(dst)
	dst = append(dst, "<<<"...)
	copy(dst[n:], country)
	dst = append(dst, class)
	return append(dst, look...)
}

// canonDocument returns the document as the list keeps it: the state as its
// code, the type in upper case, the number normalised, the status in its
// canonical spelling and the source trimmed. It refuses what the list
// cannot key or keep, naming the field. An entry it accepts also passes
// screening.DocumentEntry.Validate.
func canonDocument(d *screening.DocumentEntry) (screening.DocumentEntry, error) {
	var c screening.DocumentEntry
	country := strings.TrimSpace(d.Country)
	if country == "" {
		return c, &screening.ValidationError{Field: "country", Err: errors.New("the issuing state is required")}
	}
	code, ok := docCountry(country)
	if !ok {
		return c, &screening.ValidationError{Field: "country", Value: d.Country, Err: errors.New("not an ISO 3166 alpha-3 or ICAO code")}
	}
	c.Country = code
	c.Type = strings.ToUpper(strings.TrimSpace(d.Type))
	switch {
	case c.Type == "":
		return c, &screening.ValidationError{Field: "type", Err: errors.New("the document type is required")}
	case len(c.Type) > 16:
		return c, &screening.ValidationError{Field: "type", Value: d.Type, Err: errors.New("longer than 16 bytes")}
	case screening.DocClass(c.Type) == 0:
		return c, &screening.ValidationError{Field: "type", Value: d.Type,
			Err: errors.New("must start with a letter, as ICAO 9303 document codes do (P, I, A, C, V)")}
	}
	for _, r := range c.Type {
		if r > unicode.MaxASCII || unicode.IsControl(r) {
			return c, &screening.ValidationError{Field: "type", Value: d.Type, Err: errors.New("want ASCII letters and digits")}
		}
	}
	raw := strings.TrimSpace(d.Number)
	if err := (screening.Document{Number: raw}).Validate(); err != nil {
		return c, err
	}
	c.Number = normalDocNumber(raw)
	if c.Number == "" {
		return c, &screening.ValidationError{Field: "number", Value: d.Number,
			Err: errors.New("nothing is left once spaces, hyphens and fillers are removed")}
	}
	c.Status = d.Status
	if statusCode(c.Status) == 0 {
		s, err := screening.ParseDocumentStatus(string(d.Status))
		if err != nil {
			return c, &screening.ValidationError{Field: "status", Value: string(d.Status), Err: err}
		}
		c.Status = s
	}
	if err := d.Reported.Validate(); err != nil {
		return c, &screening.ValidationError{Field: "reported", Value: d.Reported.String(), Err: err}
	}
	if d.Reported.Year > 0xffff || d.Reported.ToYear > 0xffff {
		return c, &screening.ValidationError{Field: "reported", Value: d.Reported.String(), Err: screening.ErrDate}
	}
	c.Reported = d.Reported
	c.Source = strings.TrimSpace(d.Source)
	if len(c.Source) > maxDocSource || !utf8.ValidString(c.Source) {
		return c, &screening.ValidationError{Field: "source", Value: d.Source,
			Err: fmt.Errorf("longer than %d bytes or not UTF-8", maxDocSource)}
	}
	for _, r := range c.Source {
		if unicode.IsControl(r) {
			return c, &screening.ValidationError{Field: "source", Value: d.Source, Err: fmt.Errorf("control character %U", r)}
		}
	}
	return c, nil
}

// normalDocNumber is screening.NormalizeDocNumber, with a quick path for
// numbers that are already normal (upper-case letters and digits).
func normalDocNumber(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return screening.NormalizeDocNumber(s)
		}
	}
	return s
}

// docKeyOf returns the key of a canonical document.
func docKeyOf(c *screening.DocumentEntry) []byte {
	look := screening.LookalikeKey(c.Number)
	return appendDocKey(make([]byte, 0, docKeyPrefix+len(look)), c.Country, screening.DocClass(c.Type), look)
}

// documentID names a listed document in the audit trail and in hits: state,
// type and number, as the engine names them.
func documentID(c *screening.DocumentEntry) string {
	return c.Country + "/" + c.Type + "/" + c.Number
}

// appendDocRecord appends the stored form of a canonical document whose
// key ends in the look-alike key look.
func appendDocRecord(dst []byte, c *screening.DocumentEntry, version uint64, look string) []byte {
	dst = binary.AppendUvarint(dst, version)
	if c.Number == look {
		dst = append(dst, 0)
	} else {
		dst = binary.AppendUvarint(dst, uint64(len(c.Number)))
		dst = append(dst, c.Number...)
	}
	dst = binary.AppendUvarint(dst, uint64(len(c.Type)))
	dst = append(dst, c.Type...)
	dst = append(dst, statusCode(c.Status))
	dst = binary.AppendUvarint(dst, uint64(c.Reported.Year))
	dst = append(dst, byte(c.Reported.Month), byte(c.Reported.Day))
	dst = binary.AppendUvarint(dst, uint64(c.Reported.ToYear))
	dst = binary.AppendUvarint(dst, uint64(len(c.Source)))
	return append(dst, c.Source...)
}

// docRecord is one record of a value; its byte slices point into the value.
type docRecord struct {
	version  uint64
	number   []byte
	typ      []byte
	status   byte
	reported screening.Date
	source   []byte
}

var errCorruptDoc = errors.New("corrupt document record")

// nextDocRecord decodes the record at the start of b, of a key that ends
// in look, and returns the rest.
func nextDocRecord(b []byte, r *docRecord, look []byte) ([]byte, error) {
	var ok bool
	uv := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			ok = false
			return 0
		}
		b = b[n:]
		return v
	}
	bs := func() []byte {
		n := uv()
		if !ok || n > uint64(len(b)) {
			ok = false
			return nil
		}
		s := b[:n:n]
		b = b[n:]
		return s
	}
	ok = true
	r.version = uv()
	if r.number = bs(); len(r.number) == 0 {
		r.number = look
	}
	r.typ = bs()
	if !ok || len(b) < 1 {
		return nil, errCorruptDoc
	}
	r.status = b[0]
	b = b[1:]
	y := uv()
	if !ok || len(b) < 2 {
		return nil, errCorruptDoc
	}
	m, d := b[0], b[1]
	b = b[2:]
	to := uv()
	r.source = bs()
	if !ok || int(r.status) >= len(docStatusCodes) || r.status == 0 || y > 0xffff || to > 0xffff {
		return nil, errCorruptDoc
	}
	r.reported = screening.Date{Year: int(y), Month: int(m), Day: int(d), ToYear: int(to)}
	return b, nil
}

// eachDocRecord calls fn with every record of a value of a key that ends
// in look, until fn returns false.
func eachDocRecord(v, look []byte, fn func(r *docRecord) bool) error {
	if len(v) < 2 || v[0] != docValueFormat {
		return fmt.Errorf("%w: format %d", errCorruptDoc, firstByte(v))
	}
	b := v[1:]
	var r docRecord
	for len(b) > 0 {
		var err error
		if b, err = nextDocRecord(b, &r, look); err != nil {
			return err
		}
		if !fn(&r) {
			return nil
		}
	}
	return nil
}

// entry returns the record as a document of the given state; class comes
// from the record's type.
func (r *docRecord) entry(country string) *screening.DocumentEntry {
	return &screening.DocumentEntry{
		Type:     string(r.typ),
		Number:   string(r.number),
		Country:  country,
		Status:   docStatusCodes[r.status],
		Reported: r.reported,
		Source:   string(r.source),
	}
}

// keyCountry returns the state of a key.
func keyCountry(key []byte) string {
	return strings.TrimRight(string(key[:3]), "<")
}

// replaceDocRecord returns the value v of a key that ends in look with the
// record of number replaced by rec (added when absent; removed when rec is
// nil), and the record it replaced. The records of a value are kept in the
// order of their stored numbers (the look-alike key itself first), as an
// import writes them. A nil result means no record is left.
func replaceDocRecord(v, look []byte, number string, rec []byte) (out []byte, before *docRecord, err error) {
	type raw struct {
		number string
		b      []byte
	}
	stored := func(n string) string {
		if n == string(look) {
			return ""
		}
		return n
	}
	var recs []raw
	if rec != nil {
		recs = append(recs, raw{stored(number), rec})
	}
	if v != nil {
		err = eachDocRecord(v, look, func(r *docRecord) bool {
			if string(r.number) == number {
				c := *r
				before = &c
				return true
			}
			recs = append(recs, raw{stored(string(r.number)), appendRawRecord(nil, r, look)})
			return true
		})
		if err != nil {
			return nil, nil, err
		}
	}
	if len(recs) == 0 {
		return nil, before, nil
	}
	slices.SortFunc(recs, func(a, b raw) int { return strings.Compare(a.number, b.number) })
	out = append(make([]byte, 0, len(v)+len(rec)+1), docValueFormat)
	for _, r := range recs {
		out = append(out, r.b...)
	}
	return out, before, nil
}

func appendRawRecord(dst []byte, r *docRecord, look []byte) []byte {
	dst = binary.AppendUvarint(dst, r.version)
	if string(r.number) == string(look) {
		dst = append(dst, 0)
	} else {
		dst = binary.AppendUvarint(dst, uint64(len(r.number)))
		dst = append(dst, r.number...)
	}
	dst = binary.AppendUvarint(dst, uint64(len(r.typ)))
	dst = append(dst, r.typ...)
	dst = append(dst, r.status)
	dst = binary.AppendUvarint(dst, uint64(r.reported.Year))
	dst = append(dst, byte(r.reported.Month), byte(r.reported.Day))
	dst = binary.AppendUvarint(dst, uint64(r.reported.ToYear))
	dst = binary.AppendUvarint(dst, uint64(len(r.source)))
	return append(dst, r.source...)
}
