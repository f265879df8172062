package gate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bordersec/portcullis/screening"
)

// Class is the kind of device at a gate.
type Class string

// The classes of device. Each has a built-in profile of the same name.
const (
	ClassEGate Class = "egate" // an automated border control gate
	ClassKiosk Class = "kiosk" // a self-service kiosk: chip and face optional
)

// Duration is a time.Duration written in JSON as Go writes durations:
// "90s", "30m", "1h30m".
type Duration time.Duration

// MarshalText writes the duration as "1h30m0s".
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText reads a duration such as "30m" or "1h30m".
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return fmt.Errorf("want a duration such as \"30m\" or \"1h30m\": %w", err)
	}
	*d = Duration(v)
	return nil
}

// The defaults of Config.
const (
	DefaultClockSkew     = 2 * time.Minute
	DefaultMaxEventAge   = 15 * time.Minute
	DefaultMaxSpeedKmh   = 1000.0
	DefaultMinConnection = 30 * time.Minute
)

// Config is the gate configuration: the ports and their gates, the profiles
// that set thresholds and windows, and how long travel between ports takes.
// It is read from a JSON file by LoadConfig; the zero value of every field
// means its documented default.
type Config struct {
	// ClockSkew is how far in the future an event's time may be, to allow
	// for device clocks that run fast. Default 2 minutes.
	ClockSkew Duration `json:"clock_skew,omitzero"`
	// MaxEventAge is how old an event may be. A gate asks while the
	// traveller waits; an older event is a replay or a queue that should
	// not be answered. Default 15 minutes.
	MaxEventAge Duration `json:"max_event_age,omitzero"`
	// MaxSpeedKmh and MinConnection bound travel between two ports: nobody
	// gets from one to the other faster than the great-circle distance at
	// MaxSpeedKmh plus MinConnection. Defaults 1,000 km/h (faster than the
	// block speed of any scheduled flight) and 30 minutes (leaving one
	// border control and reaching another).
	MaxSpeedKmh   float64  `json:"max_speed_kmh,omitempty"`
	MinConnection Duration `json:"min_connection,omitzero"`
	// MinTravel sets the minimum travel time between two ports explicitly,
	// in both directions, in place of the speed bound.
	MinTravel []TravelTime `json:"min_travel,omitempty"`
	// Profiles adds profiles or changes the built-in ones ("egate",
	// "kiosk"). A profile gives only the fields it changes; the others
	// come from its Base.
	Profiles map[string]ProfileConfig `json:"profiles,omitempty"`
	// Ports lists the ports and their gates. Only registered gates may
	// send events.
	Ports []Port `json:"ports"`
}

// TravelTime is the least time in which anyone can travel between two
// ports, either way.
type TravelTime struct {
	From string   `json:"from"`
	To   string   `json:"to"`
	Time Duration `json:"time"`
}

// Port is a border crossing point: an airport, a seaport, a rail terminal or
// a land crossing, with its position and its gates.
type Port struct {
	// Code identifies the port (an IATA or UN/LOCODE code, say): 1 to 16
	// letters, digits, '.', '_' or '-'.
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
	// Lat and Lon are the port's position in decimal degrees (WGS 84).
	Lat *float64 `json:"lat"`
	Lon *float64 `json:"lon"`
	// Profiles names, per class, the profile of the port's gates of that
	// class that name none themselves.
	Profiles map[Class]string `json:"profiles,omitempty"`
	Gates    []GateSpec       `json:"gates"`
}

