package framework

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The two regexes of the small talk of statecharts/faq.yaml, which every
// question tries.
const (
	faqThanks = `^(?:(?:好的?|嗯+|ok|收到|知道了|明白了)[\pP\pS\s]*)?(?:非常|太|十分)?(?:谢谢|謝謝|感谢|感謝|多谢|多謝|thanks|thank you|thx)(?:你|您|你们|你們)?(?:啦|了|哈|呀)?[\pP\pS\s]*$`
	faqOK     = `^(?:好的?|好吧|嗯+|哦+|ok|okay|行|收到|知道了|明白了|了解|懂了)[\pP\pS\s]*$`
)

func TestRegexFirstRunes(t *testing.T) {
	tests := []struct {
		pattern  string
		anchored bool
		first    string // the runes a match may start with, in any order; "" if nullable or unknown
		nullable bool
		unknown  bool
		kind     filterKind
	}{
		{pattern: `退款`, first: "退", kind: filterAnyRune},
		{pattern: faqThanks, anchored: true, first: "好嗯o收知明非太十谢謝感多t", kind: filterFirstRune},
		{pattern: faqOK, anchored: true, first: "好嗯哦o行收知明了懂", kind: filterFirstRune},
		{pattern: `(?P<order>\d{6,})`, first: "0123456789", kind: filterAnyRune},
		{pattern: `订单\s*(?P<order>\d{4,})`, first: "订", kind: filterAnyRune},
		{pattern: `(?i)vip`, first: "Vv", kind: filterAnyRune},
		{pattern: `(?i)k`, first: "Kk\u212a", kind: filterAnyRune},       // the Kelvin sign folds to k
		{pattern: `(?i)s`, first: "Ssſ", kind: filterAnyRune},            // so does the long s to s
		{pattern: `(?i)[j-k]`, first: "JKjk\u212a", kind: filterAnyRune}, // a class is folded by the parser
		{pattern: `(?m)^abc`, first: "a", kind: filterAnyRune},           // multi-line ^ does not anchor
		{pattern: `\Aabc`, anchored: true, first: "a", kind: filterFirstRune},
		{pattern: `^a|b`, first: "ab", kind: filterAnyRune},
		{pattern: `^a|^b`, anchored: true, first: "ab", kind: filterFirstRune},
		{pattern: `(^a)b`, anchored: true, first: "a", kind: filterFirstRune},
		{pattern: `\b^a`, anchored: true, first: "a", kind: filterFirstRune},
		{pattern: `x?^a`, first: "ax", kind: filterAnyRune}, // x? may consume: not known to anchor
		{pattern: `(?i)^cancel|取消$`, first: "Cc取", kind: filterAnyRune},
		{pattern: `\bfoo\b`, first: "f", kind: filterAnyRune},
		{pattern: `a?b`, first: "ab", kind: filterAnyRune},
		{pattern: `(?:a|b?)c`, first: "abc", kind: filterAnyRune},
		{pattern: `x{0,2}y`, first: "xy", kind: filterAnyRune},
		{pattern: `(?:xy){2}`, first: "x", kind: filterAnyRune},
		{pattern: `a{0}b`, first: "b", kind: filterAnyRune},
		{pattern: `a$`, first: "a", kind: filterAnyRune},
		{pattern: `[^\x00-\x{10FFFF}]`, kind: filterAnyRune}, // matches nothing
		{pattern: `^\pP`, anchored: true, kind: filterFirstRune},
		{pattern: `\pP`, kind: filterNone},  // too many runes for a mask
		{pattern: `[^a]`, kind: filterNone}, // too many runes for a mask
		{pattern: `a*`, nullable: true, kind: filterNone},
		{pattern: `^$`, anchored: true, nullable: true, kind: filterNone},
		{pattern: `$`, nullable: true, kind: filterNone},
		{pattern: `x|`, nullable: true, kind: filterNone},
		{pattern: `\b`, nullable: true, kind: filterNone},
		{pattern: `.abc`, unknown: true, kind: filterNone},
		{pattern: `(?s).`, unknown: true, kind: filterNone},
		{pattern: `a|.`, unknown: true, kind: filterNone},
		{pattern: `^.*退款`, anchored: true, unknown: true, kind: filterNone},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			re, err := syntax.Parse(tt.pattern, syntax.Perl)
			require.NoError(t, err)
			re = re.Simplify()
			set, nullable, ok := firstRunes(re, nil)
			assert.Equal(t, tt.unknown, !ok, "unknown")
			assert.Equal(t, tt.anchored, anchoredAtStart(re), "anchored")
			if ok {
				assert.Equal(t, tt.nullable, nullable, "nullable")
			}
			if ok && !nullable && tt.first != "" {
				want := []rune(tt.first)
				slices.Sort(want)
				assert.Equal(t, string(want), string(enumerate(mergeRanges(set))))
			}
			f := compileRegexFilter(tt.pattern)
			assert.Equal(t, tt.kind, f.kind, "filter kind")
		})
	}
}

