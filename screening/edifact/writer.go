package edifact

import (
	"fmt"
	"io"
	"strconv"
)

// WriterOptions say how a Writer writes. The zero value writes with the
// DefaultServiceChars in UNOA, one segment after another on one line.
type WriterOptions struct {
	// Service are the separators and the release character; the zero value
	// means DefaultServiceChars. A value that holds a service character is
	// written with the release character before it, and cannot be written
	// when there is none.
	Service ServiceChars
	// Syntax is the syntax identifier naming the character set the values
	// are encoded in ("UNOA" when empty). A value with a character the set
	// does not hold, or with a control character, is an ErrCharset error.
	Syntax string
	// Newline writes a line feed after each segment terminator (unless the
	// terminator is itself a line end), which readers ignore.
	Newline bool
}

// Writer writes segments, releasing service characters and encoding text in
// the character set of the interchange. Errors are sticky: after the first,
// every call returns it. Call Flush at the end.
type Writer struct {
	w       io.Writer
	buf     []byte
	sc      ServiceChars
	cs      charset
	newline bool
	msgSegs int
	err     error
}

const writerFlushAt = 8 << 10

// NewWriter returns a Writer to w, or an error when the options name an
// unknown character set or invalid service characters.
func NewWriter(w io.Writer, opts *WriterOptions) (*Writer, error) {
	var o WriterOptions
	if opts != nil {
		o = *opts
	}
	if o.Service == (ServiceChars{}) {
		o.Service = DefaultServiceChars
	}
	if o.Syntax == "" {
		o.Syntax = "UNOA"
	}
	if err := o.Service.Validate(); err != nil {
		return nil, err
	}
	cs, ok := lookupCharset(o.Syntax)
	if !ok {
		return nil, fmt.Errorf("syntax identifier %q: %w", o.Syntax, ErrCharset)
	}
	nl := o.Newline && o.Service.Terminator != '\n' && o.Service.Terminator != '\r'
	return &Writer{w: w, buf: make([]byte, 0, writerFlushAt+512), sc: o.Service, cs: cs, newline: nl}, nil
}

// WriteUNA writes the service string advice of the Writer's service
// characters. It must come first.
func (w *Writer) WriteUNA() error {
	if w.err != nil {
		return w.err
	}
	w.buf = append(w.buf, w.sc.UNA()...)
	if w.newline {
		w.buf = append(w.buf, '\n')
	}
	return nil
}

// WriteSegment writes one segment: the tag and its data elements, each with
// its components, exactly as given (trailing empty elements and components
// included). A segment tagged UNH restarts the count of MessageSegments.
func (w *Writer) WriteSegment(tag string, elements ...Element) error {
	if w.err != nil {
		return w.err
	}
	if !validTag(tag) {
		w.err = fmt.Errorf("write segment: tag %q is not three capital letters or digits: %w", tag, ErrSyntax)
		return w.err
	}
	mark := len(w.buf)
	w.buf = append(w.buf, tag...)
	for i, e := range elements {
		w.buf = append(w.buf, w.sc.Element)
		for j, v := range e {
			if j > 0 {
				w.buf = append(w.buf, w.sc.Component)
			}
			var err error
			if w.buf, err = w.value(w.buf, v); err != nil {
				w.buf = w.buf[:mark]
				w.err = fmt.Errorf("write segment %s, element %d, component %d: %w", tag, i+1, j+1, err)
				return w.err
			}
		}
	}
	w.buf = append(w.buf, w.sc.Terminator)
	if w.newline {
		w.buf = append(w.buf, '\n')
	}
	if tag == "UNH" {
		w.msgSegs = 1
	} else {
		w.msgSegs++
	}
	if len(w.buf) >= writerFlushAt {
		return w.Flush()
	}
	return nil
}

// WriteUNT writes the trailer of the current message, counting its segments
// from the UNH to this UNT.
func (w *Writer) WriteUNT(ref string) error {
	return w.WriteSegment("UNT", Element{strconv.Itoa(w.msgSegs + 1)}, Element{ref})
}

// MessageSegments returns the number of segments written since the last
// UNH, the UNH included.
func (w *Writer) MessageSegments() int { return w.msgSegs }

// Flush writes what is buffered to the underlying writer.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if len(w.buf) == 0 {
		return nil
	}
	if _, err := w.w.Write(w.buf); err != nil {
		w.err = err
		return err
	}
	w.buf = w.buf[:0]
	return nil
}

// value appends v encoded and released.
func (w *Writer) value(dst []byte, v string) ([]byte, error) {
	start := len(dst)
	dst, err := w.cs.encode(dst, v)
	if err != nil {
		return dst, err
	}
	// Release service characters. They are ASCII, and the bytes of a
	// character outside ASCII are all 0x80 or above in every supported set,
	// so a byte-wise scan is exact.
	n := 0
	for _, c := range dst[start:] {
		if w.sc.isService(c) {
			n++
		}
	}
	if n == 0 {
		return dst, nil
	}
	if w.sc.Release == 0 {
		return dst, fmt.Errorf("%q holds a service character and there is no release character: %w", v, ErrSyntax)
	}
	end := len(dst)
	dst = append(dst, make([]byte, n)...)
	// Shift from the back, inserting the release character.
	j := len(dst)
	for i := end - 1; i >= start; i-- {
		c := dst[i]
		j--
		dst[j] = c
		if w.sc.isService(c) {
			j--
			dst[j] = w.sc.Release
		}
	}
	return dst, nil
}