// GateSpec registers one gate (ID) or a series of gates (Prefix and Count:
// Prefix followed by 01, 02, … Count, with as many digits as Count has, and
// at least two).
type GateSpec struct {
	ID     string `json:"id,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Count  int    `json:"count,omitempty"`
	Class  Class  `json:"class"`
	// Profile names the gate's profile; default the port's profile for the
	// class, else the class's built-in profile.
	Profile string `json:"profile,omitempty"`
}

// ProfileConfig is a profile as the configuration file gives it: only the
// fields that differ from its base.
type ProfileConfig struct {
	// Base is the profile this one starts from; default the built-in
	// profile of the same name for "egate" and "kiosk", "egate" otherwise.
	Base                 string         `json:"base,omitempty"`
	MinFaceThreshold     *float64       `json:"min_face_threshold,omitempty"`
	MinLivenessThreshold *float64       `json:"min_liveness_threshold,omitempty"`
	Require              map[Check]bool `json:"require,omitempty"`
	ReuseWindow          *Duration      `json:"reuse_window,omitempty"`
	ProbeWindow          *Duration      `json:"probe_window,omitempty"`
	ProbeGates           *int           `json:"probe_gates,omitempty"`
	ProbeFailures        *int           `json:"probe_failures,omitempty"`
}

// Profile is the policy of a class of gate, or of the gates of one port.
type Profile struct {
	Name string `json:"name"`
	// MinFaceThreshold and MinLivenessThreshold are the lowest thresholds
	// accepted from a device: a device that reports a lower one is held to
	// these. A device that reports none is held to these.
	MinFaceThreshold     float64 `json:"min_face_threshold"`
	MinLivenessThreshold float64 `json:"min_liveness_threshold"`
	// Require lists the checks that must be done: an event for which one
	// of them is NotDone is referred. The checks that may be required are
	// face, liveness, passive_authentication, chip_authentication,
	// dg1_matches_mrz, document_list and morph (the device's morphing-attack
	// detection, which many devices lack); the MRZ, expiry, watchlist and
	// recent-use checks are always required.
	Require map[Check]bool `json:"require"`
	// ReuseWindow: a document that passed this port in the same direction
	// less than ReuseWindow before is referred (passed back or cloned).
	ReuseWindow time.Duration `json:"reuse_window"`
	// ProbeWindow, ProbeGates and ProbeFailures: a document that, within
	// ProbeWindow before the event, failed a biometric check (face,
	// liveness, morph) at ProbeGates or more distinct gates, or
	// ProbeFailures or more times in all, is referred as probing.
	ProbeWindow   time.Duration `json:"probe_window"`
	ProbeGates    int           `json:"probe_gates"`
	ProbeFailures int           `json:"probe_failures"`
}

// requirable are the checks a profile may require.
var requirable = [...]Check{CheckFace, CheckLiveness, CheckPassiveAuth, CheckChipAuth, CheckDG1, CheckDocumentList, CheckMorph}

// alwaysRequired are the checks that are required in every profile: they
// are the engine's own, and an event where they could not be done is never
// accepted.
var alwaysRequired = [...]Check{CheckMRZ, CheckExpiry, CheckWatchlist, CheckRecentUse}

// maxFailureSlots is how many failed attempts the memory keeps per
// document, and so the largest ProbeFailures.
const maxFailureSlots = 4

// EGateProfile returns the built-in profile of e-gates: every check
// required but morph detection; face and liveness thresholds no lower than 0.6 and 0.5; a
// document that passed the same port in the same direction within 2 hours
// is referred; probing is 2 gates, or 3 failures, within 30 minutes.
func EGateProfile() Profile {
	return Profile{
		Name:                 string(ClassEGate),
		MinFaceThreshold:     0.6,
		MinLivenessThreshold: 0.5,
		Require: map[Check]bool{CheckFace: true, CheckLiveness: true, CheckPassiveAuth: true,
			CheckChipAuth: true, CheckDG1: true, CheckDocumentList: true},
		ReuseWindow:   2 * time.Hour,
		ProbeWindow:   30 * time.Minute,
		ProbeGates:    2,
		ProbeFailures: 3,
	}
}

// KioskProfile returns the built-in profile of kiosks: as EGateProfile,
// but only the document list is required; chip and face checks that were
// not done are reported as not done and do not by themselves refer.
func KioskProfile() Profile {
	p := EGateProfile()
	p.Name = string(ClassKiosk)
	p.Require = map[Check]bool{CheckDocumentList: true}
	return p
}

// Limits of the configuration, from how the recent-use memory packs a
// document's uses into 64 bits.
const (
	MaxPorts = 4095
	MaxGates = 65535
)

// LoadConfig reads a gate configuration from JSON, strictly (an unknown
// field is an error), and validates it. Errors match ErrConfig and name the
// field: "ports[2].gates[0].class: …".
func LoadConfig(r io.Reader) (*Config, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: read: %v", ErrConfig, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if screening.TrailingData(b, dec) {
		return nil, fmt.Errorf("%w: data after the JSON object", ErrConfig)
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks the configuration: known classes and profiles, unique
// gate and port ids, positions in range, thresholds in [0, 1], windows and
// counts in range.
func (c *Config) Validate() error {
	_, err := compile(c)
	return err
}

func configError(field, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrConfig, field, fmt.Sprintf(format, args...))
}

// gateInfo is a registered gate as the service uses it.
type gateInfo struct {
	id      string
	port    string
	portIdx int // index into compiled.ports
	// latestOffset is the most the port's local time can be ahead of UTC,
	// estimated from its longitude (see latestOffset).
	latestOffset time.Duration
	idx          int // index into compiled.gates; the memory stores idx+1
	class        Class
	profile      *Profile
}

// compiled is a validated configuration, ready to decide with.
type compiled struct {
	clockSkew time.Duration
	maxAge    time.Duration
	gates     []*gateInfo
	byID      map[string]*gateInfo
	ports     []string
	portIdx   map[string]int
	travel    []int64       // seconds, [i*len(ports)+j]
	horizon   time.Duration // how long a use is remembered (see compile)
}

func validID(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}

// compile validates c and builds what deciding needs.
func compile(c *Config) (*compiled, error) {
	out := &compiled{
		clockSkew: time.Duration(c.ClockSkew),
		maxAge:    time.Duration(c.MaxEventAge),
		byID:      map[string]*gateInfo{},
		portIdx:   map[string]int{},
	}
	if out.clockSkew == 0 {
		out.clockSkew = DefaultClockSkew
	}
	if out.maxAge == 0 {
		out.maxAge = DefaultMaxEventAge
	}
	if out.clockSkew < 0 || out.clockSkew > time.Hour {
		return nil, configError("clock_skew", "want 0 to 1h")
	}
	if out.maxAge < time.Minute || out.maxAge > 24*time.Hour {
		return nil, configError("max_event_age", "want 1m to 24h")
	}
	speed := c.MaxSpeedKmh
	if speed == 0 {
		speed = DefaultMaxSpeedKmh
	}
	if !(speed >= 100 && speed <= 5000) {
		return nil, configError("max_speed_kmh", "want 100 to 5000")
	}
	conn := time.Duration(c.MinConnection)
	if conn == 0 {
		conn = DefaultMinConnection
	}
	if conn < 0 || conn > 24*time.Hour {
		return nil, configError("min_connection", "want 0 to 24h")
	}
	profiles, err := compileProfiles(c.Profiles)
	if err != nil {
		return nil, err
	}
	if len(c.Ports) == 0 {
		return nil, configError("ports", "at least one port with gates is required")
	}
	if len(c.Ports) > MaxPorts {
		return nil, configError("ports", "%d ports; at most %d", len(c.Ports), MaxPorts)
	}
	type pos struct{ lat, lon float64 }
	var positions []pos
	for i, p := range c.Ports {
		field := fmt.Sprintf("ports[%d]", i)
		if !validID(p.Code, 16) {
			return nil, configError(field+".code", "%q: want 1 to 16 letters, digits, '.', '_' or '-'", p.Code)
		}
		if _, dup := out.portIdx[p.Code]; dup {
			return nil, configError(field+".code", "port %q is listed twice", p.Code)
		}
		if p.Lat == nil || p.Lon == nil {
			return nil, configError(field, "lat and lon are required: travel times between ports are bounded by distance")
		}
		if !(*p.Lat >= -90 && *p.Lat <= 90) || !(*p.Lon >= -180 && *p.Lon <= 180) {
			return nil, configError(field, "lat must lie in [-90, 90] and lon in [-180, 180]")
		}
		for class, name := range p.Profiles {
			if class != ClassEGate && class != ClassKiosk {
				return nil, configError(field+".profiles", "unknown class %q: want egate or kiosk", class)
			}
			if profiles[name] == nil {
				return nil, configError(field+".profiles."+string(class), "unknown profile %q", name)
			}
		}
		out.portIdx[p.Code] = len(out.ports)
		out.ports = append(out.ports, p.Code)
		positions = append(positions, pos{*p.Lat, *p.Lon})
		if len(p.Gates) == 0 {
			return nil, configError(field+".gates", "a port needs at least one gate")
		}
		for j, g := range p.Gates {
			gf := fmt.Sprintf("%s.gates[%d]", field, j)
			if g.Class != ClassEGate && g.Class != ClassKiosk {
				return nil, configError(gf+".class", "%q: want egate or kiosk", g.Class)
			}
			name := g.Profile
			if name == "" {
				name = p.Profiles[g.Class]
			}
			if name == "" {
				name = string(g.Class)
			}
			prof := profiles[name]
			if prof == nil {
				return nil, configError(gf+".profile", "unknown profile %q", name)
			}
			var ids []string
			switch {
			case g.ID != "" && g.Prefix == "" && g.Count == 0:
				ids = []string{g.ID}
			case g.ID == "" && g.Prefix != "" && g.Count > 0:
				if g.Count > MaxGates {
					return nil, configError(gf+".count", "at most %d", MaxGates)
				}
				width := max(2, len(strconv.Itoa(g.Count)))
				for k := 1; k <= g.Count; k++ {
					ids = append(ids, fmt.Sprintf("%s%0*d", g.Prefix, width, k))
				}
			default:
				return nil, configError(gf, "give either id, or prefix and a count of at least 1")
			}
			for _, id := range ids {
				if !validID(id, MaxIDLen) {
					return nil, configError(gf, "gate id %q: want 1 to %d letters, digits, '.', '_' or '-'", id, MaxIDLen)
				}
				if _, dup := out.byID[id]; dup {
					return nil, configError(gf, "gate %q is registered twice", id)
				}
				if len(out.gates) >= MaxGates {
					return nil, configError(gf, "more than %d gates", MaxGates)
				}
				gi := &gateInfo{id: id, port: p.Code, portIdx: out.portIdx[p.Code], latestOffset: latestOffset(*p.Lon),
					idx: len(out.gates), class: g.Class, profile: prof}
				out.gates = append(out.gates, gi)
				out.byID[id] = gi
			}
		}
	}
	n := len(out.ports)
	out.travel = make([]int64, n*n)
	for i := range n {
		for j := range n {
			if i == j {
				continue
			}
			km := haversineKm(positions[i].lat, positions[i].lon, positions[j].lat, positions[j].lon)
			d := time.Duration(km/speed*float64(time.Hour)) + conn
			out.travel[i*n+j] = int64(d / time.Second)
		}
	}
	for k, tt := range c.MinTravel {
		field := fmt.Sprintf("min_travel[%d]", k)
		i, ok1 := out.portIdx[tt.From]
		j, ok2 := out.portIdx[tt.To]
		if !ok1 || !ok2 {
			return nil, configError(field, "unknown port %q or %q", tt.From, tt.To)
		}
		if i == j {
			return nil, configError(field, "from and to are the same port")
		}
		if tt.Time <= 0 || time.Duration(tt.Time) > 72*time.Hour {
			return nil, configError(field+".time", "want more than 0 and at most 72h")
		}
		s := int64(time.Duration(tt.Time) / time.Second)
		out.travel[i*n+j], out.travel[j*n+i] = s, s
	}
	for _, s := range out.travel {
		out.horizon = max(out.horizon, time.Duration(s)*time.Second)
	}
	for _, p := range profiles {
		out.horizon = max(out.horizon, p.ReuseWindow, p.ProbeWindow)
	}
	// The memory forgets uses by the newest event time it has seen, which
	// may run ahead of the event being decided by up to the oldest event
	// accepted plus the clock skew allowed: keep that much more, so that a
	// late event still meets every use within its windows.
	out.horizon += out.maxAge + out.clockSkew
	return out, nil
}

// compileProfiles merges the configured profiles onto the built-in ones.
func compileProfiles(cfg map[string]ProfileConfig) (map[string]*Profile, error) {
	builtin := map[string]Profile{string(ClassEGate): EGateProfile(), string(ClassKiosk): KioskProfile()}
	out := map[string]*Profile{}
	var resolve func(name string, seen []string) (*Profile, error)
	resolve = func(name string, seen []string) (*Profile, error) {
		if p := out[name]; p != nil {
			return p, nil
		}
		for _, s := range seen {
			if s == name {
				return nil, configError("profiles."+name+".base", "profiles %s form a cycle", strings.Join(append(seen, name), " → "))
			}
		}
		pc, configured := cfg[name]
		b, isBuiltin := builtin[name]
		if !configured {
			if !isBuiltin {
				return nil, nil
			}
			p := b
			out[name] = &p
			return &p, nil
		}
		if !validID(name, MaxIDLen) {
			return nil, configError("profiles", "profile name %q: want 1 to %d letters, digits, '.', '_' or '-'", name, MaxIDLen)
		}
		var base Profile
		switch {
		case pc.Base == "" && isBuiltin:
			base = b
		case pc.Base == name && isBuiltin:
			base = b
		default:
			bn := pc.Base
			if bn == "" {
				bn = string(ClassEGate)
			}
			bp, err := resolve(bn, append(seen, name))
			if err != nil {
				return nil, err
			}
			if bp == nil {
				return nil, configError("profiles."+name+".base", "unknown profile %q", bn)
			}
			base = *bp
			base.Require = cloneRequire(bp.Require)
		}
		p, err := applyProfile(name, base, pc)
		if err != nil {
			return nil, err
		}
		out[name] = p
		return p, nil
	}
	names := []string{string(ClassEGate), string(ClassKiosk)}
	for name := range cfg {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := resolve(name, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func cloneRequire(m map[Check]bool) map[Check]bool {
	out := make(map[Check]bool, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// applyProfile sets the configured fields of pc on base and checks them.
func applyProfile(name string, base Profile, pc ProfileConfig) (*Profile, error) {
	f := "profiles." + name + "."
	p := base
	p.Name = name
	p.Require = cloneRequire(base.Require)
	if v := pc.MinFaceThreshold; v != nil {
		if !(*v >= 0 && *v <= 1) {
			return nil, configError(f+"min_face_threshold", "want 0 to 1")
		}
		p.MinFaceThreshold = *v
	}
	if v := pc.MinLivenessThreshold; v != nil {
		if !(*v >= 0 && *v <= 1) {
			return nil, configError(f+"min_liveness_threshold", "want 0 to 1")
		}
		p.MinLivenessThreshold = *v
	}
	for k, v := range pc.Require {
		ok := false
		for _, r := range requirable {
			ok = ok || r == k
		}
		if !ok {
			return nil, configError(f+"require."+string(k), "cannot be configured: want one of face, liveness, passive_authentication, chip_authentication, dg1_matches_mrz, document_list, morph")
		}
		p.Require[k] = v
	}
	if v := pc.ReuseWindow; v != nil {
		if *v < 0 || time.Duration(*v) > 48*time.Hour {
			return nil, configError(f+"reuse_window", "want 0 to 48h")
		}
		p.ReuseWindow = time.Duration(*v)
	}
	if v := pc.ProbeWindow; v != nil {
		if *v < 0 || time.Duration(*v) > 48*time.Hour {
			return nil, configError(f+"probe_window", "want 0 to 48h")
		}
		p.ProbeWindow = time.Duration(*v)
	}
	if v := pc.ProbeGates; v != nil {
		if *v < 1 || *v > maxFailureSlots {
			return nil, configError(f+"probe_gates", "want 1 to %d", maxFailureSlots)
		}
		p.ProbeGates = *v
	}
	if v := pc.ProbeFailures; v != nil {
		if *v < 1 || *v > maxFailureSlots {
			return nil, configError(f+"probe_failures", "want 1 to %d", maxFailureSlots)
		}
		p.ProbeFailures = *v
	}
	return &p, nil
}

// haversineKm returns the great-circle distance between two points, in km.
func haversineKm(lat1, lon1, lat2, lon2 float64) float64 {
	const earthKm = 6371.0088
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// latestOffset returns the most a port's local time can plausibly be ahead
// of UTC, from its longitude: the solar offset rounded up, plus two hours
// for zones set east of the sun (summer time, western China, Spain),
// within the offsets in use (UTC-12 to UTC+14). A document's expiry is
// judged on the latest local date the port can have, so that no gate
// accepts a document after midnight of its last day.
func latestOffset(lon float64) time.Duration {
	h := math.Ceil(lon/15) + 2
	return time.Duration(min(14, max(-12, h))) * time.Hour
}