// enumerate lists the runes of ranges lo, hi, ….
func enumerate(ranges []rune) []rune {
	var rs []rune
	for i := 0; i < len(ranges); i += 2 {
		for r := ranges[i]; r <= ranges[i+1]; r++ {
			rs = append(rs, r)
		}
	}
	return rs
}

// The filters do filter: a question is no thanks, and a word with a rune that
// the text lacks is not looked for.
func TestPrefiltersReject(t *testing.T) {
	question := &Turn{Text: "请问运费怎么算？"}
	for _, p := range []string{faqThanks, faqOK, `(?i)vip`, `\d+`} {
		f := compileRegexFilter(p)
		assert.False(t, f.mayMatch(question), p)
	}
	for _, p := range []string{faqThanks, faqOK} {
		f := compileRegexFilter(p)
		assert.True(t, f.mayMatch(&Turn{Text: "好的，谢谢！"}), p)
		assert.False(t, f.mayMatch(&Turn{Text: ""}), p)
	}
	f := compileRegexFilter(`运费`)
	assert.True(t, f.mayMatch(question))

	kw := maskOf("退款")
	assert.False(t, question.textMask().containsAll(&kw))
	kw = maskOf("运费")
	assert.True(t, question.textMask().containsAll(&kw))
}

// prefilterPatterns and prefilterTexts are crossed by the soundness tests:
// the patterns of the tests and charts, and the corners of regexp/syntax;
// texts in Simplified and Traditional Chinese, full-width, English, mixed,
// multi-line, empty and invalid.
var (
	prefilterPatterns = []string{
		faqThanks, faqOK,
		`退款`, `(?P<order>\d{6,})`, `订单\s*(?P<order>\d{4,})`, `^(?P<order>\d{6,12})$`,
		`(?P<a>\p{Han}+)(?P<b>\d*)`, `(?i)^cancel|取消$`, `^(?P<size>small|large)\s*(?P<n>\d+)$`,
		`(?P<a>x)|(?P<b>y)`, `(\d+)号`, `(?i)vip`, `(?i)k`, `(?i)s`, `(?i)straße`, `(?i)[j-k]x`,
		`(?m)^def`, `(?m)^abc$`, `\Aabc`, `^a|b`, `^a|^b`, `(^a)b`, `\b^a`, `x?^a`, `\bdef`, `\Bef`,
		`\bfoo\b`, `a?b`, `(?:a|b?)c`, `x{0,2}y`, `(?:xy){2}`, `a{0}b`, `a$`, `(?U)a+?b`,
		`[[:alpha:]]x`, `\x{212a}`, `^\pP`, `^[\pP\pS]+$`, `\pP`, `[^a]`, `[^\x00-\x{10FFFF}]`,
		`a*`, `^$`, `$`, `x|`, `\b`, `.abc`, `(?s).`, `^.*退款`, `謝謝|谢谢`, `^(?:退|謝)`,
		`\x{fffd}`, `^\x{fffd}`, `fi`, `ﬁ`, `１`, `1`, `^1$`, `[０-９]`, `(?i)ｖｉｐ`,
	}
	prefilterTexts = []string{
		"", " ", "请问运费怎么算？", "谢谢", "謝謝你們！", "好的，谢谢！", "好的,谢谢!", "好", "太感谢了",
		"嗯嗯", "Thank you", "thanks!!", "ok", "OK", "okay～", "ＶＩＰ会员", "vip会员", "我是VIP",
		"订单号是 ２０２４０６０１８８", "订单号是 2024060188", "订单123456", "Large 2", "small 10",
		"abc\ndef", "\ndef", "xabc", "xxy", "xyxy", "ab", "aab", "K", "\u212a", "k", "ſ", "S",
		"Straße", "STRASSE", "mixed 中文 English 123", "退貨", "我要退款", "退", "cancel", "Cancel it",
		"我要取消", "café", "ﬁ", "fi", "１", "1", "。", "！", "「退货」", "\xff\xfe", "a\x80b", "\xe4\xb8",
		"\ufffd", "y", "foo", "a foo b", "3号",
	}
)

