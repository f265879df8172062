// Package jsonwire reads and writes the JSON of the service's hot paths
// without reflection: a strict Reader that accepts, refuses and describes
// input exactly as encoding/json's Decoder with DisallowUnknownFields does,
// and Append functions that write what json.Marshal writes, byte for byte.
//
// It is internal to screening: the gate event, the traveller and the audit
// records use it, and their tests compare it with encoding/json.
package jsonwire

import (
	"encoding"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is encoding/json's limit on nesting.
const maxDepth = 10000

// Error describes why a document cannot be read, in the words
// screening.JSONError uses for encoding/json's errors. Field is the JSON
// path of the value ("face.score"), the unknown key, or "" when the error
// is the document's as a whole.
type Error struct {
	Field string
	Msg   string
}

// Reader reads one JSON document strictly. It walks the document once:
// the caller asks for the value it expects at each place (String, Int,
// Object, ...), and the Reader checks the syntax as it goes. As with
// encoding/json, a syntax error anywhere outranks a value of the wrong type
// or an unknown field before it, and of those only the first is kept; after
// an error the Reader goes on checking syntax but stores nothing more.
//
// Object keys match field names as encoding/json matches them: exactly, or
// else without regard to case (bytes.EqualFold). A repeated key is read
// again into the same place, so the last one wins.
type Reader struct {
	b     []byte
	i     int
	depth int
	path  []string // names of the objects being read, outermost first
	cur   string   // name of the value being read
	key   []byte   // the last key, unescaped
	kbuf  []byte   // scratch for keys with escapes
	sbuf  []byte   // scratch for strings with escapes
	err   *Error   // first wrong type or unknown field
	fatal *Error   // syntax error or truncation: reading has stopped
}

// NewReader returns a Reader of data.
func NewReader(data []byte) *Reader {
	return &Reader{b: data}
}

// Reset makes r read data, keeping its buffers.
func (r *Reader) Reset(data []byte) {
	*r = Reader{b: data, path: r.path[:0], kbuf: r.kbuf[:0], sbuf: r.sbuf[:0]}
}

// Err returns the error of the document read so far: a syntax error or
// truncation if there was one, else the first value of a wrong type or
// unknown field, else nil.
func (r *Reader) Err() *Error {
	if r.fatal != nil {
		return r.fatal
	}
	return r.err
}

// Rest returns what follows the value read, white space skipped.
func (r *Reader) Rest() []byte {
	i := r.i
	for i < len(r.b) && isSpace(r.b[i]) {
		i++
	}
	return r.b[i:]
}

func isSpace(c byte) bool {
	return c <= ' ' && (c == ' ' || c == '\t' || c == '\r' || c == '\n')
}

// syntax stops reading with encoding/json's message for the byte at r.i.
func (r *Reader) syntax(context string) {
	if r.fatal != nil {
		return
	}
	r.fatal = &Error{Msg: "malformed JSON at byte " + strconv.Itoa(r.i+1) + ": invalid character " + quoteChar(r.b[r.i]) + " " + context}
}

// truncated stops reading at the end of the input.
func (r *Reader) truncated() {
	if r.fatal == nil {
		r.fatal = &Error{Msg: "truncated JSON"}
	}
}

// quoteChar writes c as encoding/json's syntax errors quote it.
func quoteChar(c byte) string {
	switch c {
	case '\'':
		return `'\''`
	case '"':
		return `'"'`
	}
	q := strconv.Quote(string(rune(c)))
	return "'" + q[1:len(q)-1] + "'"
}

// field returns the JSON path of the value being read.
func (r *Reader) field() string {
	if len(r.path) == 0 {
		return r.cur
	}
	return strings.Join(r.path, ".") + "." + r.cur
}

// wrongType keeps the first error of a value of the wrong type: want is
// what was wanted ("a string"), got what JSON was found ("number 1.5").
func (r *Reader) wrongType(want, got string) {
	if r.err == nil {
		r.err = &Error{Field: r.field(), Msg: "want " + want + ", got JSON " + got}
	}
}

// kind names the JSON value starting with c as encoding/json does.
func kind(c byte) string {
	switch c {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// start skips white space and returns the first byte of the next value;
// ok is false when reading has stopped.
func (r *Reader) start() (c byte, ok bool) {
	if r.fatal != nil {
		return 0, false
	}
	for r.i < len(r.b) {
		if c := r.b[r.i]; !isSpace(c) {
			return c, true
		}
		r.i++
	}
	r.truncated()
	return 0, false
}

// push enters an object or array at r.i.
func (r *Reader) push() bool {
	r.depth++
	if r.depth > maxDepth {
		r.syntax("exceeded max depth")
		return false
	}
	r.i++
	return true
}

// Null reads a null if one comes next and reports whether it did.
func (r *Reader) Null() bool {
	c, ok := r.start()
	if !ok || c != 'n' {
		return false
	}
	r.literal("null")
	return true
}

// Object starts reading an object. It returns true when the object has a
// member, whose key it has read (see Field); the caller reads the value
// and calls Next for the following member. It returns false for an empty
// object, a null (which it reads), a value of another type (which it skips,
// keeping the error) and after an error.
func (r *Reader) Object() bool {
	c, ok := r.start()
	if !ok {
		return false
	}
	switch c {
	case '{':
	case 'n':
		r.literal("null")
		return false
	default:
		r.wrongType("an object", kind(c))
		r.skip()
		return false
	}
	if r.depth > 0 {
		r.path = append(r.path, r.cur)
	}
	if !r.push() {
		return false
	}
	c, ok = r.start()
	if !ok {
		return false
	}
	if c == '}' {
		r.close()
		return false
	}
	return r.readKey()
}

// Next reads the next member's key of the object being read and reports
// whether there is one; at the end of the object it returns false.
func (r *Reader) Next() bool {
	c, ok := r.start()
	if !ok {
		return false
	}
	switch c {
	case ',':
		r.i++
		if _, ok := r.start(); !ok {
			return false
		}
		return r.readKey()
	case '}':
		r.close()
		return false
	}
	r.syntax("after object key:value pair")
	return false
}

// close ends the object at r.i.
func (r *Reader) close() {
	r.i++
	r.depth--
	if r.depth > 0 {
		r.path = r.path[:len(r.path)-1]
	}
}

// readKey reads a key and its colon.
func (r *Reader) readKey() bool {
	if r.b[r.i] != '"' {
		r.syntax("looking for beginning of object key string")
		return false
	}
	start := r.i + 1
	plain, ok := r.scanString()
	if !ok {
		return false
	}
	raw := r.b[start : r.i-1]
	if plain {
		r.key = raw
	} else {
		r.kbuf = unescape(r.kbuf[:0], raw)
		r.key = r.kbuf
	}
	c, ok := r.start()
	if !ok {
		return false
	}
	if c != ':' {
		r.syntax("after object key")
		return false
	}
	r.i++
	return true
}

// Field returns the index in names of the key just read, matched as
// encoding/json matches field names. For a key matching none it keeps the
// error of an unknown field, skips the value and returns -1.
func (r *Reader) Field(names []string) int {
	for k, name := range names {
		if string(r.key) == name {
			r.cur = name
			return k
		}
	}
	for k, name := range names {
		if equalFold(r.key, name) {
			r.cur = name
			return k
		}
	}
	if r.err == nil {
		f := string(r.key)
		if f == "" {
			f = `""`
		}
		r.err = &Error{Field: f, Msg: "unknown field"}
	}
	r.skip()
	return -1
}

// equalFold reports whether key equals name without regard to case, as
// encoding/json compares them: ASCII letters upper-cased, other runes
// folded by foldRune. name is ASCII.
func equalFold(key []byte, name string) bool {
	j := 0
	for i := 0; i < len(key); {
		c := key[i]
		var f rune
		if c < utf8.RuneSelf {
			f = rune(c)
			if 'a' <= c && c <= 'z' {
				f -= 'a' - 'A'
			}
			i++
		} else {
			r, n := utf8.DecodeRune(key[i:])
			f = foldRune(r)
			i += n
		}
		if j >= len(name) || f >= utf8.RuneSelf {
			return false
		}
		nc := name[j]
		if 'a' <= nc && nc <= 'z' {
			nc -= 'a' - 'A'
		}
		if byte(f) != nc {
			return false
		}
		j++
	}
	return j == len(name)
}

// foldRune folds r as encoding/json does: to the least rune of its
// simple case-folding orbit. Only ſ (to S) and the Kelvin sign (to K)
// fold to ASCII; the Turkish dotless ı and dotted İ do not (upper-casing
// their lower case would make them I).
func foldRune(r rune) rune {
	least := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		least = min(least, f)
	}
	return least
}

// String reads a string into dst; null leaves dst as it is.
func String[T ~string](r *Reader, dst *T) {
	c, ok := r.start()
	if !ok {
		return
	}
	switch c {
	case '"':
		if s, ok := r.str(); ok {
			*dst = T(s)
		}
	case 'n':
		r.literal("null")
	default:
		r.wrongType("a string", kind(c))
		r.skip()
	}
}

// Text reads a string into dst with its UnmarshalText, as encoding/json
// reads a value whose type implements encoding.TextUnmarshaler; null
// leaves dst as it is, and any other value is of the wrong type, want
// naming the JSON encoding/json wants for dst's type ("an object" for a
// struct). An error of UnmarshalText is kept as encoding/json keeps it,
// for the document as a whole.
func (r *Reader) Text(dst encoding.TextUnmarshaler, want string) {
	c, ok := r.start()
	if !ok {
		return
	}
	switch c {
	case '"':
		s, ok := r.str()
		if !ok {
			return
		}
		if err := dst.UnmarshalText([]byte(s)); err != nil && r.err == nil {
			r.err = &Error{Msg: "malformed JSON: " + err.Error()}
		}
	case 'n':
		r.literal("null")
	default:
		r.wrongType(want, kind(c))
		r.skip()
	}
}

// Pointer readies a pointer field for its value, as encoding/json does: it
// reads a null, sets *dst to nil and returns nil; otherwise it returns
// *dst, new if it was nil, for the caller to read the value into.
func Pointer[T any](r *Reader, dst **T) *T {
	if r.Null() {
		*dst = nil
		return nil
	}
	if *dst == nil {
		*dst = new(T)
	}
	return *dst
}

// StringPtr reads a string into a new or the existing *dst; null sets
// *dst to nil.
func (r *Reader) StringPtr(dst **string) {
	if r.Null() {
		*dst = nil
		return
	}
	if *dst == nil {
		*dst = new(string)
	}
	String(r, *dst)
}

// Strings reads an array of strings into dst; null sets it to nil. As with
// encoding/json, the elements are read into the slice dst already has, so
// that a null element of a repeated key keeps the value before it.
func (r *Reader) Strings(dst *[]string) {
	c, ok := r.start()
	if !ok {
		return
	}
	switch c {
	case '[':
	case 'n':
		r.literal("null")
		*dst = nil
		return
	default:
		r.wrongType("an array", kind(c))
		r.skip()
		return
	}
	if !r.push() {
		return
	}
	s := *dst
	n := 0
	for r.element(n == 0) {
		if n < cap(s) {
			s = s[:n+1]
		} else {
			s = append(s, "")
		}
		String(r, &s[n])
		n++
	}
	if r.fatal != nil {
		return
	}
	if n == 0 {
		s = []string{}
	}
	*dst = s[:n]
}

// element reports whether another element of the array being read
// follows, reading the comma before it; at the end it reads the bracket.
func (r *Reader) element(first bool) bool {
	c, ok := r.start()
	if !ok {
		return false
	}
	switch {
	case c == ']':
		r.i++
		r.depth--
		return false
	case first:
		return true
	case c == ',':
		r.i++
		return true
	}
	r.syntax("after array element")
	return false
}

// Int reads an integer into dst; null leaves dst as it is.
func (r *Reader) Int(dst *int) {
	c, ok := r.start()
	if !ok {
		return
	}
	switch {
	case c == 'n':
		r.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		lit, ok := r.number()
		if !ok {
			return
		}
		v, err := strconv.ParseInt(string(lit), 10, 64)
		if err != nil || int64(int(v)) != v {
			r.wrongType("a number", "number "+string(lit))
			return
		}
		*dst = int(v)
	default:
		r.wrongType("a number", kind(c))
		r.skip()
	}
}

// Float reads a number into a new or the existing *dst; null sets *dst to
// nil.
func (r *Reader) Float(dst **float64) {
	if r.Null() {
		*dst = nil
		return
	}
	c, ok := r.start()
	if !ok {
		return
	}
	if c != '-' && (c < '0' || c > '9') {
		r.wrongType("a number", kind(c))
		r.skip()
		return
	}
	lit, ok := r.number()
	if !ok {
		return
	}
	v, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		r.wrongType("a number", "number "+string(lit))
		return
	}
	if *dst == nil {
		*dst = new(float64)
	}
	**dst = v
}

// Bool reads true or false into dst.
func (r *Reader) Bool(dst *bool) {
	c, ok := r.start()
	if !ok {
		return
	}
	switch c {
	case 't':
		if r.literal("true") {
			*dst = true
		}
	case 'f':
		if r.literal("false") {
			*dst = false
		}
	case 'n':
		r.literal("null")
	default:
		r.wrongType("true or false", kind(c))
		r.skip()
	}
}

// BoolPtr reads true or false into a new or the existing *dst; null sets
// *dst to nil.
func (r *Reader) BoolPtr(dst **bool) {
	if r.Null() {
		*dst = nil
		return
	}
	if *dst == nil {
		*dst = new(bool)
	}
	r.Bool(*dst)
}

// Skip reads a value of any type and keeps nothing.
func (r *Reader) Skip() { r.skip() }

// skip reads one value, checking its syntax only.
func (r *Reader) skip() {
	c, ok := r.start()
	if !ok {
		return
	}
	switch {
	case c == '{':
		if !r.push() {
			return
		}
		if c, ok = r.start(); !ok {
			return
		}
		if c == '}' {
			r.i++
			r.depth--
			return
		}
		for {
			if c != '"' {
				r.syntax("looking for beginning of object key string")
				return
			}
			if _, ok := r.scanString(); !ok {
				return
			}
			if c, ok = r.start(); !ok {
				return
			}
			if c != ':' {
				r.syntax("after object key")
				return
			}
			r.i++
			r.skip()
			if c, ok = r.start(); !ok {
				return
			}
			switch c {
			case '}':
				r.i++
				r.depth--
				return
			case ',':
				r.i++
				if c, ok = r.start(); !ok {
					return
				}
				continue
			}
			r.syntax("after object key:value pair")
			return
		}
	case c == '[':
		if !r.push() {
			return
		}
		for first := true; r.element(first); first = false {
			r.skip()
		}
	case c == '"':
		r.scanString()
	case c == 't':
		r.literal("true")
	case c == 'f':
		r.literal("false")
	case c == 'n':
		r.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		r.number()
	default:
		r.syntax("looking for beginning of value")
	}
}

// literal reads the literal word starting at r.i.
func (r *Reader) literal(word string) bool {
	r.i++
	for k := 1; k < len(word); k++ {
		if r.i >= len(r.b) {
			r.truncated()
			return false
		}
		if r.b[r.i] != word[k] {
			r.syntax("in literal " + word + " (expecting " + quoteChar(word[k]) + ")")
			return false
		}
		r.i++
	}
	return true
}

// number reads a number starting at r.i and returns its text.
func (r *Reader) number() ([]byte, bool) {
	start := r.i
	if r.b[r.i] == '-' {
		r.i++
		if !r.digitNext("in numeric literal") {
			return nil, false
		}
	}
	if r.b[r.i] == '0' {
		r.i++
	} else {
		r.digits()
	}
	if r.i < len(r.b) && r.b[r.i] == '.' {
		r.i++
		if !r.digitNext("after decimal point in numeric literal") {
			return nil, false
		}
		r.digits()
	}
	if r.i < len(r.b) && (r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
		if r.i < len(r.b) && (r.b[r.i] == '+' || r.b[r.i] == '-') {
			r.i++
		}
		if !r.digitNext("in exponent of numeric literal") {
			return nil, false
		}
		r.digits()
	}
	return r.b[start:r.i], true
}

// digitNext checks that a digit comes next.
func (r *Reader) digitNext(context string) bool {
	if r.i >= len(r.b) {
		r.truncated()
		return false
	}
	if c := r.b[r.i]; c < '0' || c > '9' {
		r.syntax(context)
		return false
	}
	return true
}

func (r *Reader) digits() {
	for r.i < len(r.b) && r.b[r.i] >= '0' && r.b[r.i] <= '9' {
		r.i++
	}
}

// scanString reads the string starting at r.i, checking its syntax; plain
// reports that it has neither escapes nor bytes outside ASCII, so that its
// bytes are its value.
func (r *Reader) scanString() (plain, ok bool) {
	r.i++
	plain = true
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			return plain, true
		case c == '\\':
			plain = false
			r.i++
			if r.i >= len(r.b) {
				r.truncated()
				return false, false
			}
			switch r.b[r.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				r.i++
			case 'u':
				r.i++
				for k := 0; k < 4; k++ {
					if r.i >= len(r.b) {
						r.truncated()
						return false, false
					}
					if _, ok := hexValue(r.b[r.i]); !ok {
						r.syntax(`in \u hexadecimal character escape`)
						return false, false
					}
					r.i++
				}
			default:
				r.syntax("in string escape code")
				return false, false
			}
		case c < 0x20:
			r.syntax("in string literal")
			return false, false
		default:
			if c >= utf8.RuneSelf {
				plain = false
			}
			r.i++
		}
	}
	r.truncated()
	return false, false
}

