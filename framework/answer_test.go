package framework

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lookup is an Answerer over a tiny table, as a knowledge base is.
type lookup struct {
	answers map[string]*ReplyTemplate
}

func (l *lookup) Match(t *Turn) bool {
	for key := range l.answers {
		if strings.Contains(t.Normalized(), key) {
			t.Set("hit", key)
			t.Note("hit_key", key)
			return true
		}
	}
	return false
}

func (l *lookup) Answer(_ context.Context, t *Turn) error {
	return t.Render(l.answers[t.Vars["hit"]])
}

func TestAnswerer(t *testing.T) {
	shipping, err := CompileReply(Say("{{.Sender.Nickname}}，满99元包邮"))
	require.NoError(t, err)
	_, err = CompileReply(nil)
	require.Error(t, err)
	l := &lookup{answers: map[string]*ReplyTemplate{"运费": shipping}}
	bot := mustNew(t, Chart{Initial: "s", States: []State{{Name: "s", On: []Transition{
		{Match: Custom("kb", l), Set: []Assign{{Name: "answered", Value: "yes"}}, Reply: Say("还有什么可以帮您？")},
	}}}})

	res := bot.Run(WithTrace(context.Background()), say("s", "运费怎么算"))
	assert.Equal(t, "小明，满99元包邮\n还有什么可以帮您？", replyText(res), "the answer comes before the transition's reply")
	data, err := json.Marshal(res.Trace)
	require.NoError(t, err)
	var trace map[string]any
	require.NoError(t, json.Unmarshal(data, &trace))
	assert.Equal(t, "运费", trace["hit_key"], "notes are top-level keys of the JSON trace")
	assert.Equal(t, "s", trace["to_state"])
	assert.Nil(t, bot.Run(context.Background(), say("s", "发票")).Reply)
}

// router sends "退款" questions to the refund state, others stay.
type router struct{ lookup }

func (r *router) Route(t *Turn) string {
	if t.Vars["hit"] == "退款" {
		return "refund"
	}
	return ""
}

func (r *router) Targets() []string { return []string{"refund"} }

func TestRouter(t *testing.T) {
	refund, _ := CompileReply(Say("退款说明"))
	shipping, _ := CompileReply(Say("运费说明"))
	r := &router{lookup{answers: map[string]*ReplyTemplate{"退款": refund, "运费": shipping}}}
	c := Chart{Initial: "faq", States: []State{
		{Name: "faq", On: []Transition{{Match: Custom("kb", r)}}},
		{Name: "refund", Reply: Say("要现在申请吗？")},
	}}
	bot := mustNew(t, c)
	res := bot.Run(context.Background(), say("faq", "我要退款"))
	assert.Equal(t, "refund", res.To)
	assert.Equal(t, "退款说明\n要现在申请吗？", replyText(res))
	res = bot.Run(context.Background(), say("faq", "运费多少"))
	assert.Equal(t, "faq", res.To)
	assert.Equal(t, "运费说明", replyText(res))

	c.States = c.States[:1]
	_, err := New(c, Options{Logger: quiet})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `target of kb "refund" is not a state`)
}
