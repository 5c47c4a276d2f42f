package faq

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shopIndex indexes testdata/shop.yaml, twelve questions of an online shop.
func shopIndex(t testing.TB, opts Options) *Index {
	t.Helper()
	kb, err := Load("testdata/shop.yaml")
	require.NoError(t, err)
	return NewIndex(kb, opts)
}

// TestShopRanking asks the shop's questions the ways customers do.
func TestShopRanking(t *testing.T) {
	ix := shopIndex(t, Options{})
	tests := []struct {
		name, query string
		want        Decision
		id          string // the answer, or the first suggestion
	}{
		// Phrasings and paraphrases.
		{"question itself", "退款多久到账？", Answer, "refund_time"},
		{"phrasing", "我想退货", Answer, "return_policy"},
		{"paraphrase", "退款怎么还没到", Answer, "refund_time"},
		{"paraphrase with particles", "请问一下，运费多少钱呀？", Answer, "shipping_fee"},
		{"short", "怎么开票", Answer, "invoice"},
		{"keyword only", "包邮", Answer, "shipping_fee"},
		{"synonym", "我的包裹到哪里了", Answer, "order_tracking"},
		{"synonym 物流", "查一下物流", Answer, "order_tracking"},
		// Traditional Chinese, full-width, spaces.
		{"traditional", "退貨怎麼申請？", Answer, "return_policy"},
		{"traditional phrase", "收貨地址填錯了", Answer, "change_address"},
		{"traditional 到帳", "我的退款什麼時候到帳", Answer, "refund_time"},
		{"full-width", "ＣＯＵＰＯＮ怎么用？", Answer, "coupons"},
		{"spaces", "取 消 订 单", Answer, "cancel_order"},
		// English and typos.
		{"english keyword", "how do I return this", Answer, "return_policy"},
		{"english synonym", "coupon怎么用", Answer, "coupons"},
		{"typo in a synonym", "refnd怎么还没到", Answer, "refund_time"},
		{"typo in a keyword", "retrun怎么弄", Answer, "return_policy"},
		{"typo, two edits", "alipya能用吗", Answer, "payment_methods"},
		// Vague, but one entry stands out: the margin rule answers
		// (TestDecisions has entries that fit as well: suggestions).
		{"vague", "东西收到是坏的，能退换吗", Answer, "return_policy"},
		{"vague 2", "可以分期付款吗", Answer, "payment_methods"},
		// Outside the shop's business.
		{"weather", "今天天气怎么样", None, ""},
		{"joke", "讲个笑话", None, ""},
		{"who", "你是谁", None, ""},
		{"stocks", "茅台股票今天涨了吗", None, ""},
		{"math", "1+1等于几", None, ""},
		{"politics", "你觉得美国总统怎么样", None, ""},
		{"english", "what is the weather like", None, ""},
		{"empty", "", None, ""},
		{"punctuation", "？？？", None, ""},
		{"emoji", "😂😂😂", None, ""},
		{"greeting", "你好", None, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ix.Search(tt.query)
			assert.Equal(t, tt.want, r.Decision, "%s: %s", tt.query, describeResult(r))
			switch tt.want {
			case Answer:
				if assert.NotNil(t, r.Best) {
					assert.Equal(t, tt.id, r.Best.ID, describeResult(r))
				}
				assert.Nil(t, r.Suggestions())
			case Suggest:
				assert.Nil(t, r.Best)
				s := r.Suggestions()
				if assert.NotEmpty(t, s) {
					assert.Equal(t, tt.id, s[0].ID, describeResult(r))
				}
			case None:
				assert.Nil(t, r.Best)
				assert.Nil(t, r.Suggestions())
			}
		})
	}
}

func describeResult(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %.2f", r.Decision, r.Score)
	for _, h := range r.Hits {
		fmt.Fprintf(&b, " | %s %.2f %q", h.Entry.ID, h.Score, h.Phrasing)
	}
	return b.String()
}

// TestShopEvaluation holds the index to its results on the evaluation
// questions, so that a change that makes them worse is noticed.
func TestShopEvaluation(t *testing.T) {
	ix := shopIndex(t, Options{})
	for _, tt := range []struct {
		file                     string
		precision, recall, rejct float64
		wrong                    float64
	}{
		{"testdata/dev.tsv", 0.88, 0.88, 1, 0},
		{"testdata/test.tsv", 0.94, 0.94, 1, 0.03},
	} {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			require.NoError(t, err)
			qs, err := LoadQueries(tt.file, data)
			require.NoError(t, err)
			r := Evaluate(ix, qs)
			t.Logf("%s\n%s", tt.file, r)
			assert.Empty(t, r.Unknown)
			assert.GreaterOrEqual(t, r.Precision, tt.precision)
			assert.GreaterOrEqual(t, r.Recall, tt.recall)
			assert.GreaterOrEqual(t, r.Rejection, tt.rejct)
			assert.LessOrEqual(t, r.WrongAnswers, tt.wrong)
			assert.Zero(t, r.OutAnswered, "an out-of-scope question was answered")
		})
	}
}

