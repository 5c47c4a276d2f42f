package faq

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEvaluate(t *testing.T) {
	ix := NewIndex(kb(
		[]string{"a", "退款多久到账"},
		[]string{"b", "退货多久到账"},
		[]string{"c", "发票怎么开"},
	), Options{})
	qs := []Query{
		{Text: "发票怎么开", Expected: "c", Line: 1},        // answered right
		{Text: "发票怎么开", Expected: "a", Line: 2},        // answered wrong
		{Text: "多久到账", Expected: "a", Line: 3},         // suggested, a among them
		{Text: "天气", Expected: "b", Line: 4},           // unanswered
		{Text: "天气", Expected: OutOfScope, Line: 5},    // rejected
		{Text: "多久到账呢", Expected: OutOfScope, Line: 6}, // suggested: a failure
		{Text: "发票怎么开", Expected: OutOfScope, Line: 7}, // answered: the worst
		{Text: "发票", Expected: "zzz", Line: 8},         // no such entry
	}
	r := Evaluate(ix, qs)
	assert.Equal(t, 4, r.InScope)
	assert.Equal(t, 3, r.OutOfScope)
	assert.Equal(t, 1, r.Correct)
	assert.Equal(t, 1, r.Wrong)
	assert.Equal(t, 1, r.Suggested)
	assert.Equal(t, 1, r.Unanswered)
	assert.Equal(t, 1, r.Rejected)
	assert.Equal(t, 1, r.OutSuggested)
	assert.Equal(t, 1, r.OutAnswered)
	assert.Equal(t, 0.25, r.Precision)
	assert.Equal(t, 0.5, r.Recall)
	assert.InDelta(t, 1.0/3, r.Rejection, 1e-9)
	assert.InDelta(t, 2.0/3, r.WrongAnswers, 1e-9, "two of three answers were wrong")
	assert.Len(t, r.Misses, 5)
	assert.Equal(t, Miss{
		Query:    qs[1],
		Decision: Answer,
		Got:      []string{"c"},
		Score:    r.Misses[0].Score,
		Best:     r.Misses[0].Best,
	}, r.Misses[0])
	assert.Equal(t, []Query{qs[7]}, r.Unknown)

	s := r.String()
	for _, want := range []string{
		"in scope: 4 questions",
		"top-1 precision    25.0%",
		"suggestion recall  50.0%",
		"out of scope: 3 questions",
		"rejection          33.3%  (1 none, 1 suggested, 1 answered)",
		`line 2: "发票怎么开" expected a, got answer c`,
		`line 6: "多久到账呢" expected none, got suggest a, b`,
		`line 8: "发票" expects zzz, which is not an entry`,
	} {
		assert.Contains(t, s, want)
	}
}
