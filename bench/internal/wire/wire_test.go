package wire

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

func TestLastInt(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{`{"elapsed_us":123}`, 123, true},
		{`{"elapsed_us":1,"x":{"elapsed_us":42}}`, 42, true},
		{`{"elapsed_us":-5}`, 0, false},
		{`{"other":5}`, 0, false},
		{`{"elapsed_us":12345678901234567890}`, 1234567890123456, true},
	} {
		got, ok := LastInt([]byte(c.in), `"elapsed_us":`)
		if got != c.want || ok != c.ok {
			t.Errorf("LastInt(%s) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestFailureKind(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{fasthttp.ErrTimeout, "timeout"},
		{fmt.Errorf("dial: %w", fasthttp.ErrDialTimeout), "timeout"},
		{fasthttp.ErrNoFreeConns, "no free connection"},
		{fasthttp.ErrConnectionClosed, "connection closed"},
		{io.EOF, "connection closed"},
		{errors.New("tls: handshake failure: something"), "tls"},
		{errors.New(strings.Repeat("y", 100)), strings.Repeat("y", 60)},
	} {
		if got := FailureKind(c.err); got != c.want {
			t.Errorf("FailureKind(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
