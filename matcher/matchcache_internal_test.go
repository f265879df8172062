package matcher

import (
	"fmt"
	"testing"
)

func numberedWord(i int) *wordInfo {
	k := fmt.Sprint("W", i)
	return &wordInfo{mkey: k, mhash: hashStr(keyText, k)}
}

// TestMatchCacheKeepsWordsInUse: a word that keeps being looked up stays
// cached however many other words pass through, and a word seen once
// leaves; the cache never holds more than maxMatchCache words.
func TestMatchCacheKeepsWordsInUse(t *testing.T) {
	var c matchCache
	used, once := numberedWord(-1), numberedWord(-2)
	c.put(used, &matchEntry{key: used.mkey})
	c.put(once, &matchEntry{key: once.mkey})
	for i := range 3 * maxMatchCache {
		w := numberedWord(i)
		c.put(w, &matchEntry{key: w.mkey})
		if i%1000 == 0 && c.get(used) == nil {
			t.Fatalf("a word looked up every 1,000 others was dropped after %d others", i)
		}
	}
	if c.get(used) == nil {
		t.Error("the word in use was dropped")
	}
	if c.get(once) != nil {
		t.Error("a word seen once is still cached after three cache sizes of others")
	}
	n := 0
	for i := range c.shards {
		n += len(c.shards[i].cur) + len(c.shards[i].old)
	}
	if n > maxMatchCache {
		t.Errorf("%d words cached, more than %d", n, maxMatchCache)
	}
	// A hash shared by two words: the other word is not served.
	other := &wordInfo{mkey: "OTHER", mhash: used.mhash}
	if c.get(other) != nil {
		t.Error("another word's entry served under a shared hash")
	}
}
