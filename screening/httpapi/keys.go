package httpapi

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Role is what a key may do.
type Role string

// The roles. Admin may do everything the others may.
const (
	RoleGate     Role = "gate"     // screen travellers, send gate events
	RoleCarrier  Role = "carrier"  // send manifests; learns board / no board only
	RoleOperator Role = "operator" // read and change watchlists
	RoleAuditor  Role = "auditor"  // read decisions, the audit trail and metrics
	RoleAdmin    Role = "admin"    // everything
)

// Roles lists every role, in the order keys are generated.
var Roles = []Role{RoleGate, RoleCarrier, RoleOperator, RoleAuditor, RoleAdmin}

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q: want gate, carrier, operator, auditor or admin", s)
}

// A key is "pck_" + an 8-hex-digit id + "_" + a 43-character secret
// (32 random bytes, base64url). Only the SHA-256 of the secret is stored: a
// secret of 256 random bits cannot be guessed from its hash, so a slow
// password hash would add nothing but latency to every request.
const keyPrefix = "pck_"

// KeyRecord is the stored form of an API key: its id, role and the
// SHA-256 of its secret. The secret itself is never stored.
type KeyRecord struct {
	ID      string    `json:"id"`
	Role    Role      `json:"role"`
	Name    string    `json:"name,omitempty"`
	SHA256  string    `json:"sha256"`
	Created time.Time `json:"created"`
	Revoked bool      `json:"revoked,omitempty"`
	// Ports, for a gate key, are the codes of the ports whose gates may
	// post events with it; none means any port. A key in the hands of one
	// port's gates then cannot make uses appear elsewhere.
	Ports []string `json:"ports,omitempty"`
}

// AllowsPort reports whether the key may post events of port code.
func (r KeyRecord) AllowsPort(code string) bool {
	return len(r.Ports) == 0 || slices.Contains(r.Ports, code)
}

// Keyring holds the API keys a server accepts. It is safe for concurrent
// use.
type Keyring struct {
	mu   sync.RWMutex
	keys map[string]KeyRecord // by id
	path string               // where Save writes; "" for none
}

// NewKeyring returns an empty keyring that Save writes to path ("" for a
// keyring that is never saved).
func NewKeyring(path string) *Keyring {
	return &Keyring{keys: map[string]KeyRecord{}, path: path}
}

type keyFile struct {
	Keys []KeyRecord `json:"keys"`
}

// LoadKeyring reads a key file. A missing file gives an error matching
// os.ErrNotExist.
func LoadKeyring(path string) (*Keyring, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f keyFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	kr := NewKeyring(path)
	for i, k := range f.Keys {
		if _, err := ParseRole(string(k.Role)); err != nil {
			return nil, fmt.Errorf("key file %s: keys[%d]: %w", path, i, err)
		}
		if len(k.ID) != 8 || !isHex(k.ID) {
			return nil, fmt.Errorf("key file %s: keys[%d]: id %q: want 8 hex digits", path, i, k.ID)
		}
		if len(k.SHA256) != 64 || !isHex(k.SHA256) {
			return nil, fmt.Errorf("key file %s: keys[%d]: sha256: want 64 hex digits", path, i)
		}
		if _, dup := kr.keys[k.ID]; dup {
			return nil, fmt.Errorf("key file %s: keys[%d]: duplicate id %s", path, i, k.ID)
		}
		kr.keys[k.ID] = k
	}
	return kr, nil
}

