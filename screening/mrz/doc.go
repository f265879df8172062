// Package mrz reads and writes the machine readable zone (MRZ) of travel
// documents and visas as ICAO Doc 9303 defines it.
//
// # Formats
//
// Five layouts are read, told apart by the number and length of the lines
// and, between those of the same size, by the first letter of the document
// code:
//
//	TD1    3 × 30  identity cards          A, C or I
//	TD2    2 × 36  official documents      A, C or I
//	MRV-B  2 × 36  visas, type B           V
//	TD3    2 × 44  passports               P
//	MRV-A  2 × 44  visas, type A           V
//
// Only A-Z, 0-9 and the filler '<' may appear. Nothing is upper-cased,
// trimmed or repaired: the reader reads what the gate read.
//
// Two national formats that look like MRZs are refused with
// ErrNationalFormat rather than read as ICAO, which would give wrong fields:
// the French identity card issued before 2021 (2 × 36, beginning IDFRA) and
// the Swiss driving licence (lines of 9, 30 and 30).
//
// # Fields
//
// An [MRZ] holds every field: the document code and its type letter, the
// issuing state, the primary and secondary identifiers (the name split at
// the first "<<", its parts at each '<'), the document number, the
// nationality, the date of birth, the sex, the expiry date and the optional
// data. State codes are kept as printed; [Country] maps the ICAO "D" to
// "DEU" for screening, and the other ICAO codes that are not ISO 3166
// countries ([IsSpecialCode]: GBD, UNO, XXA, UTO, ...) are known codes.
//
// A TD1 or TD2 document number longer than nine characters is read the ICAO
// way: the first nine in the number field, a filler where its check digit
// would be, the rest at the start of the optional data followed by the check
// digit and a filler. Some issuers (Belgium) compute that check digit with
// the filler counted in; it is accepted too, and the [Check] says so in its
// Note.
//
// # Dates
//
// Years have two digits. A date of birth takes the latest century that does
// not put it after the reference date ([Parser].Now, by default the current
// time): with Now in 2026, "260101" is 2026 but "261231", read in May 2026,
// is 1926. An expiry date takes the year that falls in the 100 years ending
// [Parser].ExpiryYearsAhead (default 50) years after Now: in 2026 "76" is
// 2076 and "77" 1977. A month or day of the date of birth written "<<" (as
// ICAO asks when it is unknown) or "00" gives a partial [screening.Date];
// "<<<<<<" is an unknown date of birth. An expiry date must be a full date.
//
// # Check digits and errors
//
// Each check digit is computed as ICAO 9303 part 3 defines it: the values
// of the characters (0-9, A-Z as 10-35, '<' as 0) times 7, 3, 1 repeating,
// summed, modulo 10 ([CheckDigit]). MRZ.Checks lists each one (document
// number, date of birth, expiry date, the TD3 personal number, and the
// composite of TD1, TD2 and TD3; visas have no composite) with the digit
// printed, the digit computed and whether it verified. An empty TD3
// personal number may have '<' or '0' as its check digit.
//
// Parse returns one of three outcomes:
//
//   - nil and a *SyntaxError (ErrFormat, ErrCharacter, ErrDocumentCode,
//     ErrNationalFormat) when the lines cannot be read as an MRZ; it names
//     the line and position.
//   - the *MRZ and a *CheckError when they can, but a check digit failed
//     (ErrCheckDigit) or a field could not be read (ErrField: a date that
//     does not exist, an unknown state code, a digit in a name). The error
//     names each field; the MRZ still holds everything that was read, and
//     MRZ.Checks and MRZ.Problems say exactly what failed.
//   - the *MRZ and nil when everything verified.
//
// A bad check digit is never silently accepted: a caller that ignores the
// MRZ whenever the error is not nil accepts nothing that failed. [Suggest]
// proposes repairs of the usual OCR confusions (O/0, I/1, S/5, ...) in the
// fields where the alphabet leaves no doubt, as a separate and explicit
// step; Parse itself repairs nothing.
//
// # Writing
//
// [Build] writes the lines of any of the five formats from the fields of an
// MRZ, computing every check digit, and [FromTraveller] fills those fields
// from a screening.Traveller, transliterating names ([Transliterate]). The
// synthetic travellers of tests and load generators get valid MRZs this way.
package mrz
