package framework

import (
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"only spaces", " \t\n　", ""},
		{"plain ascii is returned as is", "hello world", "hello world"},
		{"ascii digits", "12345", "12345"},

		// Full-width forms, as Chinese input methods type them.
		{"full-width letters digits punctuation", "ＡＢＣ１２３，！", "abc123,!"},
		{"full-width command", "／ｈｅｌｐ", "/help"},
		{"full-width space between CJK", "退货　政策", "退货政策"},
		{"full-width space between latin", "ＶＩＰ　ＣＡＲＤ", "vip card"},
		{"half-width katakana widen", "ｶﾀｶﾅ", "カタカナ"},
		{"circled digit", "①", "1"},

		// Case folding.
		{"upper ascii", "HELLO", "hello"},
		{"mixed case", "Hello World", "hello world"},
		{"latin with accents", "ÀÉÎ", "àéî"},

		// Trimming and whitespace.
		{"trim ascii", "  hello  ", "hello"},
		{"trim CJK", "  你好  ", "你好"},
		{"collapse between latin words", "hello   \t\n world", "hello world"},
		{"tab only between latin", "a\tb", "a b"},
		{"drop between CJK", "退 货  政策", "退货政策"},
		{"drop between CJK and latin", "apply 退款", "apply退款"},
		{"drop between latin and CJK", "退款 apply", "退款apply"},
		{"drop before CJK punctuation", "你好 。", "你好。"},
		{"mixed sentence", "我想 apply 退款 ！", "我想apply退款!"},
		{"mixed with latin phrase", "我的 Order ID 是 ＡＢ１２", "我的order id是ab12"},
		{"japanese", "こんにちは 世界", "こんにちは世界"},

		// Scripts left alone.
		{"traditional untouched", "退貨政策", "退貨政策"},
		{"simplified untouched", "退货政策", "退货政策"},
		{"traditional and simplified differ", "訂單", "訂單"},
		{"ideographic full stop kept", "好的。", "好的。"},

		// Emoji are neither CJK nor spaces.
		{"emoji alone", "👍", "👍"},
		{"emoji between latin keeps spaces", "ok 👍 thanks", "ok 👍 thanks"},
		{"emoji next to CJK drops space", "好的 👍", "好的👍"},
		{"emoji then CJK", "👍 好的", "👍好的"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Normalize(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, got, Normalize(got), "Normalize must be idempotent")
		})
	}
}

// The fast path for ASCII must agree with the general path.
func TestNormalizeASCIIFastPath(t *testing.T) {
	for _, in := range []string{"a", "a b", "a  b", " a", "a ", "A", "a\tb", "a\x7fb", "/order 12345", "1"} {
		t.Run(strings.ReplaceAll(in, " ", "_"), func(t *testing.T) {
			// Prefixing a CJK rune forces the general path; the space after it
			// is dropped, so both paths should agree on the rest.
			general := strings.TrimPrefix(Normalize("好"+in), "好")
			assert.Equal(t, general, Normalize(in))
		})
	}
}

func TestTrimPunct(t *testing.T) {
	tests := []struct{ in, want string }{
		{"退货!", "退货"},
		{"退货！", "退货"},
		{"1。", "1"},
		{"「退货」", "退货"},
		{"...ok...", "ok"},
		{"a.b", "a.b"},
		{"!!!", ""},
		{"$100", "100"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, trimPunct(tt.in), "trimPunct(%q)", tt.in)
	}
}

// normalizeFast must agree with normalizeFull on every rune of the Basic
// Multilingual Plane, alone and among Chinese or Latin words, so that a rune
// wrongly let onto the fast path shows up here rather than in production.
func TestNormalizeFastPathEveryRune(t *testing.T) {
	accepted := 0
	for r := rune(0); r <= 0xffff; r++ {
		c := string(r)
		if _, ok := foldFast(r); ok {
			accepted++
			// A boundary before every fast rune is why NFKC can be applied rune
			// by rune: nothing combines with, or reorders against, the rune
			// before it.
			if !norm.NFKC.PropertiesString(c).BoundaryBefore() {
				t.Errorf("%U %q is on the fast path but is no normalization boundary", r, c)
			}
		}
		for _, in := range []string{c, c + c, " " + c + " ", "你好 " + c + " 世界", "ab " + c + " cd", c + " 。 " + c} {
			checkFastPath(t, in)
		}
	}
	// Guard against a fast path that silently takes nothing.
	if accepted < 0x5200+0x1a00 {
		t.Errorf("only %d runes on the fast path", accepted)
	}
}