// Save writes the keyring to its file, readable by its owner only, by
// writing a temporary file and renaming it.
func (kr *Keyring) Save() error {
	if kr.path == "" {
		return nil
	}
	kr.mu.RLock()
	f := keyFile{Keys: make([]KeyRecord, 0, len(kr.keys))}
	for _, k := range kr.keys {
		f.Keys = append(f.Keys, k)
	}
	kr.mu.RUnlock()
	sort.Slice(f.Keys, func(i, j int) bool {
		return f.Keys[i].Created.Before(f.Keys[j].Created) || (f.Keys[i].Created.Equal(f.Keys[j].Created) && f.Keys[i].ID < f.Keys[j].ID)
	})
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(kr.path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(kr.path), ".keys-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), kr.path)
}

// Generate makes a new key for role, adds its hash to the keyring and
// returns the key, which is shown once and never stored.
func (kr *Keyring) Generate(role Role, name string, now time.Time) (key string, rec KeyRecord, err error) {
	if _, err := ParseRole(string(role)); err != nil {
		return "", KeyRecord{}, err
	}
	var id [4]byte
	var secret [32]byte
	kr.mu.Lock()
	defer kr.mu.Unlock()
	for {
		if _, err := rand.Read(id[:]); err != nil {
			return "", KeyRecord{}, err
		}
		if _, taken := kr.keys[hex.EncodeToString(id[:])]; !taken {
			break
		}
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return "", KeyRecord{}, err
	}
	s := base64.RawURLEncoding.EncodeToString(secret[:])
	sum := sha256.Sum256([]byte(s))
	rec = KeyRecord{ID: hex.EncodeToString(id[:]), Role: role, Name: name, SHA256: hex.EncodeToString(sum[:]), Created: now.UTC()}
	kr.keys[rec.ID] = rec
	return keyPrefix + rec.ID + "_" + s, rec, nil
}

// Add puts a key given in full (e.g. from the environment) into the keyring,
// storing only its hash.
func (kr *Keyring) Add(role Role, key, name string, now time.Time) (KeyRecord, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return KeyRecord{}, err
	}
	id, secret, ok := splitKey(key)
	if !ok {
		return KeyRecord{}, errors.New("malformed key: want pck_<8 hex>_<secret of at least 32 characters>")
	}
	sum := sha256.Sum256([]byte(secret))
	rec := KeyRecord{ID: id, Role: role, Name: name, SHA256: hex.EncodeToString(sum[:]), Created: now.UTC()}
	kr.mu.Lock()
	defer kr.mu.Unlock()
	if _, dup := kr.keys[id]; dup {
		return KeyRecord{}, fmt.Errorf("a key with id %s exists", id)
	}
	kr.keys[id] = rec
	return rec, nil
}

// SetPorts limits a key to the gates of the given ports (none: any port).
func (kr *Keyring) SetPorts(id string, ports []string) error {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	k, ok := kr.keys[id]
	if !ok {
		return fmt.Errorf("no key with id %q", id)
	}
	k.Ports = slices.Clone(ports)
	kr.keys[id] = k
	return nil
}

// Revoke marks a key revoked; it is refused from then on.
func (kr *Keyring) Revoke(id string) error {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	k, ok := kr.keys[id]
	if !ok {
		return fmt.Errorf("no key with id %q", id)
	}
	k.Revoked = true
	kr.keys[id] = k
	return nil
}

// Keys returns the key records, oldest first.
func (kr *Keyring) Keys() []KeyRecord {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	out := make([]KeyRecord, 0, len(kr.keys))
	for _, k := range kr.keys {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Created.Before(out[j].Created) || (out[i].Created.Equal(out[j].Created) && out[i].ID < out[j].ID)
	})
	return out
}

// Len returns the number of keys, revoked ones included.
func (kr *Keyring) Len() int {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	return len(kr.keys)
}

// dummyHash is compared against when a key id is unknown, so that an
// unknown id costs the same time as a wrong secret.
var dummyHash = sha256.Sum256([]byte("portcullis-no-such-key"))

// Authenticate checks a bearer key and returns its record. It compares the
// secret's hash in constant time; unknown, malformed, wrong and revoked keys
// all fail the same way.
func (kr *Keyring) Authenticate(key string) (KeyRecord, bool) {
	id, secret, ok := splitKey(key)
	sum := sha256.Sum256([]byte(secret))
	kr.mu.RLock()
	rec, found := kr.keys[id]
	kr.mu.RUnlock()
	want := dummyHash[:]
	if found {
		if b, err := hex.DecodeString(rec.SHA256); err == nil && len(b) == sha256.Size {
			want = b
		}
	}
	match := subtle.ConstantTimeCompare(sum[:], want) == 1
	if !ok || !found || !match || rec.Revoked {
		return KeyRecord{}, false
	}
	return rec, true
}

func splitKey(key string) (id, secret string, ok bool) {
	rest, ok := strings.CutPrefix(key, keyPrefix)
	if !ok || len(rest) < 8+1+32 || rest[8] != '_' || !isHex(rest[:8]) {
		return "", "", false
	}
	return rest[:8], rest[9:], true
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Allows reports whether a key of role r may act as want.
func (r Role) Allows(want Role) bool { return r == want || r == RoleAdmin }

// Replace makes kr hold the keys of from plus extra (keys that come from
// elsewhere, such as the environment). A server calls it when its key file
// changes, so that an added or revoked key takes effect without a restart.
func (kr *Keyring) Replace(from *Keyring, extra []KeyRecord) {
	from.mu.RLock()
	keys := make(map[string]KeyRecord, len(from.keys)+len(extra))
	for id, k := range from.keys {
		keys[id] = k
	}
	from.mu.RUnlock()
	for _, k := range extra {
		if _, dup := keys[k.ID]; !dup {
			keys[k.ID] = k
		}
	}
	kr.mu.Lock()
	kr.keys = keys
	kr.mu.Unlock()
}
