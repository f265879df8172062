// Package docfmt reads lists of lost, stolen and invalid travel documents
// (screening.DocumentEntry), as an issuing state or Interpol's SLTD
// exports them, in two formats:
//
//	documents-csv    comma-separated values with a header line
//	documents-jsonl  JSON Lines, one document per line
//
// # documents-csv
//
// UTF-8 text (a byte order mark is skipped), lines ending in LF or CRLF.
// The first line that is not blank or a comment is the header: it names the
// columns, in any order and any case, from
//
//	country   issuing state: ISO 3166 alpha-3 or ICAO code (GBR, D, UNO), or alpha-2  required
//	type      document type, ICAO 9303 code: P passport, I/A/C identity card, V visa  required
//	number    document number as printed; spaces, hyphens and fillers do not count   required
//	status    lost, stolen, revoked, invalid or stolen_blank (any case; "stolen blank") required
//	reported  day it was reported: YYYY-MM-DD, YYYY-MM or YYYY; may be empty         optional
//	source    who reported it                                                        optional
//
// for example
//
//	country,type,number,status,reported,source
//	GBR,P,123456789,stolen,2024-03-01,UKPA
//	DEU,I,"L01X00T47",lost,2023-11,
//
// Every line after the header is one document with exactly one field per
// column. Fields are separated by commas and trimmed of spaces; a field may
// be quoted with double quotes, a quote inside written twice (RFC 4180), but
// may not span lines. Blank lines and lines starting with '#' are skipped.
//
// # documents-jsonl
//
// One JSON object per line with the string fields country, type, number,
// status, reported and source (the same meanings; null is empty); any other
// field is an error, so that a misspelt field is never silently dropped.
// Blank lines are skipped.
//
//	{"country":"GBR","type":"P","number":"123456789","status":"stolen","reported":"2024-03-01","source":"UKPA"}
//
// # Reading
//
// A Reader returns one document at a time, with the status in its
// canonical spelling and the reported date parsed, or a
// *screening.RecordError naming the line and field of a record it cannot
// use, after which reading goes on with the next line. The state, type and
// number are returned as written (trimmed): the store checks and
// canonicalises them when it imports the document, and names the line
// (Record) of any it refuses. The document Read returns is reused by the
// next call; copy it to keep it.
//
// Both readers run at a few million lines a second on one core: plain
// lines take a fast path that does not allocate beyond the number, and
// anything unusual (quotes, escapes) the general one.
package docfmt
