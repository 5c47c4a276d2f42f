package bottest_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/bottest"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shop is a small bot: a greeting, a refund flow with a regex, a global
// transition to a person, fallbacks.
func shop(t *testing.T) *framework.Bot {
	t.Helper()
	bot, err := framework.New(framework.Chart{
		Name:    "shop",
		Initial: "menu",
		Global: []framework.Transition{
			{Match: framework.Keywords("人工"), To: "human", Pos: framework.Pos{File: "shop.yaml", Line: 3, Col: 5}},
		},
		Fallback: &framework.Transition{Reply: framework.Say("不懂"), Pos: framework.Pos{File: "shop.yaml", Line: 5, Col: 3}},
		States: []framework.State{
			{
				Name:  "menu",
				Reply: framework.Say("菜单"),
				Pos:   framework.Pos{File: "shop.yaml", Line: 10, Col: 3},
				On: []framework.Transition{
					{Event: framework.JoinRoom, Reply: framework.Say("欢迎"), Pos: framework.Pos{File: "shop.yaml", Line: 12, Col: 7}},
					{Match: framework.Exact("1", "退货"), To: "refund", Pos: framework.Pos{File: "shop.yaml", Line: 14, Col: 7}},
				},
			},
			{
				Name:  "refund",
				Reply: framework.Say("请输入订单号"),
				Pos:   framework.Pos{File: "shop.yaml", Line: 20, Col: 3},
				On: []framework.Transition{
					{Match: framework.Regex(`(?P<order>\d{6,})`), To: "menu", Set: []framework.Assign{{Name: "last", Value: "{{.Vars.order}}"}},
						Reply: framework.Say("订单 {{.Vars.order}} 已提交"), Pos: framework.Pos{File: "shop.yaml", Line: 22, Col: 7}},
					{Match: framework.Exact("取消"), To: "menu", Pos: framework.Pos{File: "shop.yaml", Line: 25, Col: 7}},
				},
			},
			{
				Name:     "human",
				Reply:    framework.Say("请稍候"),
				Pos:      framework.Pos{File: "shop.yaml", Line: 30, Col: 3},
				On:       []framework.Transition{{Match: framework.Exact("结束"), To: "menu", Pos: framework.Pos{File: "shop.yaml", Line: 32, Col: 7}}},
				Fallback: &framework.Transition{Pos: framework.Pos{File: "shop.yaml", Line: 34, Col: 5}},
			},
		},
	}, framework.Options{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	return bot
}

func parse(t *testing.T, src string) bottest.Transcript {
	t.Helper()
	trs, err := bottest.Parse("refund.yaml", []byte(src))
	require.NoError(t, err)
	require.Len(t, trs, 1)
	return trs[0]
}

const refund = `name: 退货
steps:
  - event: JOIN_ROOM
    expect: {state: menu, reply: 欢迎}
  - say: 退货
    expect: {state: refund}
  - say: 订单 12345678
    expect: {state: menu, reply_contains: 12345678}
`

func TestInProcessTraces(t *testing.T) {
	results := parse(t, refund).Play(context.Background(), bottest.InProcess(shop(t)))
	require.Len(t, results, 3)
	for _, r := range results {
		assert.Empty(t, r.Failure)
		require.NotNil(t, r.Answer.Trace, "InProcess asks for a trace")
		assert.Equal(t, r.Answer.Transition, r.Answer.Trace.Transition)
	}
	assert.Equal(t, "refund#0", results[2].Answer.Transition)
	assert.Equal(t, "12345678", results[2].Answer.Trace.Vars["order"])
}

func TestHTTPHasNoTrace(t *testing.T) {
	srv := httptest.NewServer(server.New(shop(t), server.Config{Logger: slog.New(slog.DiscardHandler)}))
	defer srv.Close()
	results := parse(t, refund).Play(context.Background(), bottest.HTTP(srv.URL+"/webhook", nil))
	require.Len(t, results, 3)
	for _, r := range results {
		assert.Empty(t, r.Failure)
		assert.Nil(t, r.Answer.Trace)
	}
}

func TestFormatFailure(t *testing.T) {
	tr := parse(t, strings.Replace(refund, "expect: {state: refund}", "expect: {state: menu}", 1))
	results := tr.Play(context.Background(), bottest.InProcess(shop(t)))
	require.Len(t, results, 2, "Play stops at the failing step")
	got := bottest.FormatFailure(tr, results[1])
	want := `refund.yaml:5: say "退货": state "refund", want "menu"
    menu → refund by menu#1: exact: 1 | 退货
    candidates:
      menu#1  fired  exact: 1 | 退货
    reply: 请输入订单号
    time: match `
	assert.True(t, strings.HasPrefix(got, want), "got:\n%s\nwant:\n%s", got, want)
	assert.NotContains(t, got, "\n\n")
	assert.False(t, strings.HasSuffix(got, "\n"))

	// Without a trace (over HTTP), the first line only.
	r := results[1]
	r.Answer.Trace = nil
	assert.Equal(t, `refund.yaml:5: say "退货": state "refund", want "menu"`, bottest.FormatFailure(tr, r))
}

func TestFormatTrace(t *testing.T) {
	bot := shop(t)
	for _, tc := range []struct {
		name  string
		ev    *framework.Event
		lines []string
	}{
		{"fired, with candidates, set and vars", say("refund", "订单 12345678"), []string{
			"refund → menu by refund#0: regex: (?P<order>\\d{6,})",
			"candidates:",
			"  refund#0  fired  regex: (?P<order>\\d{6,})",
			`set: last="12345678"`,
			`vars: last="12345678", order="12345678"`,
			"reply: 订单 12345678 已提交",
			"       菜单",
		}},
		{"missed before the fallback", say("refund", "随便"), []string{
			"refund → refund by *#fallback: any",
			"  refund#0    pattern missed  regex: (?P<order>\\d{6,})",
			"  refund#1    pattern missed  exact: 取消",
			"  *#0         pattern missed  keywords: 人工",
			"  *#fallback  fired           any",
			"reply: 不懂",
		}},
		{"no reply", say("human", "你好"), []string{"human → human by human#fallback: any", "reply: none"}},
		{"skipped", &framework.Event{Type: framework.DeleteMembers, State: "menu"}, []string{"menu → menu: no transition fired (no match)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := bot.Explain(context.Background(), tc.ev)
			got := bottest.FormatTrace(res.Trace)
			for _, l := range tc.lines {
				assert.Contains(t, "\n"+got, "\n"+l+"\n", "got:\n%s", got)
			}
			assert.Regexp(t, `(?m)^time: match \S+, total \S+$`, got)
		})
	}
	assert.Empty(t, bottest.FormatTrace(nil))

	notes := bottest.FormatTrace(&framework.Trace{From: "a", To: "a", Notes: map[string]any{"kb_score": 0.5, "kb_entry": "refund"}})
	assert.Contains(t, notes, "note kb_entry: refund\nnote kb_score: 0.5\n")
}

func say(state, text string) *framework.Event {
	return &framework.Event{Type: framework.MessageEvent, State: state, RoomID: "r", Sender: framework.Client{ID: "u"}, Message: framework.Message{Type: "text", Text: text}}
}

func TestCoverage(t *testing.T) {
	bot := shop(t)
	results := parse(t, refund).Play(context.Background(), bottest.InProcess(bot))
	rep := bottest.Coverage(bot, results)

	var ids []string
	for _, tc := range rep.Transitions {
		ids = append(ids, tc.ID)
	}
	assert.Equal(t, []string{"menu#0", "menu#1", "refund#0", "refund#1", "human#0", "human#fallback", "*#0", "*#fallback"}, ids, "every transition, in chart order")
	assert.Equal(t, 8, rep.Total())
	assert.Equal(t, 3, rep.Covered())
	assert.InDelta(t, 37.5, rep.Percent(), 0.001)
	assert.Equal(t, "coverage: 37.5% of transitions (3/8)", rep.String())

	var missed []string
	for _, m := range rep.Missed() {
		missed = append(missed, m.ID)
	}
	assert.Equal(t, []string{"refund#1", "human#0", "human#fallback", "*#0", "*#fallback"}, missed)

	groups := rep.MissedBySource()
	require.Len(t, groups, 5)
	assert.Equal(t, "shop.yaml:3:5", groups[0].Pos.String(), "in file order")
	assert.Equal(t, "keywords: 人工 → human", bottest.Describe(groups[0].Transition))
	assert.Equal(t, "fallback", bottest.Describe(groups[1].Transition))
	assert.Equal(t, "exact: 取消 → menu", bottest.Describe(groups[2].Transition))

	// Counting: the same transition fired twice.
	twice := append(results, results...)
	for _, tc := range bottest.Coverage(bot, twice).Transitions {
		if tc.ID == "menu#1" {
			assert.Equal(t, 2, tc.Fired)
		}
	}
	// Nothing run: 0%; a bot without transitions would be 100%.
	assert.Equal(t, 0, bottest.Coverage(bot, nil).Covered())
	assert.Equal(t, 100.0, bottest.Report{}.Percent())
}

// A list of transitions shared by several states (on: *common in YAML) has
// one position: MissedBySource groups it.
func TestMissedBySourceGroupsSharedTransitions(t *testing.T) {
	shared := []framework.Transition{{Match: framework.Exact("帮助"), Reply: framework.Say("帮助"), Pos: framework.Pos{File: "c.yaml", Line: 4, Col: 5}}}
	bot, err := framework.New(framework.Chart{
		Name: "c", Initial: "a",
		States: []framework.State{
			{Name: "a", On: append([]framework.Transition{{Match: framework.Exact("b"), To: "b", Pos: framework.Pos{File: "c.yaml", Line: 8, Col: 7}}}, shared...)},
			{Name: "b", On: append([]framework.Transition{{Match: framework.Exact("a"), To: "a", Pos: framework.Pos{File: "c.yaml", Line: 12, Col: 7}}}, shared...)},
		},
	}, framework.Options{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	groups := bottest.Coverage(bot, nil).MissedBySource()
	require.Len(t, groups, 3)
	assert.Equal(t, 4, groups[0].Pos.Line)
	assert.Equal(t, []string{"a#1", "b#1"}, groups[0].Missed)
	assert.Equal(t, 2, groups[0].Total)

	// One of the two fired: the line is covered, the other state is not.
	res := bot.Run(context.Background(), say("a", "帮助"))
	require.Equal(t, "a#1", res.Transition)
	rep := bottest.Coverage(bot, []bottest.StepResult{{Answer: bottest.Answer{Transition: res.Transition}}})
	groups = rep.MissedBySource()
	require.Len(t, groups, 3)
	assert.Equal(t, []string{"b#1"}, groups[0].Missed)
	assert.Equal(t, 1, groups[0].Fired)
	fired, total := rep.Sources()
	assert.Equal(t, 1, fired)
	assert.Equal(t, 3, total)
}

// InProcess runs turns as a served bot does: a room's variables last from
// step to step, each Play has a room of its own, and a message delivered
// again gets its first answer back.
func TestInProcessSessions(t *testing.T) {
	var calls int
	bot, err := framework.New(framework.Chart{
		Name: "名字", Initial: "ask",
		States: []framework.State{
			{Name: "ask", On: []framework.Transition{
				{Match: framework.Regex(`我叫(?P<name>\S+)`), Call: "count", To: "known", Reply: framework.Say("你好 {{.Vars.name}}")},
			}},
			{Name: "known", On: []framework.Transition{
				{Match: framework.Exact("我是谁"), Call: "count", Reply: framework.Say("你是{{.Vars.name}}（第 {{.Vars.n}} 问）")},
			}},
		},
	}, framework.Options{Logger: slog.New(slog.DiscardHandler), Handlers: map[string]framework.Handler{
		"count": func(_ context.Context, turn *framework.Turn) error {
			calls++
			n, _ := strconv.Atoi(turn.Vars["n"])
			turn.Set("n", strconv.Itoa(n+1))
			return nil
		},
	}})
	require.NoError(t, err)
	tr := parse(t, `name: 记住名字
steps:
  - say: 我叫小明
    expect: {state: known, reply: 你好 小明}
  - say: 我是谁
    expect: {reply: 你是小明（第 2 问）}
`)
	target := bottest.InProcess(bot)
	for play := range 2 { // a second play starts afresh, in a room of its own
		for _, r := range tr.Play(context.Background(), target) {
			assert.Empty(t, r.Failure, "play %d", play+1)
			require.NotNil(t, r.Answer.Trace, "traced through Rooms")
		}
	}
	require.Equal(t, 4, calls)

	// A redelivery: the first answer, decoded from its bytes; nothing runs.
	ev := &framework.Event{AppID: "a", RoomID: "r", Type: framework.MessageEvent, State: "ask", Sender: framework.Client{ID: "u"},
		Message: framework.Message{ID: "m1", Type: "text", Text: "我叫小红"}}
	first, err := target.Send(context.Background(), ev)
	require.NoError(t, err)
	again, err := target.Send(context.Background(), ev)
	require.NoError(t, err)
	assert.Equal(t, 5, calls)
	assert.Equal(t, first.State, again.State)
	require.NotNil(t, again.Reply)
	assert.Equal(t, "你好 小红", again.Reply.Text)
}
