package framework

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
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
