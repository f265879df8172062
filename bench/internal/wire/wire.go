// Package wire holds what the load generators share about talking to the
// server: reading a field out of an answer without decoding it, and naming
// a transport error for the report.
package wire

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/valyala/fasthttp"
)

// LastInt reads the non-negative integer after the last occurrence of key
// in b (at most 16 digits). It reports false when key is absent or no digit
// follows it.
func LastInt(b []byte, key string) (int64, bool) {
	i := bytes.LastIndex(b, []byte(key))
	if i < 0 {
		return 0, false
	}
	var n int64
	digits := 0
	for _, c := range b[i+len(key):] {
		if c < '0' || c > '9' || digits > 15 {
			break
		}
		n = n*10 + int64(c-'0')
		digits++
	}
	return n, digits > 0
}

// FailureKind names a transport error in a few words, so that a report
// counts failures by kind rather than by message.
func FailureKind(err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, fasthttp.ErrTimeout), errors.Is(err, fasthttp.ErrDialTimeout):
		return "timeout"
	case errors.Is(err, fasthttp.ErrNoFreeConns), errors.Is(err, fasthttp.ErrConnPoolStrategyNotImpl):
		return "no free connection"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, fasthttp.ErrConnectionClosed), errors.Is(err, io.EOF):
		return "connection closed"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	s := err.Error()
	if i := strings.IndexByte(s, ':'); i > 0 && i < 40 {
		s = s[:i]
	}
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}
