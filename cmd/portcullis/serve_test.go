package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bordersec/portcullis/fixtures"
	"github.com/bordersec/portcullis/screening/gate"
)

// lockedBuffer is a bytes.Buffer that serve and the test may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestServeEndToEnd starts `portcullis serve` as a user would on first
// start (keys generated and printed, a gate configuration, a lost and
// stolen documents list imported beforehand) and calls it over HTTP:
// health, screening with and without a key, a gate event from a genuine
// traveller, an event from an unknown gate, and the event query.
func TestServeEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	t.Setenv(keysEnv, "")
	data := t.TempDir()
	cfg := filepath.Join(t.TempDir(), "gates.json")
	if err := os.WriteFile(cfg, fixtures.GateConfig(fixtures.DefaultGatePorts()), 0o644); err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join(t.TempDir(), "docs.jsonl")
	if err := os.WriteFile(docs, []byte(`{"type":"P","number":"X00000001","country":"GBR","status":"stolen","reported":"2025-01-02"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := call(t, "", "import", "--data", data, "--list", "documents", "--format", "documents-jsonl", docs); err != nil {
		t.Fatalf("import documents: %v\n%s", err, stderr)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", data, "--listen", "127.0.0.1:0", "--no-seed", "--gate-config", cfg,
			"--log-level", "warn"}, strings.NewReader(""), io.Discard, &stderr)
	}()
	defer func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop within 20 s of its context ending")
		}
	}()

	addr := regexp.MustCompile(`listening on (http://\S+)`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == ""; {
		if m := addr.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not listen within 30 s:\n%s", stderr.String())
		}
	}
	keys := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(stderr.String()))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && strings.HasPrefix(f[1], "pck_") {
			keys[f[0]] = f[1]
		}
	}
	if keys["gate"] == "" || keys["operator"] == "" {
		t.Fatalf("first start printed no gate or operator key:\n%s", stderr.String())
	}

	do := func(method, path, key string, body any) (int, map[string]any) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			rd = bytes.NewReader(b)
		}
		req, err := http.NewRequest(method, base+path, rd)
		if err != nil {
			t.Fatal(err)
		}
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		raw, _ := io.ReadAll(resp.Body)
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &out); err != nil {
				t.Fatalf("%s %s: answer is not JSON: %s", method, path, raw)
			}
		}
		return resp.StatusCode, out
	}

	if code, _ := do("GET", "/healthz", "", nil); code != 200 {
		t.Fatalf("/healthz: %d", code)
	}
	traveller := map[string]any{"name": "Wilhelmina Oosterhuis", "birth_date": "1980-02-03"}
	if code, _ := do("POST", "/v1/screen", "", traveller); code != 401 {
		t.Errorf("screen without a key: %d, want 401", code)
	}
	if code, _ := do("POST", "/v1/screen", keys["operator"], traveller); code != 403 {
		t.Errorf("screen with an operator key: %d, want 403", code)
	}
	if code, out := do("POST", "/v1/screen", keys["gate"], traveller); code != 200 || out["decision"] != "CLEAR" {
		t.Errorf("screen: %d %v, want 200 CLEAR", code, out)
	}

	g := fixtures.NewGenerator(7)
	evs, err := g.GateEvents(200, fixtures.GateStreamOptions{Start: time.Now().Add(-2 * time.Minute), Rate: 1000, MaxGap: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var genuine *fixtures.GateEvent
	for i := range evs {
		if evs[i].Pattern == fixtures.PatternGenuine {
			genuine = &evs[i]
			break
		}
	}
	if genuine == nil {
		t.Fatal("the stream has no genuine traveller")
	}
	code, out := do("POST", "/v1/gate-events", keys["gate"], genuine)
	if code != 200 || out["decision"] != "ACCEPT" {
		t.Fatalf("genuine traveller at %s: %d %v, want 200 ACCEPT", genuine.Gate, code, out)
	}
	id, _ := out["event_id"].(string)
	if code, _ := do("POST", "/v1/gate-events", keys["carrier"], genuine); code != 403 {
		t.Errorf("gate event with a carrier key: %d, want 403", code)
	}
	unknown := *genuine
	unknown.Gate = "NOWHERE-E99"
	if code, out := do("POST", "/v1/gate-events", keys["gate"], unknown); code != 400 || !strings.Contains(fmt.Sprint(out), "gate") {
		t.Errorf("unknown gate: %d %v, want 400 naming the gate", code, out)
	}
	if code, out := do("GET", "/v1/gate-events/"+id, keys["auditor"], nil); code != 200 || out["id"] != id {
		t.Errorf("GET the event: %d %v", code, out)
	}
	if code, out := do("GET", "/v1/gate-events?gate="+genuine.Gate, keys["operator"], nil); code != 200 || len(out["events"].([]any)) != 1 {
		t.Errorf("events at the gate: %d %v, want one", code, out)
	}

	// A key revoked with the keys command stops working within seconds,
	// without a restart.
	if _, stderr, err := call(t, "", "keys", "--data", data, "revoke", keys["gate"][4:12]); err != nil {
		t.Fatalf("keys revoke: %v %s", err, stderr)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		code, _ := do("POST", "/v1/screen", keys["gate"], traveller)
		if code == 401 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a revoked key still answered %d after 10 s", code)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestGateExampleConfig: the example configuration the README points to
// loads.
func TestGateExampleConfig(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "fixtures", "gates.example.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := gate.LoadConfig(f); err != nil {
		t.Fatalf("fixtures/gates.example.json: %v", err)
	}
}

// TestServeRefusesShortEventRetention: events kept for less time than the
// gates' memory looks back would be missing after a restart.
func TestServeRefusesShortEventRetention(t *testing.T) {
	t.Setenv(keysEnv, "")
	cfg := filepath.Join(t.TempDir(), "gates.json")
	conf := `{"min_travel": [{"from": "AAA", "to": "BBB", "time": "60h"}], "ports": [
	  {"code": "AAA", "lat": 0, "lon": 0, "gates": [{"id": "AAA-E01", "class": "egate"}]},
	  {"code": "BBB", "lat": 1, "lon": 1, "gates": [{"id": "BBB-E01", "class": "egate"}]}]}`
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := call(t, "", "serve", "--data", t.TempDir(), "--listen", "127.0.0.1:0", "--no-seed",
		"--gate-config", cfg, "--event-retention-days", "2", "--log-level", "error")
	if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "event-retention-days") {
		t.Fatalf("serve with events kept 2 days and a 60h travel bound: %v\n%s", err, stderr)
	}
}

func TestServeRefusesStoreSettings(t *testing.T) {
	t.Setenv(keysEnv, "")
	for _, c := range [][2]string{{"commit-interval", "-1ms"}, {"commit-interval", "2s"}, {"memtable-mb", "2"}, {"memtable-mb", "4096"}} {
		_, stderr, err := call(t, "", "serve", "--data", t.TempDir(), "--listen", "127.0.0.1:0", "--no-seed",
			"--"+c[0], c[1], "--log-level", "error")
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), c[0]) {
			t.Errorf("serve --%s %s: %v\n%s", c[0], c[1], err, stderr)
		}
	}
}