// ReadString reads the JSON string starting at data[i] and returns its
// value and the index after it; ok is false when it is malformed or
// truncated.
func ReadString(data []byte, i int) (s string, end int, ok bool) {
	if i >= len(data) || data[i] != '"' {
		return "", i, false
	}
	r := Reader{b: data, i: i}
	s, ok = r.str()
	return s, r.i, ok
}

// str reads a string starting at r.i and returns its value.
func (r *Reader) str() (string, bool) {
	start := r.i + 1
	plain, ok := r.scanString()
	if !ok {
		return "", false
	}
	raw := r.b[start : r.i-1]
	if plain || utf8.Valid(raw) && !hasBackslash(raw) {
		return string(raw), true
	}
	r.sbuf = unescape(r.sbuf[:0], raw)
	return string(r.sbuf), true
}

func hasBackslash(b []byte) bool {
	for _, c := range b {
		if c == '\\' {
			return true
		}
	}
	return false
}

func hexValue(c byte) (rune, bool) {
	switch {
	case c >= '0' && c <= '9':
		return rune(c - '0'), true
	case c >= 'a' && c <= 'f':
		return rune(c - 'a' + 10), true
	case c >= 'A' && c <= 'F':
		return rune(c - 'A' + 10), true
	}
	return 0, false
}

// hex4 returns the value of the escape \uXXXX at the start of b, or -1.
func hex4(b []byte) rune {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return -1
	}
	var v rune
	for _, c := range b[2:6] {
		h, ok := hexValue(c)
		if !ok {
			return -1
		}
		v = v<<4 | h
	}
	return v
}

// unescape appends the value of the string body raw, whose syntax has been
// checked, to out: escapes decoded, a lone or broken surrogate and each
// byte of invalid UTF-8 as U+FFFD, as encoding/json does.
func unescape(out, raw []byte) []byte {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			switch e := raw[i+1]; e {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				v := hex4(raw[i:])
				i += 6
				if utf16.IsSurrogate(v) {
					if d := utf16.DecodeRune(v, hex4(raw[i:])); d != unicode.ReplacementChar {
						out = utf8.AppendRune(out, d)
						i += 6
						continue
					}
					v = unicode.ReplacementChar
				}
				out = utf8.AppendRune(out, v)
				continue
			default:
				out = append(out, e)
			}
			i += 2
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			v, n := utf8.DecodeRune(raw[i:])
			out = utf8.AppendRune(out, v)
			i += n
		}
	}
	return out
}
