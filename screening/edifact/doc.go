// Package edifact reads and writes UN/EDIFACT interchanges (ISO 9735): the
// syntax that carriers use for PAXLST passenger lists and border
// authorities for CUSRES answers. It knows the service segments (UNA, UNB,
// UNG, UNH and their trailers) and nothing of any message's content;
// package paxlst builds on it.
//
// # Reading
//
// [Parse] (or [Read]) takes a whole interchange and returns an
// [Interchange]: the service characters, the character set, sender,
// recipient and references of the UNB, the functional groups, and each
// message with its segments. A [Segment] has a tag and data elements, each
// an [Element] of components; values are UTF-8 with release characters
// removed. Positions count from 1, as the EDIFACT directories do: the UNB
// is segment 1 (the UNA is not counted) and the first data element after
// the tag is element 1.
//
// The reader:
//
//   - takes the separators, the decimal mark and the release character from
//     a UNA, any of them; without one it uses the level A defaults (: + . ?
//     and '), or the level B information separators when the UNB is
//     followed by IS3 (0x1D);
//   - splits segments, elements and components on separators that are not
//     released: ?' ?+ ?: and ?? are data;
//   - skips white space (space, tab, CR, LF), a byte order mark and, after
//     the UNZ, a DOS end-of-file mark; a CR LF after a LF terminator is one
//     line end; a space after a tag ("UNG ") is dropped;
//   - decodes UNOA and UNOB as ASCII, UNOC to UNOK as ISO 8859-1, -2, -5,
//     -7, -3, -4, -6, -8 and -9 (UNOD is Latin-2, UNOE Cyrillic, ...), and
//     UNOW and UNOY as UTF-8, all into UTF-8; it does not enforce the
//     narrower repertoires of levels A and B (lower case in UNOA is read);
//   - checks the envelope: UNB first, UNZ last, every message between a UNH
//     and a UNT, groups (UNG/UNE) either around every message or not at
//     all; and the trailers: the UNT counts the segments of its message,
//     the UNE the messages of its group, the UNZ the messages (or groups)
//     of the interchange, and each repeats the reference of its header;
//   - records, but does not interpret, the repetition separator of syntax
//     version 4: PAXLST and CUSRES have no repeating data elements.
//
// # Errors and strictness
//
// Every error is an [*Error] naming the segment number, the tag, the
// element and component where it applies, and wrapping a sentinel:
// [ErrNotEDIFACT], [ErrServiceString], [ErrSyntax], [ErrCharset],
// [ErrEnvelope], [ErrCount], [ErrReference] or [ErrLimit]. Parse returns no
// partial interchange with an error.
//
// By default the reader is strict. [Options].Lenient accepts deviations
// that leave the structure readable and reports them as
// [Interchange].Warnings: trailer counts and references that do not match,
// data after the UNZ (ignored), and bytes that are control characters or
// outside the declared character set (replaced by U+FFFD, which callers
// must treat as unreadable). Real carrier messages have such slips (the
// test samples do); whether to accept them is the caller's policy. A broken
// envelope, an unknown character set, a segment that cannot be split and
// an exceeded limit are errors in both modes.
//
// # Limits
//
// Hostile input is bounded by [Options]: the size of the input
// ([DefaultMaxSize]), the number of segments ([DefaultMaxSegments]), of
// data elements in a segment and of components in an element (99 each).
// Memory is allocated in a few large chunks sized from the input, so a
// 400-passenger message is read in a few dozen allocations.
//
// # Writing
//
// A [Writer] writes segments with given [ServiceChars] and character set,
// putting the release character before service characters in values and
// refusing text the set cannot hold; [Writer.WriteUNT] counts the segments
// of the message it closes.
package edifact
