package faq

import (
	"strings"
	"testing"
	"unicode"

	"github.com/longbridgeapp/opencc"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"simplified", "退款多久到账", "退款多久到账"},
		{"punctuation", "退款多久到账？！", "退款多久到账"},
		{"punctuation inside", "你好，我想退货。谢谢！", "你好 我想退货 谢谢"},
		{"full-width letters and digits", "ＶＩＰ１２３会员", "vip123会员"},
		{"full-width punctuation", "退货（７天）", "退货 7天"},
		{"case", "Refund NOW", "refund now"},
		{"spaces next to CJK", "退 货  政策", "退货政策"},
		{"mixed English", "apply 退款 please", "apply退款please"},
		{"traditional", "退貨怎麼申請？", "退货怎么申请"},
		{"traditional phrase", "我的帳號被鎖了", "我的账号被锁了"},
		{"traditional 甚麼", "甚麼時候發貨", "什么时候发货"},
		{"variant 帐", "帐号", "账号"},
		{"traditional and full-width", "訂單號碼：１２３４５", "订单号码 12345"},
		{"emoji", "退款😭😭怎么还没到", "退款 怎么还没到"},
		{"only punctuation", "？？？！！", ""},
		{"empty", "", ""},
		{"accents", "Café crème", "café crème"},
		{"kana", "ありがとう", "ありがとう"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, string(clean(nil, tt.in, 0)))
		})
	}
}

func TestCleanLimit(t *testing.T) {
	long := strings.Repeat("退款", 1000)
	got := clean(nil, long, maxQueryRunes)
	assert.Len(t, got, maxQueryRunes)
	// A cut in the middle of a rune is dropped, not kept as garbage.
	got = clean(nil, strings.Repeat("é", 1000), 10)
	assert.Equal(t, strings.Repeat("é", 10), string(got))
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"退货", []string{"退", "退货", "货"}},
		{"我想退货", []string{"我", "我想", "想", "想退", "退", "退货", "货"}},
		{"退 货", []string{"退", "退货", "货"}},                   // spaces next to CJK go
		{"退货，换货", []string{"退", "退货", "货", "换", "换货", "货"}}, // no bigram across punctuation
		{"iPhone 15 退货", []string{"iphone", "15", "退", "退货", "货"}},
		{"apply退款", []string{"apply", "退", "退款", "款"}},
		{"VIP会员", []string{"vip", "会", "会员", "员"}},
		{"退貨", []string{"退", "退货", "货"}},
		{"？？", nil},
	}
	ix := NewIndex(&KnowledgeBase{}, Options{})
	for _, tt := range tests {
		assert.Equal(t, tt.want, ix.Tokens(tt.in), tt.in)
	}
}

func TestSynonyms(t *testing.T) {
	kb := &KnowledgeBase{Synonyms: [][]string{
		{"退款", "退钱", "退費", "refund"},
		{"运单号", "快递单号", "单号"},
		{"app", "客户端"},
		{"优惠券", "券"},
	}}
	ix := NewIndex(kb, Options{})
	tests := []struct{ in, want string }{
		{"我要退钱", "我要退款"},
		{"我要退費", "我要退款"},               // members are cleaned too: 退費 is 退费
		{"我要退費嗎", "我要退款吗"},             // and so is the text
		{"refund please", "退款 please"}, // a Latin member, replaced by a CJK word
		{"REFUND", "退款"},
		{"refunds", "refunds"}, // whole words only
		{"快递单号在哪", "运单号在哪"},    // the longest member wins
		{"单号在哪", "运单号在哪"},
		{"下载app", "下载app"},
		{"下载客户端", "下载app"},
		{"apple", "apple"},
		{"满减券", "满减优惠券"},
		{"优惠券", "优惠券"}, // the canonical form is not replaced inside itself
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ix.Prepare(tt.in), tt.in)
	}
}

func TestSynonymsFirstGroupWins(t *testing.T) {
	ix := NewIndex(&KnowledgeBase{Synonyms: [][]string{{"快递", "包裹"}, {"邮包", "包裹"}}}, Options{})
	assert.Equal(t, "快递", ix.Prepare("包裹"))
}

