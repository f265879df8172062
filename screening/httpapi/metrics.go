package httpapi

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"github.com/bordersec/portcullis/screening"
)

// metrics are the server's Prometheus metrics, in a registry of its own.
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	decisions *prometheus.CounterVec
	cached    prometheus.Counter
	changes   *prometheus.CounterVec
	gateStage *prometheus.HistogramVec
	// The two gate stages' series, looked up once: a gate event would
	// otherwise hash their labels twice.
	gateScreen, gateRecord prometheus.Observer
	handler                fasthttp.RequestHandler
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portcullis_http_requests_total", Help: "HTTP requests by route and status code.",
	}, []string{"route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "portcullis_http_request_duration_seconds", Help: "Time to answer an HTTP request, by route.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5, 30},
	}, []string{"route"})
	m.decisions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portcullis_decisions_total", Help: "Decisions by channel and outcome.",
	}, []string{"channel", "decision"})
	m.cached = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "portcullis_decisions_cached_total", Help: "Decisions served from the cache of recent decisions.",
	})
	m.changes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "portcullis_watchlist_changes_total", Help: "Watchlist changes made through the API, by operation.",
	}, []string{"op"})
	m.gateStage = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "portcullis_gate_stage_duration_seconds",
		Help:    "Time a gate event spent screening the holder (screen) and waiting for its record to be durable (record).",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, 1},
	}, []string{"stage"})
	m.gateScreen, m.gateRecord = m.gateStage.WithLabelValues("screen"), m.gateStage.WithLabelValues("record")
	version := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "portcullis_watchlist_version", Help: "The watchlist version the engine screens against.",
	}, func() float64 { return float64(s.engine.Version()) })
	m.reg.MustRegister(m.requests, m.latency, m.decisions, m.cached, m.changes, m.gateStage, version,
		listSizes{s.engine}, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = fasthttpadaptor.NewFastHTTPHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
	return m
}

func (m *metrics) observe(route string, code int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) decision(channel string, d *screening.Decision) {
	m.decisions.WithLabelValues(channel, string(d.Outcome)).Inc()
	if d.Cached {
		m.cached.Inc()
	}
}

func (m *metrics) watchlistChange(ch *screening.Change) {
	m.changes.WithLabelValues(string(ch.Op)).Inc()
}

// listSizes reports the number of entries per list at scrape time.
type listSizes struct{ e *screening.Engine }

var listSizesDesc = prometheus.NewDesc("portcullis_list_entries", "Entries held in memory, by list.", []string{"list"}, nil)

func (l listSizes) Describe(ch chan<- *prometheus.Desc) { ch <- listSizesDesc }

func (l listSizes) Collect(ch chan<- prometheus.Metric) {
	for name, n := range l.e.ListSizes() {
		ch <- prometheus.MustNewConstMetric(listSizesDesc, prometheus.GaugeValue, float64(n), name)
	}
}

func (s *Server) serveMetrics(ctx *fasthttp.RequestCtx, _ *caller, _ []string) error {
	s.metrics.handler(ctx)
	return nil
}