// Every pair of fast runes, side by side and around whitespace, exercises how
// the fast path folds whitespace between each kind of rune. Only a few
// ideographs are taken, as they all behave alike.
func TestNormalizeFastPathPairs(t *testing.T) {
	var runes []rune
	for r := rune(0); r <= 0xffff; r++ {
		if _, ok := foldFast(r); ok && !unicode.Is(unicode.Han, r) {
			runes = append(runes, r)
		}
	}
	runes = append(runes, 0x3400, 0x4dbf, 0x4e00, 0x597d, 0x9fff)
	for _, a := range runes {
		for _, b := range runes {
			for _, sep := range []string{"", " ", "\t"} {
				checkFastPath(t, string(a)+sep+string(b))
			}
		}
	}
}

// The fast path must actually take everyday chat, and cost no allocation
// when there is nothing to change.
func TestNormalizeFastPathCovers(t *testing.T) {
	for _, in := range []string{
		"你好，我上周买的鞋子想申请退款，怎么操作？",
		"我想 Apply 退款 ！ 订单号 ＡＢ１２３",
		"“退货”——可以吗？《说明》第3条·附件",
		"ＶＩＰ　ＣＡＲＤ",
		"\t好的。\n",
	} {
		if _, ok := normalizeFast(in); !ok {
			t.Errorf("normalizeFast(%q) took the general path", in)
		}
	}
	for _, in := range []string{"好的。", "我的order id是ab12", "  退货政策  ", "ok 1。", "“退货”"} {
		if n := testing.AllocsPerRun(100, func() { Normalize(in) }); n != 0 {
			t.Errorf("Normalize(%q) allocates %v times", in, n)
		}
	}
}

// checkFastPath checks that normalizeFast, when it takes in, agrees with
// normalizeFull, and that Normalize does whichever path it takes.
func checkFastPath(t *testing.T, in string) {
	t.Helper()
	want := normalizeFull(in)
	if got, ok := normalizeFast(in); ok && got != want {
		t.Fatalf("normalizeFast(%q) = %q, normalizeFull gives %q", in, got, want)
	}
	if got := Normalize(in); got != want {
		t.Fatalf("Normalize(%q) = %q, normalizeFull gives %q", in, got, want)
	}
}

// fuzzRunes are runes on both sides of the fast path's limits. Each byte of
// the fuzzer's input also picks one of them, so that random strings are not
// mostly ASCII and invalid UTF-8.
var fuzzRunes = []rune("aZ0 .\t\n\x00\x7f" +
	"你好丂㐀䶿鿿" + // ideographs
	"　、。〩〪〯〫〰〶〷〸〺〻〿" + // CJK punctuation, around the excluded ones
	"！Ａｚ～｟｡ｶﾞ" + // full-width, and the half-width forms next to them
	"·×“”—…‼\u00a0\u2028\u200b" + // Latin and general punctuation, kept or not
	"é\u0301\u3099\u309aかカ한👍")

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"", "hello world", "ＡＢＣ１２３，！", "退货　政策", "ｶﾀｶﾅ", "①", "ÀÉÎ",
		"  你好  ", "我想 apply 退款 ！", "好的 👍", "\x00 a", "a\u0301", "〪〫",
		"“退货”——可以吗？", "\xff你好", "你好，我上周买的鞋子想申请退款，怎么操作？",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkFastPath(t, s)
		picked := make([]rune, len(s))
		for i := range len(s) {
			picked[i] = fuzzRunes[int(s[i])%len(fuzzRunes)]
		}
		checkFastPath(t, string(picked))
	})
}

// isCJK's shortcut for the common ideographs must not change its answer.
func TestIsCJK(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := r >= 0x2e80 && (unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
			(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef))
		if isCJK(r) != want {
			t.Fatalf("isCJK(%U) = %v", r, !want)
		}
	}
}