func TestRegexPrefilterSound(t *testing.T) {
	for _, p := range prefilterPatterns {
		for _, text := range prefilterTexts {
			checkRegexPrefilter(t, p, text)
		}
	}
}

// FuzzRegexPrefilter checks that a regex filter says "cannot match" only of
// texts that the regex does not match, and that a regex matcher answers as
// the regex does.
func FuzzRegexPrefilter(f *testing.F) {
	for i, p := range prefilterPatterns {
		f.Add(p, prefilterTexts[i%len(prefilterTexts)])
	}
	f.Fuzz(checkRegexPrefilter)
}

func checkRegexPrefilter(t *testing.T, pattern, text string) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return
	}
	// The filter alone, on the text as it is: what the turn would hold if
	// Normalize left it alone.
	f := compileRegexFilter(pattern)
	raw := &Turn{normalized: text, normDone: true}
	if !f.mayMatch(raw) && re.MatchString(text) {
		t.Fatalf("filter of %q rejects %q, which the regex matches", pattern, text)
	}
	// The whole matcher, on the text as a customer types it.
	c, err := compileMatch(Regex(pattern))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.match(&Turn{Text: text}), re.MatchString(Normalize(text)); got != want {
		t.Fatalf("regex %q on %q: matcher says %v, regexp %v", pattern, text, got, want)
	}
}

var prefilterWords = []string{
	"退款", "退貨", "谢谢", "謝謝", "vip", "ＶＩＰ", "1", "１", "运费", "怎么", "运费怎么算", "？", "?",
	"a", "ab", "fi", "ﬁ", "\ufffd", "\xff", "\x80", "\xb8", "k", "K", "\u212a", "abc", "ok", "好的",
	"中文 english", "english 123", "订单号", "2024", "。", "「",
}

func TestKeywordMaskSound(t *testing.T) {
	for _, w := range prefilterWords {
		for _, text := range prefilterTexts {
			checkKeywordMask(t, w, text)
		}
	}
}

// FuzzKeywordMask checks that a word's mask says "not in the text" only of
// words that are not, and that keyword and all_of matchers answer as
// strings.Contains does.
func FuzzKeywordMask(f *testing.F) {
	for i, w := range prefilterWords {
		f.Add(w, prefilterTexts[i%len(prefilterTexts)])
	}
	f.Fuzz(checkKeywordMask)
}

func checkKeywordMask(t *testing.T, word, text string) {
	// The words a matcher holds are normalized, hence valid UTF-8; the text
	// may be anything.
	if w := Normalize(word); utf8.ValidString(w) {
		wm, tm := maskOf(w), maskOf(text)
		if !tm.containsAll(&wm) && strings.Contains(text, w) {
			t.Fatalf("mask of %q says it is not in %q", w, text)
		}
	}
	for _, m := range []Match{Keywords(word), AllOf(word)} {
		c, err := compileMatch(m)
		if err != nil {
			continue // a word that normalizes to nothing
		}
		if got, want := c.match(&Turn{Text: text}), strings.Contains(Normalize(text), Normalize(word)); got != want {
			t.Fatalf("%s on %q: matcher says %v, strings.Contains %v", m, text, got, want)
		}
	}
}
