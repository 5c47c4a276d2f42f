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
// knows, which is nearly all Chinese chat, in one pass and one allocation, or
// none if the result is a slice of s (text already normal, or only trimmed).
// ok is false if s has any other rune, or invalid UTF-8: the caller must then
// use normalizeFull.
//
// Mapping rune by rune is right because NFKC maps each of these runes the same
// whatever its neighbours. The whitespace folding is normalizeFull's.
func normalizeFast(s string) (_ string, ok bool) {
	// The output is b followed by s[from:to]: runs of runes that stay as they
	// are, with single spaces between them, are sliced from s rather than
	// copied rune by rune.
	var b strings.Builder
	from, to := 0, 0
	var prev rune // last rune written
	pendingSpace := false
	for i, r := range s {
		m, known := foldFast(r)
		if !known {
			return "", false
		}
		if isASCIISpace(m) { // the only spaces that foldFast returns
			pendingSpace = prev != 0
			continue
		}
		space := pendingSpace && !isCJK(prev) && !isCJK(m)
		pendingSpace = false
		prev = m
		end := i + utf8.RuneLen(r)

		switch {
		case m == r && (i == to || space && i == to+1 && s[to] == ' '):
			to = end // the output still matches s: extend the run over r
			continue
		case m == r && !space && from == to:
			from, to = i, end // nothing pending, spaces dropped: start a run at r
			continue
		}
		if b.Cap() == 0 {
			b.Grow(len(s)) // enough: foldFast never lengthens a rune
		}
		b.WriteString(s[from:to])
		if space {
			b.WriteByte(' ')
		}
		if m == r {
			from, to = i, end
		} else {
			b.WriteByte(byte(m)) // foldFast changes runes only into ASCII
			from, to = end, end
		}
	}
	if b.Len() == 0 {
		return s[from:to], true
	}
	b.WriteString(s[from:to])
	return b.String(), true
}

// foldFast returns what NFKC then lower-casing make of r, for the runes of
// everyday Chinese chat, and ok false for any other rune. Each rune it accepts
// is a normalization boundary (no combining mark, nothing that composes with
// the rune before), which is what lets normalizeFast map rune by rune; the
// TestNormalizeFastPath tests check this, and every result against
// normalizeFull.
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
		// CJK punctuation, but for the tone marks U+302A–302F, which are
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
	switch {
	case r < 0x2e80:
		return false
	case r >= 0x4e00 && r <= 0x9fff: // common ideographs, all Han: skips the table search
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || // CJK symbols and punctuation
		(r >= 0xff00 && r <= 0xffef) // half- and full-width forms left by NFKC
}

// trimPunct removes punctuation and symbols around s, so that "退货！" and
// "1。" match exact patterns "退货" and "1".
func trimPunct(s string) string {
	return strings.TrimFunc(s, isPunct)
}

// isPunct reports whether r is punctuation, a symbol or a space. Common
// ideographs, which most messages begin and end with, skip the table search.
func isPunct(r rune) bool {
	if r >= 0x4e00 && r <= 0x9fff {
		return false
	}
	return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r)
}