func TestHits(t *testing.T) {
	ix := shopIndex(t, Options{})
	r := ix.Search("退款几天能到")
	require.Equal(t, Answer, r.Decision)
	assert.Equal(t, "refund_time", r.Best.ID)
	assert.Equal(t, "退款几天能到", r.Hits[0].Phrasing)
	assert.Equal(t, r.Score, r.Hits[0].Score)
	assert.InDelta(t, 1.1, r.Score, 0.15, "an exact phrasing scores about 1, plus the keyword bonus")
	assert.LessOrEqual(t, len(r.Hits), maxHits)
	assert.True(t, slices.IsSortedFunc(r.Hits, func(a, b Hit) int { return -cmpFloat(a.Score, b.Score) }))
	seen := map[string]bool{}
	for _, h := range r.Hits {
		assert.False(t, seen[h.Entry.ID], "an entry is listed once")
		seen[h.Entry.ID] = true
	}
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestScoresComparable: a question with a single weak match scores low
// whatever its length, and the same match scores the same in any question.
func TestScoresComparable(t *testing.T) {
	ix := shopIndex(t, Options{})
	for _, q := range []string{"天", "明天会下雨吗", "今天天气怎么样", "我想吃火锅", "推荐一部电影", "帮我写一首诗"} {
		r := ix.Search(q)
		assert.Less(t, r.Score, DefaultOptions.SuggestScore+0.06, "%s: %s", q, describeResult(r))
	}
	a, b := ix.Search("发票"), ix.Search("发票！！！")
	assert.Equal(t, a.Score, b.Score)
}

// kb builds a knowledge base of entries given as id, question, phrasings.
func kb(entries ...[]string) *KnowledgeBase {
	k := &KnowledgeBase{}
	for _, e := range entries {
		k.Entries = append(k.Entries, Entry{ID: e[0], Question: e[1], Phrasings: e[2:], Answer: framework.Say("answer " + e[0])})
	}
	return k
}

func TestDecisions(t *testing.T) {
	base := kb(
		[]string{"a", "退款多久到账"},
		[]string{"b", "退货多久到账"},
		[]string{"c", "发票怎么开"},
		[]string{"d", "积分有什么用"},
	)
	tests := []struct {
		name    string
		opts    Options
		query   string
		want    Decision
		suggest []string
	}{
		{"clear answer", Options{}, "发票怎么开", Answer, nil},
		{"two close entries: suggest both", Options{}, "多久到账", Suggest, []string{"a", "b"}},
		{"nothing", Options{}, "天气", None, nil},
		{"a high MinScore turns an answer into a suggestion", Options{MinScore: 1.5}, "发票怎么开呢", Suggest, []string{"c"}},
		{"a high SuggestScore turns it into none", Options{MinScore: 1.5, SuggestScore: 1.5}, "发票怎么开呢", None, nil},
		{"a text of the entry is the answer, whatever the thresholds", Options{MinScore: 1.5, SuggestScore: 1.5}, "发票怎么开？", Answer, nil},
		{"MinLead 0 answers the closest", Options{MinLead: -1}, "退款多久到账", Answer, nil},
		{"MaxSuggestions", Options{MaxSuggestions: 1}, "多久到账", Suggest, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix := NewIndex(base, tt.opts)
			r := ix.Search(tt.query)
			assert.Equal(t, tt.want, r.Decision, describeResult(r))
			var ids []string
			for _, e := range r.Suggestions() {
				ids = append(ids, e.ID)
			}
			assert.Equal(t, tt.suggest, ids, describeResult(r))
		})
	}
}

// TestExactMatch: a question written as one of an entry's texts gets the
// entry, even when another is close.
func TestExactMatch(t *testing.T) {
	ix := shopIndex(t, Options{})
	for q, id := range map[string]string{
		"退款几天能到":    "refund_time", // delivery_time has 几天能到
		"退款 几天 能到！": "refund_time",
		"几天能到":      "delivery_time",
		"包邮":        "shipping_fee", // a keyword
	} {
		r := ix.Search(q)
		if assert.Equal(t, Answer, r.Decision, q) {
			assert.Equal(t, id, r.Best.ID, q)
			assert.Equal(t, id, r.Hits[0].Entry.ID, q)
		}
	}
}

