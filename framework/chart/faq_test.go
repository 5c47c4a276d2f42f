package chart_test

import (
	"context"
	"os"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/chart"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const faqChart = `
bot: shop
initial: ask
fallback:
  reply: 这个问题我答不上来，回复「转人工」找客服。
states:
  ask:
    on:
      - faq: kb/shop.yaml
  menu:
    reply: 主菜单
  other:
    on:
      - faq: {kb: kb/shop.yaml, min_score: 0.9}
        to: ask
`

func TestFAQPattern(t *testing.T) {
	bot, err := chart.Loader{Files: os.DirFS("testdata")}.Compile("faq.yaml", []byte(faqChart), framework.Options{})
	require.NoError(t, err)

	run := func(state, text string, vars map[string]string) framework.Result {
		return bot.Run(framework.WithTrace(context.Background()), &framework.Event{
			Type: framework.MessageEvent, RoomID: "r", State: state,
			Message: framework.Message{Type: "text", Text: text},
		})
	}
	res := run("ask", "運費怎麼算", nil)
	require.NotNil(t, res.Reply)
	assert.Contains(t, res.Reply.Text, "99")
	assert.Equal(t, "shipping_fee", res.Vars["faq_id"])
	assert.Equal(t, "shipping_fee", res.Trace.Notes["faq_id"])
	assert.NotEmpty(t, res.Trace.Notes["faq_hits"])

	res = run("ask", "今天天气怎么样", nil)
	require.NotNil(t, res.Reply)
	assert.Equal(t, "这个问题我答不上来，回复「转人工」找客服。", res.Reply.Text, "no answer: the fallback")
	assert.Equal(t, "*#fallback", res.Transition)
}

func TestFAQPatternProblems(t *testing.T) {
	for _, tc := range []struct {
		name, pattern, want string
		files               bool
	}{
		{"no files", "faq: kb/shop.yaml", "no data files are configured", false},
		{"missing file", "faq: kb/none.yaml", "faq: kb/none.yaml", true},
		{"bad threshold", "faq: {kb: kb/shop.yaml, min_score: 2}", `min_score: "2" is not a threshold`, true},
		{"unknown key", "faq: {kb: kb/shop.yaml, min_scor: 0.5}", `did you mean min_score?`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "bot: b\ninitial: a\nstates:\n  a:\n    on:\n      - " + tc.pattern + "\n"
			l := chart.Loader{}
			if tc.files {
				l.Files = os.DirFS("testdata")
			}
			_, err := l.Parse("c.yaml", []byte(src))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.Contains(t, err.Error(), "c.yaml:6:")
		})
	}
}
