package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/bordersec/portcullis/screening"
)

// Options configures a Server. The zero value of each field means its
// documented default.
type Options struct {
	Engine    *screening.Engine
	Lists     screening.Watchlists
	Decisions screening.DecisionLog
	Keys      *Keyring
	Logger    *slog.Logger

	// ReadTimeout bounds reading a request, WriteTimeout writing the
	// answer, IdleTimeout an idle keep-alive connection. Defaults 60 s, 60 s
	// and 120 s: imports of whole lists are large.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxScreenBody bounds /v1/screen bodies (default 64 KiB),
	// MaxManifestBody manifests (default 8 MiB), MaxImportBody list imports
	// (default 1 GiB).
	MaxScreenBody, MaxManifestBody, MaxImportBody int64
	// MaxPassengers bounds a manifest. Default 1,000.
	MaxPassengers int
	// Now is the clock for decision records. Default time.Now.
	Now func() time.Time
	// OpenReader opens an import body in a list format ("jsonl", "un-xml",
	// …). Without it only "jsonl" is known.
	OpenReader func(format string, body []byte) (screening.EntryReader, error)
	// LenientPAXLST accepts PAXLST messages whose envelope counts or
	// references are wrong, recording the slips, instead of refusing them.
	LenientPAXLST bool
	// Gate, when not nil, serves the e-gate and kiosk endpoints (see
	// GateOptions).
	Gate *GateOptions
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = 60 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 60 * time.Second
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = 120 * time.Second
	}
	if o.MaxScreenBody <= 0 {
		o.MaxScreenBody = 64 << 10
	}
	if o.MaxManifestBody <= 0 {
		o.MaxManifestBody = 8 << 20
	}
	if o.MaxImportBody <= 0 {
		o.MaxImportBody = 1 << 30
	}
	if o.MaxPassengers <= 0 {
		o.MaxPassengers = 1000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Server is the Portcullis HTTP API on fasthttp.
type Server struct {
	opts    Options
	engine  *screening.Engine
	lists   screening.Watchlists
	dlog    screening.DecisionLog
	keys    *Keyring
	log     *slog.Logger
	metrics *metrics
	srv     *fasthttp.Server
	routes  []route
}

// New returns a Server. It listens on nothing until Serve.
func New(opts Options) (*Server, error) {
	o := opts.withDefaults()
	if o.Engine == nil || o.Lists == nil || o.Decisions == nil || o.Keys == nil {
		return nil, errors.New("httpapi: Engine, Lists, Decisions and Keys are required")
	}
	s := &Server{opts: o, engine: o.Engine, lists: o.Lists, dlog: o.Decisions, keys: o.Keys, log: o.Logger}
	s.metrics = newMetrics(s)
	s.routes = s.buildRoutes()
	gateRoutes, err := s.gateRoutes(o.Gate)
	if err != nil {
		return nil, err
	}
	s.routes = append(s.routes, gateRoutes...)
	s.srv = &fasthttp.Server{
		Handler:               s.Handler,
		Name:                  "portcullis",
		ReadTimeout:           o.ReadTimeout,
		WriteTimeout:          o.WriteTimeout,
		IdleTimeout:           o.IdleTimeout,
		StreamRequestBody:     true,
		MaxRequestBodySize:    int(min(o.MaxManifestBody, 16<<20)),
		NoDefaultServerHeader: true,
		CloseOnShutdown:       true,
		Logger:                fasthttpLogger{o.Logger},
		ErrorHandler: func(ctx *fasthttp.RequestCtx, err error) {
			writeProblem(ctx, Problem{Type: problemBase + "invalid-request", Title: "Invalid request",
				Status: fasthttp.StatusBadRequest, Detail: "the request could not be read: " + err.Error()})
		},
	}
	return s, nil
}

// Serve answers requests on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.srv.Serve(ln) }

// Shutdown stops accepting connections and waits for the requests under
// way to finish, or for ctx to end.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.ShutdownWithContext(ctx) }

type fasthttpLogger struct{ l *slog.Logger }

func (f fasthttpLogger) Printf(format string, args ...any) {
	f.l.Warn("fasthttp: " + fmt.Sprintf(format, args...))
}

// caller is the authenticated key of a request, and the context its work
// runs under. The context is not the *fasthttp.RequestCtx: fasthttp's
// RequestCtx.Done races with Shutdown, and a screening's own deadline, not
// the connection, bounds the work.
type caller struct {
	key KeyRecord
	ctx context.Context
}

// handlerFunc is an endpoint: it writes its answer or returns an error that
// the server turns into a problem.
type handlerFunc func(ctx *fasthttp.RequestCtx, c *caller, params []string) error

// route is one endpoint: a method, a path pattern ("/v1/lists/{}/entries"),
// the roles that may call it (nil: no key needed) and its handler.
type route struct {
	method  string
	pattern []string
	name    string
	roles   []Role
	h       handlerFunc
}

// newRoute returns the route of method and pattern.
func newRoute(method, pattern string, roles []Role, h handlerFunc) route {
	return route{method: method, pattern: strings.Split(strings.Trim(pattern, "/"), "/"), name: method + " " + pattern, roles: roles, h: h}
}

func (s *Server) buildRoutes() []route {
	r := newRoute
	gate := []Role{RoleGate}
	carrier := []Role{RoleCarrier}
	operator := []Role{RoleOperator}
	auditor := []Role{RoleAuditor}
	return []route{
		r("GET", "/healthz", nil, s.healthz),
		r("GET", "/readyz", nil, s.readyz),
		r("GET", "/metrics", auditor, s.serveMetrics),
		r("POST", "/v1/screen", gate, s.screen),
		r("POST", "/v1/manifests", carrier, s.manifest),
		r("POST", "/v1/carriers/paxlst", carrier, s.carrierPAXLST),
		r("GET", "/v1/lists", operator, s.getLists),
		r("GET", "/v1/lists/{}", operator, s.getList),
		r("DELETE", "/v1/lists/{}", operator, s.deleteList),
		r("GET", "/v1/lists/{}/entries", operator, s.exportList),
		r("POST", "/v1/lists/{}/entries", operator, s.createEntry),
		r("GET", "/v1/lists/{}/entries/{}", operator, s.getEntry),
		r("PUT", "/v1/lists/{}/entries/{}", operator, s.putEntry),
		r("DELETE", "/v1/lists/{}/entries/{}", operator, s.deleteEntry),
		r("POST", "/v1/lists/{}/import", operator, s.importList),
		r("GET", "/v1/decisions", auditor, s.listDecisions),
		r("GET", "/v1/decisions/{}", auditor, s.getDecision),
		r("GET", "/v1/audit/changes", auditor, s.listChanges),
	}
}

// match reports whether path fits the route's pattern, and its parameters.
func (rt *route) match(segs []string) ([]string, bool) {
	if len(segs) != len(rt.pattern) {
		return nil, false
	}
	var params []string
	for i, p := range rt.pattern {
		if p == "{}" {
			if segs[i] == "" {
				return nil, false
			}
			params = append(params, segs[i])
			continue
		}
		if p != segs[i] {
			return nil, false
		}
	}
	return params, true
}

// Handler answers one request: routing, authentication, the role check, the
// endpoint, and the mapping of its error to a problem. A panic in an
// endpoint is logged and answered as a problem, never a dropped connection.
func (s *Server) Handler(ctx *fasthttp.RequestCtx) {
	start := time.Now()
	name := "unmatched"
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic in handler", "route", name, "panic", fmt.Sprint(v))
			writeProblem(ctx, Problem{Type: problemBase + "unavailable", Title: "Service unavailable",
				Status: fasthttp.StatusServiceUnavailable, Detail: "the engine could not complete the request; it has been logged"})
		}
		s.metrics.observe(name, ctx.Response.StatusCode(), time.Since(start))
	}()
	path := string(ctx.Path())
	segs := strings.Split(strings.Trim(path, "/"), "/")
	method := string(ctx.Method())
	var rt *route
	var params []string
	pathMatched := false
	for i := range s.routes {
		p, ok := s.routes[i].match(segs)
		if !ok {
			continue
		}
		pathMatched = true
		if s.routes[i].method == method || (method == "HEAD" && s.routes[i].method == "GET") {
			rt, params = &s.routes[i], p
			break
		}
	}
	if rt == nil {
		if pathMatched {
			s.fail(ctx, errMethod, name)
		} else {
			s.fail(ctx, errNoRoute, name)
		}
		return
	}
	name = rt.name
	c := &caller{ctx: context.Background()}
	if rt.roles != nil {
		key, ok := bearer(ctx)
		if !ok {
			s.fail(ctx, errUnauthorized, name)
			return
		}
		rec, ok := s.keys.Authenticate(key)
		if !ok {
			s.fail(ctx, errUnauthorized, name)
			return
		}
		allowed := false
		for _, want := range rt.roles {
			if rec.Role.Allows(want) {
				allowed = true
			}
		}
		if !allowed {
			s.fail(ctx, errForbidden, name)
			return
		}
		c.key = rec
	}
	for i, p := range params {
		if u, err := unescapePath(p); err == nil {
			params[i] = u
		} else {
			s.fail(ctx, badRequest("", "malformed path segment %q", p), name)
			return
		}
	}
	if err := rt.h(ctx, c, params); err != nil {
		s.fail(ctx, err, name)
	}
}

