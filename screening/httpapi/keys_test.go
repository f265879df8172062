package httpapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bordersec/portcullis/screening/httpapi"
)

func TestKeyring(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.json")
	kr := httpapi.NewKeyring(path)
	key, rec, err := kr.Generate(httpapi.RoleGate, "lane 1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, "pck_"+rec.ID+"_") {
		t.Fatalf("key %q does not carry its id %s", key, rec.ID)
	}
	if err := kr.Save(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), key[len("pck_")+9:]) {
		t.Fatal("the key file holds the secret")
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
	loaded, err := httpapi.LoadKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := loaded.Authenticate(key); !ok || got.Role != httpapi.RoleGate {
		t.Fatalf("a saved key does not authenticate after loading: %+v %v", got, ok)
	}
	other := "A" // the last character of the secret, changed
	if key[len(key)-1] == 'A' {
		other = "B"
	}
	for _, bad := range []string{"", key + "x", key[:len(key)-1] + other, "pck_" + rec.ID, "Bearer " + key, strings.Replace(key, rec.ID, "00000000", 1)} {
		if _, ok := loaded.Authenticate(bad); ok {
			t.Errorf("Authenticate(%q) succeeded", bad)
		}
	}
	// Revoking in the file and replacing the server's keyring takes effect.
	if err := loaded.Revoke(rec.ID); err != nil {
		t.Fatal(err)
	}
	envRec, err := kr.Add(httpapi.RoleAuditor, "pck_abcdef01_"+strings.Repeat("s", 40), "env", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	kr.Replace(loaded, []httpapi.KeyRecord{envRec})
	if _, ok := kr.Authenticate(key); ok {
		t.Fatal("a revoked key still authenticates")
	}
	if _, ok := kr.Authenticate("pck_abcdef01_" + strings.Repeat("s", 40)); !ok {
		t.Fatal("a key from the environment was lost on replace")
	}
	for _, bad := range []string{`{"keys":[{"id":"zz","role":"gate","sha256":"00"}]}`, `{"keys":[{"id":"00000000","role":"king","sha256":"` + strings.Repeat("0", 64) + `"}]}`, `{"kees":[]}`} {
		os.WriteFile(path, []byte(bad), 0o600)
		if _, err := httpapi.LoadKeyring(path); err == nil {
			t.Errorf("LoadKeyring accepted %s", bad)
		}
	}
}
