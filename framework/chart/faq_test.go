package chart_test

import (
	"context"
	"os"
	"testing"
	"testing/fstest"

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

// A knowledge base whose entries are in a spreadsheet keeps its synonyms in
// YAML, which a chart names as any other.
func TestFAQPatternCSVEntries(t *testing.T) {
	files := fstest.MapFS{
		"kb/faq.yaml": {Data: []byte("synonyms:\n  - [退款, 退钱, 退费]\nentries_csv: faq.csv\n")},
		"kb/faq.csv": {Data: []byte("id,question,phrasings,answer\n" +
			"refund_time,退款多久到账？,退款几天能到,退款按原支付方式退回，一般24小时内到账。\n" +
			"shipping_fee,运费怎么算？,包邮吗,满99元包邮。\n")},
	}
	src := "bot: b\ninitial: a\nstates:\n  a:\n    on:\n      - faq: kb/faq.yaml\n"
	bot, err := chart.Loader{Files: files}.Compile("c.yaml", []byte(src), framework.Options{})
	require.NoError(t, err)
	res := bot.Run(context.Background(), &framework.Event{
		Type: framework.MessageEvent, RoomID: "r", State: "a",
		Message: framework.Message{Type: "text", Text: "退钱几天能到"},
	})
	require.NotNil(t, res.Reply)
	assert.Equal(t, "refund_time", res.Vars["faq_id"])
	assert.Contains(t, res.Reply.Text, "24小时")

	files["kb/faq.csv"] = &fstest.MapFile{Data: []byte("id,question,answer\nrefund_time,,回答\n")}
	_, err = chart.Loader{Files: files}.Parse("c.yaml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "c.yaml:6:")
	assert.Contains(t, err.Error(), "kb/faq.csv:2:13: the question is blank")
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
