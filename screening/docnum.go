package screening

import "strings"

// NormalizeDocNumber returns a document number as lists and gates compare
// it: upper case, without spaces, hyphens, dots, slashes or the MRZ filler
// '<'. "ab-12 345<" becomes "AB12345".
func NormalizeDocNumber(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '<' || r == '\t' || r == '_':
			// fillers and separators
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// LookalikeKey folds the characters that OCR and people confuse in document
// numbers (O and 0, I and 1, S and 5, B and 8) onto one of each pair. Two
// numbers that differ but share a look-alike key are a near hit: a REFER, not
// a DENY. It takes a normalised number.
func LookalikeKey(normalized string) string {
	if !strings.ContainsAny(normalized, "OISB") {
		return normalized
	}
	b := []byte(normalized)
	for i, c := range b {
		switch c {
		case 'O':
			b[i] = '0'
		case 'I':
			b[i] = '1'
		case 'S':
			b[i] = '5'
		case 'B':
			b[i] = '8'
		}
	}
	return string(b)
}

// DocClass returns the class of a document type: its first letter as ICAO
// 9303 uses it ('P' passport, 'I', 'A' or 'C' identity card, 'V' visa), with
// the identity-card letters folded onto 'I'. It returns 0 when the type is
// unknown ("" or not a letter); an unknown class matches any class.
func DocClass(docType string) byte {
	if docType == "" {
		return 0
	}
	c := docType[0]
	if c >= 'a' && c <= 'z' {
		c -= 'a' - 'A'
	}
	switch {
	case c == 'A' || c == 'C' || c == 'I':
		return 'I'
	case c >= 'A' && c <= 'Z':
		return c
	}
	return 0
}
