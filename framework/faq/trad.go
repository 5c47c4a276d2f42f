package faq

//go:generate go run gen_trad.go

import (
	"sync"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// Traditional Chinese is folded to Simplified with OpenCC's t2s conversion,
// so that 退貨 and 退货, 帳號 and 账号 meet. The converter costs about half a
// microsecond a character and allocates, so it runs only on text that holds
// a character t2s would change (tradChars, generated from OpenCC's own
// dictionaries): Simplified text, nearly every message, costs one table
// look-up a character. Converted texts are cached, because customers from
// Taiwan and Hong Kong ask the same few questions too.

// tradLimit bounds the code points in tradChars: the table covers the BMP and
// the supplementary ideographic plane.
const tradLimit = 0x30000

var tradBits = func() *[tradLimit / 64]uint64 {
	var bits [tradLimit / 64]uint64
	for _, r := range tradChars {
		bits[r/64] |= 1 << (r % 64)
	}
	return &bits
}()

// isTrad reports whether t2s changes r, alone or in a phrase.
func isTrad(r rune) bool {
	return r >= 0x3400 && r < tradLimit && tradBits[r/64]&(1<<(r%64)) != 0
}

// hasTrad reports whether s holds a character that t2s changes.
func hasTrad(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if isTrad(r) {
			return true
		}
		i += n
	}
	return false
}

// t2sCacheSize bounds the cache of converted texts; it is emptied when full.
const t2sCacheSize = 4096

var t2s struct {
	once sync.Once
	cc   *opencc.OpenCC
	err  error

	mu    sync.RWMutex
	cache map[string]string
}

// loadT2S loads OpenCC's dictionaries (a few milliseconds, once).
func loadT2S() {
	t2s.once.Do(func() {
		t2s.cc, t2s.err = opencc.New("t2s")
		t2s.cache = make(map[string]string)
	})
}

// toSimplified returns s in Simplified Chinese: s itself when it holds no
// Traditional character.
func toSimplified(s string) string {
	if !hasTrad(s) {
		return s
	}
	loadT2S()
	if t2s.err != nil {
		return s // the dictionaries are embedded: this does not happen
	}
	t2s.mu.RLock()
	out, ok := t2s.cache[s]
	t2s.mu.RUnlock()
	if ok {
		return out
	}
	out, err := t2s.cc.Convert(s)
	if err != nil {
		return s
	}
	if len(s) <= 256 { // cache chat messages, not pasted essays
		t2s.mu.Lock()
		if len(t2s.cache) >= t2sCacheSize {
			clear(t2s.cache)
		}
		t2s.cache[s] = out
		t2s.mu.Unlock()
	}
	return out
}