func TestStopWords(t *testing.T) {
	tests := []struct {
		tok  token
		word string
		want bool
	}{
		{token{kind: kindUni, r1: '的'}, "", true},
		{token{kind: kindUni, r1: '退'}, "", false},
		{token{kind: kindBi, r1: '怎', r2: '么'}, "", true}, // two stop characters
		{token{kind: kindBi, r1: '如', r2: '何'}, "", true}, // listed
		{token{kind: kindBi, r1: '退', r2: '货'}, "", false},
		{token{kind: kindBi, r1: '货', r2: '吗'}, "", false}, // a seam: weighed as OOV (oovWeight)
		{token{kind: kindWord}, "the", true},
		{token{kind: kindWord}, "12345", true}, // numbers
		{token{kind: kindWord}, "refund", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, isStop(tt.tok, []byte(tt.word)), "%+v %s", tt.tok, tt.word)
	}
}

func TestToSimplifiedFastPath(t *testing.T) {
	// Simplified text is not converted, and costs no allocation.
	for _, s := range []string{"退款多久到账", "请问什么时候发货", "怎么么么", "refund", ""} {
		assert.False(t, hasTrad(s), s)
		assert.Zero(t, testing.AllocsPerRun(100, func() { toSimplified(s) }), s)
	}
	assert.True(t, hasTrad("退貨"))
	assert.Equal(t, "退货", toSimplified("退貨"))
	// Cached: the second conversion allocates nothing.
	toSimplified("請問甚麼時候發貨")
	assert.Zero(t, testing.AllocsPerRun(100, func() { toSimplified("請問甚麼時候發貨") }))
}

// TestTradTable checks the generated table against OpenCC: every character
// that t2s changes is in it, so that skipping the conversion of text
// without one changes nothing.
func TestTradTable(t *testing.T) {
	if testing.Short() {
		t.Skip("converts every CJK character")
	}
	cc, err := opencc.New("t2s")
	require.NoError(t, err)
	var missing []string
	for r := rune(0x3400); r < 0x30000; r++ {
		if !unicode.Is(unicode.Han, r) || isTrad(r) {
			continue
		}
		if out, _ := cc.Convert(string(r)); out != string(r) {
			missing = append(missing, string(r))
		}
	}
	assert.Empty(t, missing, "run go generate: t2s changes characters the table lacks")
	// Phrases whose characters are not listed alone: 瞭 in 明瞭.
	for _, s := range []string{"明瞭", "回覆", "一目瞭然"} {
		assert.True(t, hasTrad(s), s)
		out, _ := cc.Convert(s)
		assert.NotEqual(t, s, out)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"refund", "refund", 0},
		{"refnd", "refund", 1},   // deletion
		{"reefund", "refund", 1}, // insertion
		{"refind", "refund", 1},  // substitution
		{"refudn", "refund", 1},  // transposition
		{"rfeund", "refund", 1},
		{"rfnd", "refund", 2},
		{"abc", "xyz", 3},
		{"", "abc", 3},
	}
	for _, tt := range tests {
		assert.Equal(t, min(tt.want, 3), editDistance([]byte(tt.a), tt.b, 2), "%s %s", tt.a, tt.b)
	}
}

func TestTypos(t *testing.T) {
	words := []string{"refund", "return", "invoice", "tracking", "cancel", "app", "shipping", "delivery"}
	var targets []typoTarget
	for i, w := range words {
		targets = append(targets, typoTarget{word: w, ids: []int32{int32(i)}, df: 1})
	}
	ty := newTypos(targets)
	var buf [2 * maxWordLen]byte
	tests := []struct {
		in   string
		want string // "" for no correction
		dist int
	}{
		{"refnd", "refund", 1},
		{"refudn", "refund", 1},
		{"retrun", "return", 1},
		{"invoce", "invoice", 1},
		{"tracknig", "tracking", 1},
		{"trakcnig", "tracking", 2}, // 8 letters: two edits
		{"shiping", "shipping", 1},
		{"delivry", "delivery", 1},
		{"cancle", "cancel", 1},
		{"refunds", "refund", 1},
		{"rfnd", "", 0},    // 4 letters: one edit only
		{"ap", "", 0},      // too short
		{"apps", "app", 1}, // a short vocabulary word is a correction all the same
		{"xyzzy", "", 0},
		{"refund", "", 0}, // already right
		{"refund2", "", 0},
	}
	for _, tt := range tests {
		got, dist := ty.correct([]byte(tt.in), buf[:])
		if tt.want == "" {
			assert.Nil(t, got, tt.in)
			continue
		}
		if assert.NotNil(t, got, tt.in) {
			assert.Equal(t, tt.want, got.word, tt.in)
			assert.Equal(t, tt.dist, dist, tt.in)
		}
	}
}
