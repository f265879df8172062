package gate_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening/gate"
)

const minimalPort = `{"code":"AAA","lat":0,"lon":0,"gates":[{"id":"A1","class":"egate"}]}`

func TestLoadConfigErrors(t *testing.T) {
	tests := []struct {
		name, json, want string
	}{
		{"unknown field", `{"portz":[]}`, "unknown field"},
		{"stray brace", `{"ports":[` + minimalPort + `]}}`, "data after the JSON object"},
		{"no ports", `{"ports":[]}`, "ports: at least one"},
		{"no position", `{"ports":[{"code":"AAA","gates":[{"id":"A1","class":"egate"}]}]}`, "ports[0]: lat and lon"},
		{"latitude", `{"ports":[{"code":"AAA","lat":91,"lon":0,"gates":[{"id":"A1","class":"egate"}]}]}`, "ports[0]: lat must"},
		{"port code", `{"ports":[{"code":"A A","lat":0,"lon":0,"gates":[{"id":"A1","class":"egate"}]}]}`, "ports[0].code"},
		{"duplicate port", `{"ports":[` + minimalPort + `,{"code":"AAA","lat":1,"lon":1,"gates":[{"id":"B1","class":"egate"}]}]}`, "ports[1].code"},
		{"no gates", `{"ports":[{"code":"AAA","lat":0,"lon":0,"gates":[]}]}`, "ports[0].gates"},
		{"class", `{"ports":[{"code":"AAA","lat":0,"lon":0,"gates":[{"id":"A1","class":"turnstile"}]}]}`, "ports[0].gates[0].class"},
		{"id and prefix", `{"ports":[{"code":"AAA","lat":0,"lon":0,"gates":[{"id":"A1","prefix":"A","count":2,"class":"egate"}]}]}`, "ports[0].gates[0]: give either"},
		{"duplicate gate", `{"ports":[{"code":"AAA","lat":0,"lon":0,"gates":[{"prefix":"A","count":3,"class":"egate"},{"id":"A02","class":"kiosk"}]}]}`, `gate "A02" is registered twice`},
		{"unknown profile", `{"ports":[{"code":"AAA","lat":0,"lon":0,"gates":[{"id":"A1","class":"egate","profile":"nope"}]}]}`, `ports[0].gates[0].profile: unknown profile "nope"`},
		{"port profile class", `{"ports":[{"code":"AAA","lat":0,"lon":0,"profiles":{"bus":"egate"},"gates":[{"id":"A1","class":"egate"}]}]}`, "ports[0].profiles"},
		{"threshold", `{"profiles":{"egate":{"min_face_threshold":1.2}},"ports":[` + minimalPort + `]}`, "profiles.egate.min_face_threshold"},
		{"require", `{"profiles":{"egate":{"require":{"watchlist":false}}},"ports":[` + minimalPort + `]}`, "profiles.egate.require.watchlist"},
		{"probe gates", `{"profiles":{"egate":{"probe_gates":9}},"ports":[` + minimalPort + `]}`, "profiles.egate.probe_gates"},
		{"window", `{"profiles":{"egate":{"reuse_window":"-1h"}},"ports":[` + minimalPort + `]}`, "profiles.egate.reuse_window"},
		{"bad duration", `{"profiles":{"egate":{"probe_window":"soon"}},"ports":[` + minimalPort + `]}`, "want a duration"},
		{"unknown base", `{"profiles":{"x":{"base":"y"}},"ports":[` + minimalPort + `]}`, `profiles.x.base: unknown profile "y"`},
		{"cycle", `{"profiles":{"x":{"base":"y"},"y":{"base":"x"}},"ports":[` + minimalPort + `]}`, "cycle"},
		{"skew", `{"clock_skew":"2h","ports":[` + minimalPort + `]}`, "clock_skew"},
		{"speed", `{"max_speed_kmh":20,"ports":[` + minimalPort + `]}`, "max_speed_kmh"},
		{"travel port", `{"min_travel":[{"from":"AAA","to":"ZZZ","time":"1h"}],"ports":[` + minimalPort + `]}`, "min_travel[0]"},
		{"travel time", `{"min_travel":[{"from":"AAA","to":"BBB","time":"0s"}],"ports":[` + minimalPort + `,{"code":"BBB","lat":1,"lon":1,"gates":[{"id":"B1","class":"egate"}]}]}`, "min_travel[0].time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gate.LoadConfig(strings.NewReader(tt.json))
			if err == nil {
				t.Fatal("LoadConfig succeeded")
			}
			if !errors.Is(err, gate.ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadConfig = %v, want ErrConfig saying %q", err, tt.want)
			}
		})
	}
}

func TestConfigProfilesAndTravel(t *testing.T) {
	e := newEnv(t, nil)
	// The horizon is the longest minimum travel time, JFK to Singapore
	// (about 15,330 km at 1,000 km/h plus 30 minutes), plus the oldest
	// event accepted (15 minutes) and the clock skew (2 minutes).
	if h := e.svc.Horizon(); h < 15*time.Hour+57*time.Minute || h > 16*time.Hour+17*time.Minute {
		t.Errorf("horizon %v, want about 16h07m", h)
	}
	at := now.Add(-time.Minute)
	tests := []struct {
		gate, profile string
	}{
		{"LHR-T5-E01", "egate"},
		{"LHR-T5-E12", "egate"},
		{"LHR-T5-K01", "kiosk"},
		{"LHR-T5-K02", "kiosk-face"},
		{"CDG-2E-E10", "strict"},
		{"SIN-T3-K04", "kiosk"},
	}
	for i, tt := range tests {
		h := anna
		h.number = "Q" + strings.Repeat(string(rune('0'+i)), 8)
		res := e.decide(t, genuine(t, h, tt.gate, at))
		if res.Profile != tt.profile {
			t.Errorf("gate %s: profile %s, want %s", tt.gate, res.Profile, tt.profile)
		}
	}
}

func TestBuiltinProfiles(t *testing.T) {
	eg, k := gate.EGateProfile(), gate.KioskProfile()
	for _, c := range []gate.Check{gate.CheckFace, gate.CheckLiveness, gate.CheckPassiveAuth, gate.CheckChipAuth, gate.CheckDG1, gate.CheckDocumentList} {
		if !eg.Require[c] {
			t.Errorf("e-gates must require %s", c)
		}
		if k.Require[c] != (c == gate.CheckDocumentList) {
			t.Errorf("kiosks: require %s = %v", c, k.Require[c])
		}
	}
	k.Require[gate.CheckFace] = true
	if gate.KioskProfile().Require[gate.CheckFace] {
		t.Error("KioskProfile shares its Require map")
	}
}