func TestOptionsDefaults(t *testing.T) {
	assert.Equal(t, DefaultOptions, NewIndex(&KnowledgeBase{}, Options{}).Options())
	o := NewIndex(&KnowledgeBase{}, Options{MinScore: 0.7, KeywordBonus: -1, DocWeight: 3}).Options()
	assert.Equal(t, 0.7, o.MinScore)
	assert.Zero(t, o.KeywordBonus, "negative stands for zero")
	assert.Equal(t, 1.0, o.DocWeight)
	assert.Equal(t, DefaultOptions.SuggestScore, o.SuggestScore)
}

func TestKeywordBonus(t *testing.T) {
	k := kb([]string{"a", "怎么开发票"}, []string{"b", "发票抬头怎么写"})
	k.Entries[1].Keywords = []string{"抬头"}
	with := NewIndex(k, Options{}).Search("抬头")
	without := NewIndex(k, Options{KeywordBonus: -1}).Search("抬头")
	assert.InDelta(t, 0.1, with.Score-without.Score, 1e-6)
	assert.Equal(t, "b", with.Best.ID)
}

func TestDuplicateTextsIndexedOnce(t *testing.T) {
	k := kb([]string{"a", "退款多久到账", "退款多久到账？", "退款 多久 到账"})
	ix := NewIndex(k, Options{})
	assert.Len(t, ix.docEntry, 1)
}

func TestSearchLongAndOddInput(t *testing.T) {
	ix := shopIndex(t, Options{})
	for _, q := range []string{
		strings.Repeat("退款多久到账", 2000),
		strings.Repeat("a", 100000),
		strings.Repeat("refnd ", 1000),
		"\xff\xfe退款\x00",
		string([]rune{0x10FFFF, 0xFFFD, 0x200B}),
	} {
		r := ix.Search(q)
		assert.LessOrEqual(t, len(r.Hits), maxHits)
	}
}

// TestPruningChangesNoDecision compares searches that skip the postings of
// the least telling tokens with searches that read them all.
func TestPruningChangesNoDecision(t *testing.T) {
	n, queries := 3000, 3000
	if testing.Short() {
		n, queries = 500, 500
	}
	s := newSynth(7, 2500, 4000)
	k, topics := s.kb(n)
	pruned, exact := NewIndex(k, Options{}), NewIndex(k, Options{})
	exact.noPrune = true
	cutoff := pruned.cutoff
	qs := s.queries(topics, queries)
	qs = append(qs, "", "？", "refnd", k.Entries[0].Question, k.Entries[1].Phrasings[0])
	for _, q := range qs {
		a, b := pruned.Search(q), exact.Search(q)
		require.Equal(t, b.Decision, a.Decision, "%s\npruned %s\nexact  %s", q, describeResult(a), describeResult(b))
		require.Equal(t, b.Best, a.Best, q)
		require.Equal(t, b.Suggestions(), a.Suggestions(), q)
		// Hits that may decide anything are exact.
		for i, h := range b.Hits {
			if h.Score < cutoff {
				break
			}
			require.Equal(t, h.Entry, a.Hits[i].Entry, q)
			require.InDelta(t, h.Score, a.Hits[i].Score, 1e-5, q)
		}
	}
}

func TestConcurrentSearch(t *testing.T) {
	ix := shopIndex(t, Options{})
	queries := []string{"退款多久到账", "退貨怎麼申請", "refnd", "今天天气怎么样", "运费多少钱", "ＣＯＵＰＯＮ"}
	want := make([]Result, len(queries))
	for i, q := range queries {
		want[i] = ix.Search(q)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				j := (g + i) % len(queries)
				assert.Equal(t, want[j], ix.Search(queries[j]))
			}
		}()
	}
	wg.Wait()
}

func TestSearchAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop what it holds")
	}
	ix := shopIndex(t, Options{})
	for _, q := range []string{"退款多久到账", "请问运费怎么算", "今天天气怎么样"} {
		ix.Search(q)
		// The result's hits are the only allocation.
		assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { ix.Search(q) }), 1.0, q)
	}
	// framework.Normalize allocates the text it changes (？ is full-width).
	assert.LessOrEqual(t, testing.AllocsPerRun(100, func() { ix.Search("请问运费怎么算？") }), 2.0)
}

func TestEmptyKnowledgeBase(t *testing.T) {
	ix := NewIndex(&KnowledgeBase{}, Options{})
	r := ix.Search("退款多久到账")
	assert.Equal(t, None, r.Decision)
	assert.Empty(t, r.Hits)
}
