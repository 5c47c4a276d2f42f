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
