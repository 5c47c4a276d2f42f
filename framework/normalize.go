package framework

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize prepares text for matching, so that the way a customer happens to
// type does not decide whether a pattern matches:
//
//   - Unicode NFKC: full-width letters, digits and punctuation become their
//     ASCII forms ("ＶＩＰ１２３" → "vip123"), compatibility ideographs fold;
//   - case folding;
//   - whitespace trimmed, inner runs collapsed to one space, and dropped next
//     to CJK characters, where Chinese and Japanese use no spaces
//     ("退 货  政策" → "退货政策", "apply 退款" → "apply退款").
//
// Patterns are normalized the same way when a chart is compiled.
func Normalize(s string) string {
	if isNormalASCII(s) {
		return s
	}
	if n, ok := normalizeFast(s); ok {
		return n
	}
	return normalizeFull(s)
}

// normalizeFull is Normalize for any text. It costs a few microseconds and
// several allocations, mostly in NFKC, so Normalize tries normalizeFast first.
func normalizeFull(s string) string {
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s)
	}
	s = strings.ToLower(s)

	var b strings.Builder
	b.Grow(len(s))
	var prev rune // last rune written
	pendingSpace := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			pendingSpace = prev != 0
			continue
		}
		if pendingSpace && !isCJK(prev) && !isCJK(r) {
			b.WriteByte(' ')
		}
		pendingSpace = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// normalizeFast is normalizeFull for text made only of the runes that foldFast
// knows, which is nearly all Chinese chat: one pass, one allocation, none if s
// is already normal (or only has trailing spaces). ok is false if s has any
// other rune (or invalid UTF-8); the caller must then use normalizeFull.
//
// It relies on NFKC mapping each of these runes on its own, whatever its
// neighbours, so that mapping rune by rune equals normalizing the whole text.
// The whitespace folding is normalizeFull's, rune for rune.
func normalizeFast(s string) (_ string, ok bool) {
	var b strings.Builder
	// Until the output first differs from s it is s[:n], and nothing is
	// copied; from then on (copying) it is built in b.
	n, copying := 0, false
	var prev rune // last rune written
	pendingSpace := false
	for i, r := range s {
		m, ok := foldFast(r)
		if !ok {
			return "", false
		}
		if isASCIISpace(m) { // the only spaces foldFast returns
			pendingSpace = prev != 0
			continue
		}
		space := pendingSpace && !isCJK(prev) && !isCJK(m)
		pendingSpace = false
		prev = m
		if !copying {
			// The output is still a prefix of s if r is unchanged and the
			// bytes skipped since s[:n] are exactly the separator written:
			// none, or one ASCII space.
			if m == r && (!space && i == n || space && i == n+1 && s[n] == ' ') {
				n = i + utf8.RuneLen(r)
				continue
			}
			copying = true
			b.Grow(len(s)) // foldFast never lengthens a rune
			b.WriteString(s[:n])
		}
		if space {
			b.WriteByte(' ')
		}
		b.WriteRune(m)
	}
	if !copying {
		return s[:n], true
	}
	return b.String(), true
}

// foldFast returns what NFKC then lower-casing make of r, for the runes of
// everyday Chinese chat, and ok false for any other rune. Each rune it accepts
// is a normalization boundary (no combining mark, nothing that composes with
// the rune before), which is what lets normalizeFast map rune by rune;
// TestNormalizeFastPath checks this and every result against normalizeFull.
func foldFast(r rune) (_ rune, ok bool) {
	switch {
	case r < utf8.RuneSelf:
		return toLowerASCII(r), true
	case 0x4e00 <= r && r <= 0x9fff, 0x3400 <= r && r <= 0x4dbf: // CJK ideographs
		return r, true
	case 0xff01 <= r && r <= 0xff5e: // full-width ASCII, as Chinese input methods type it
		return toLowerASCII(r - 0xfee0), true
	case r == 0x3000: // ideographic space
		return ' ', true
	case 0x3001 <= r && r <= 0x303f:
		// CJK punctuation, but for the tone marks 〪〭〮〯〫〬, which are
		// combining marks, and 〶〸〹〺, which NFKC maps to 〒十卄卅.
		return r, (r < 0x302a || r > 0x302f) && r != 0x3036 && (r < 0x3038 || r > 0x303a)
	}
	// Common Latin-1 and general punctuation that NFKC leaves alone ("…", "‼"
	// and the like are not: NFKC spells them with ASCII).
	switch r {
	case '¡', '¢', '£', '¥', '§', '©', '«', '®', '°', '±', '·', '»', '¿', '×', '÷',
		'‐', '–', '—', '―', '‘', '’', '“', '”', '•', '‰', '′', '※':
		return r, true
	}
	return r, false
}

func toLowerASCII(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

// isASCIISpace is unicode.IsSpace for ASCII.
func isASCIISpace(r rune) bool {
	return r == ' ' || '\t' <= r && r <= '\r'
}

// isNormalASCII reports whether s is already normalized ASCII, the common
// case for commands and menu numbers, so that it costs no allocation.
func isNormalASCII(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf, 'A' <= c && c <= 'Z', c < ' ', c == 0x7f:
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		}
	}
	return true
}

// isCJK reports whether r belongs to a script written without spaces between
// words, or is CJK punctuation.
func isCJK(r rune) bool {
	if r < 0x2e80 {
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || // CJK symbols and punctuation
		(r >= 0xff00 && r <= 0xffef) // half- and full-width forms left by NFKC
}

// trimPunct removes punctuation and symbols around s, so that "退货！" and
// "1。" match exact patterns "退货" and "1".
func trimPunct(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
	})
}