func (s *Server) fail(ctx *fasthttp.RequestCtx, err error, route string) {
	p, internal := problemOf(err)
	if internal {
		s.log.Error("request failed", "route", route, "status", p.Status, "err", err)
	}
	writeProblem(ctx, p)
}

func bearer(ctx *fasthttp.RequestCtx) (string, bool) {
	h := ctx.Request.Header.Peek("Authorization")
	const prefix = "Bearer "
	if len(h) <= len(prefix) || !strings.EqualFold(string(h[:len(prefix)]), prefix) {
		return "", false
	}
	return strings.TrimSpace(string(h[len(prefix):])), true
}

func unescapePath(s string) (string, error) {
	if !strings.Contains(s, "%") {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", errors.New("truncated escape")
		}
		var v byte
		for _, c := range []byte{s[i+1], s[i+2]} {
			switch {
			case c >= '0' && c <= '9':
				v = v<<4 | (c - '0')
			case c >= 'a' && c <= 'f':
				v = v<<4 | (c - 'a' + 10)
			case c >= 'A' && c <= 'F':
				v = v<<4 | (c - 'A' + 10)
			default:
				return "", errors.New("bad escape")
			}
		}
		b.WriteByte(v)
		i += 2
	}
	return b.String(), nil
}

// readBody reads the request body, at most limit bytes.
func readBody(ctx *fasthttp.RequestCtx, limit int64) ([]byte, error) {
	if n := ctx.Request.Header.ContentLength(); n > 0 && int64(n) > limit {
		return nil, tooLarge(limit)
	}
	var r io.Reader = ctx.RequestBodyStream()
	if r == nil {
		b := ctx.PostBody()
		if int64(len(b)) > limit {
			return nil, tooLarge(limit)
		}
		return b, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, badRequest("", "reading the body: %v", err)
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(limit)
	}
	return b, nil
}

// decodeJSON reads a JSON body into v strictly: no unknown fields, nothing
// after the value.
func decodeJSON(ctx *fasthttp.RequestCtx, limit int64, v any) error {
	b, err := readBody(ctx, limit)
	if err != nil {
		return err
	}
	return unmarshalStrict(b, v)
}

// unmarshalStrict reads the JSON body b into v as decodeJSON does.
func unmarshalStrict(b []byte, v any) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return errEmptyBody()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if screening.TrailingData(b, dec) {
		return decodeError(errTrailing)
	}
	return nil
}

// writeJSON writes v as the answer with the given status.
func writeJSON(ctx *fasthttp.RequestCtx, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	writeBody(ctx, status, b)
	return nil
}
