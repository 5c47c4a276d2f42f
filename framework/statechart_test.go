package framework

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shopStatechart is a customer-service chart with nesting, global
// transitions, guards, actions on entry and exit, and a handoff that returns
// where the customer was.
func shopStatechart() Chart {
	mark := func(s string) Action { return Action{Reply: Say(s)} }
	return Chart{
		Name:    "shop",
		Initial: "menu",
		Global: []Transition{
			{Match: Exact("菜单"), To: "menu"},
			{Match: Keywords("转人工"), To: "handoff"},
			{Match: Exact("重新开始"), To: "menu", Set: []Assign{{Name: "restarted", Value: "yes"}}},
		},
		States: []State{
			{Name: "menu", Reply: Say("请选择：退款 / 订单"), On: []Transition{
				{Match: Keywords("退款"), To: "refund"},
				{Match: Keywords("订单"), If: `hour >= 9 && hour < 21`, To: "orders"},
				{Match: Keywords("订单"), Reply: Say("订单查询 9:00–21:00 开放")},
			}},
			{Name: "orders", Reply: Say("请输入订单号"), On: []Transition{
				{Match: Regex(`(?P<order>\d{6,})`), Guard: "known_order", Reply: Say("订单 {{.Vars.order}} 已发货")},
				{Match: AnyMessage(), Reply: Say("查不到这个订单")},
			}},
			{
				Name: "refund", Initial: "ask_reason",
				OnEnter: mark("[enter refund]"), OnExit: mark("[exit refund]"),
				On: []Transition{
					{Match: Exact("取消"), To: "menu", Reply: Say("已取消退款")},
				},
				States: []State{
					// Free text is taken by a fallback, so that the transitions of
					// the parents and the global ones still work here.
					{Name: "ask_reason", Reply: Say("请问退款原因？"), OnExit: mark("[exit ask_reason]"),
						Fallback: &Transition{Set: []Assign{{Name: "reason", Value: "{{.Text}}"}}, To: "ask_order"}},
					{Name: "ask_order", Aliases: []string{"refund_order"}, Reply: Say("原因：{{.Vars.reason}}。请输入订单号"),
						OnExit: mark("[exit ask_order]"), On: []Transition{
							{Match: Exact("取消"), Reply: Say("确定要取消吗？回复「取消退款」")},
							{Match: Exact("取消退款"), To: "menu"},
							{Match: Regex(`^(?P<order>\d{6,})$`), To: "done"},
						}},
					{Name: "done", Reply: Say("退款已提交"), On: []Transition{{Match: AnyMessage(), To: "menu"}}},
				},
			},
			{
				Name: "handoff", History: true, NoGlobals: true, Initial: "waiting",
				OnEnter: mark("[enter handoff]"),
				States: []State{
					{Name: "waiting", Reply: Say("正在转接人工…"), On: []Transition{
						{Match: Exact("结束人工"), To: History, Reply: Say("人工服务结束")},
					}, Fallback: &Transition{}},
				},
			},
		},
	}
}

var nineAM = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

func statechartBot(t testing.TB, now time.Time) *Bot {
	c := shopStatechart()
	c.TimeZone = "UTC"
	return mustNew(t, c, Options{
		Now:    func() time.Time { return now },
		Guards: map[string]Guard{"known_order": func(t *Turn) bool { return t.Vars["order"] != "000000" }},
	})
}

func TestStatechartTurns(t *testing.T) {
	bot := statechartBot(t, nineAM)
	for _, tc := range []struct {
		name, state, text string
		to, reply         string
	}{
		{"entering a compound state enters its initial leaf", "menu", "我要退款", "refund/ask_reason", "[enter refund]\n请问退款原因？"},
		{"a compound botState stands for its initial leaf", "refund", "坏了", "refund/ask_order", "[exit ask_reason]\n原因：坏了。请输入订单号"},
		{"set: before the target's entry reply", "refund/ask_reason", "尺码不合适", "refund/ask_order", "[exit ask_reason]\n原因：尺码不合适。请输入订单号"},
		{"the deepest transition wins", "refund/ask_order", "取消", "refund/ask_order", "确定要取消吗？回复「取消退款」"},
		{"a parent's transition applies in its descendants", "refund/ask_reason", "取消", "menu", "[exit ask_reason]\n[exit refund]\n已取消退款\n请选择：退款 / 订单"},
		{"exit innermost first, then enter outermost first", "refund/ask_order", "转人工", "handoff/waiting<refund/ask_order", "[exit ask_order]\n[exit refund]\n[enter handoff]\n正在转接人工…"},
		{"a global transition applies in nested states", "refund/ask_order", "菜单", "menu", "[exit ask_order]\n[exit refund]\n请选择：退款 / 订单"},
		{"a global transition re-enters the state the room is in", "menu", "菜单", "menu", "请选择：退款 / 订单"},
		{"a state can opt out of global transitions", "handoff/waiting<refund/ask_order", "菜单", "handoff/waiting<refund/ask_order", ""},
		{"history returns where the room was", "handoff/waiting<refund/ask_order", "结束人工", "refund/ask_order", "人工服务结束\n[enter refund]\n原因：。请输入订单号"},
		{"history with nothing remembered goes to the initial state", "handoff/waiting", "结束人工", "menu", "人工服务结束\n请选择：退款 / 订单"},
		{"an alias resolves to the renamed state", "refund_order", "123456", "refund/done", "[exit ask_order]\n退款已提交"},
		{"a target outside the compound state", "refund/done", "好的", "menu", "[exit refund]\n请选择：退款 / 订单"},
		{"a guard that holds", "menu", "查订单", "orders", "请输入订单号"},
		{"a named Go guard that fails passes to the next transition", "orders", "000000", "orders", "查不到这个订单"},
		{"a named Go guard that holds", "orders", "123456", "orders", "订单 123456 已发货"},
		{"an unknown path with history resets", "gone/away<refund/ask_order", "你好", "menu", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := bot.Run(context.Background(), say(tc.state, tc.text))
			require.NoError(t, res.Err)
			assert.Equal(t, tc.to, res.To)
			assert.Equal(t, tc.reply, replyText(res))
		})
	}
}

func TestGuardSeesTheTimeInTheChartsZone(t *testing.T) {
	c := shopStatechart()
	c.TimeZone = "Asia/Shanghai"
	for _, tc := range []struct {
		now time.Time
		to  string
	}{
		{time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC), "orders"}, // 09:00 in Shanghai
		{time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC), "menu"},  // 21:00 in Shanghai: closed
	} {
		bot := mustNew(t, c, Options{Now: func() time.Time { return tc.now }, Guards: map[string]Guard{"known_order": func(*Turn) bool { return true }}})
		assert.Equal(t, tc.to, bot.Run(context.Background(), say("menu", "订单")).To, "at %s", tc.now)
	}
}

func TestGuardEnvironment(t *testing.T) {
	sunday := time.Date(2026, 11, 29, 15, 4, 0, 0, time.UTC)
	for _, tc := range []struct {
		expr string
		want bool
	}{
		{`weekday == 7 && hour == 15 && minute == 4`, true},
		{`clock >= "09:00" && clock < "21:00"`, true},
		{`date == "2026-11-29"`, true},
		{`sender.nickname == "小明" && !sender.is_robot && sender.id == "u1"`, true},
		{`event == "MESSAGE" && state == "s" && room == "room-1"`, true},
		{`text contains "退款"`, true},
		{`vars.n == "42"`, true},
		{`vars.missing == ""`, true},
		{`session.x == ""`, true},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			bot := mustNew(t, Chart{Initial: "s", TimeZone: "UTC", States: []State{{Name: "s", On: []Transition{
				{Match: Regex(`(?P<n>\d+)`), If: tc.expr, Reply: Say("yes")},
				{Match: AnyMessage(), Reply: Say("no")},
			}}}}, Options{Now: func() time.Time { return sunday }})
			want := map[bool]string{true: "yes", false: "no"}[tc.want]
			assert.Equal(t, want, replyText(bot.Run(context.Background(), say("s", "我要退款42"))))
		})
	}
}

func TestStatechartProblems(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chart Chart
		want  string
	}{
		{"a guard that does not compile", Chart{Initial: "a", States: []State{{Name: "a", On: []Transition{{Match: AnyMessage(), If: "hour >"}}}}}, `guard "hour >" does not compile`},
		{"a guard with an unknown name", Chart{Initial: "a", States: []State{{Name: "a", On: []Transition{{Match: AnyMessage(), If: "huor > 9"}}}}}, `unknown name huor`},
		{"a guard that is not boolean", Chart{Initial: "a", States: []State{{Name: "a", On: []Transition{{Match: AnyMessage(), If: "hour"}}}}}, `does not compile`},
		{"an unregistered Go guard", Chart{Initial: "a", States: []State{{Name: "a", On: []Transition{{Match: AnyMessage(), Guard: "vip"}}}}}, `guard "vip" is not registered`},
		{"an initial that is no child", Chart{Initial: "a", States: []State{{Name: "a", Initial: "x", States: []State{{Name: "b"}}}}}, `initial "x" of state "a" is not its child`},
		{"initial on a leaf", Chart{Initial: "a", States: []State{{Name: "a", Initial: "x"}}}, `has initial: but no child states`},
		{"a slash in a name", Chart{Initial: "a/b", States: []State{{Name: "a/b"}}}, `contains "/"`},
		{"a state named history", Chart{Initial: "history", States: []State{{Name: "history"}}}, `"history" is reserved`},
		{"reply twice", Chart{Initial: "a", States: []State{{Name: "a", Reply: Say("x"), OnEnter: Action{Reply: Say("y")}}}}, `both reply: and on_enter: reply:`},
		{"a bad set template", Chart{Initial: "a", States: []State{{Name: "a", OnEnter: Action{Set: []Assign{{Name: "x", Value: "{{.Vars"}}}}}}, `set x: template`},
		{"an unknown time zone", Chart{Initial: "a", TimeZone: "Mars/Olympus", States: []State{{Name: "a"}}}, `unknown time zone "Mars/Olympus"`},
		{"an unknown event", Chart{Initial: "a", States: []State{{Name: "a", On: []Transition{{Event: "ADD_MEMBER"}}}}}, `event "ADD_MEMBER" is not one the chat server sends`},
		{"a target that is not there", Chart{Initial: "a", States: []State{{Name: "a", States: []State{{Name: "b", On: []Transition{{Match: AnyMessage(), To: "c"}}}}}}}, `target "c" is not a state (use one of: a, a/b)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.chart, Options{Logger: quiet})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// Relative targets find a child, then a sibling, then further up.
func TestTargetResolution(t *testing.T) {
	bot := mustNew(t, Chart{Initial: "a", States: []State{
		{Name: "a", States: []State{
			{Name: "x", On: []Transition{{Match: Exact("sibling"), To: "y"}, {Match: Exact("up"), To: "b"}, {Match: Exact("path"), To: "b/x"}}},
			{Name: "y"},
		}, On: []Transition{{Match: Exact("child"), To: "y"}}},
		{Name: "b", States: []State{{Name: "x"}}},
	}})
	for text, want := range map[string]string{"sibling": "a/y", "up": "b/x", "path": "b/x", "child": "a/y"} {
		assert.Equal(t, want, bot.Run(context.Background(), say("a/x", text)).To, text)
	}
}

// The whole chart is one looplab/fsm machine: each transition's sources are
// every leaf it may fire from.
func TestEvents(t *testing.T) {
	bot := statechartBot(t, nineAM)
	events := map[string][]string{}
	for _, e := range bot.Events() {
		events[e.Name] = e.Src
	}
	assert.ElementsMatch(t, []string{"refund/ask_reason", "refund/ask_order", "refund/done"}, events["refund#0"], "a parent's transition fires from every descendant")
	assert.NotContains(t, events["*#0"], "handoff/waiting", "handoff opts out of globals")
	assert.Contains(t, events["*#0"], "refund/done")
	assert.Equal(t, []string{"menu", "orders", "refund/ask_reason", "refund/ask_order", "refund/done", "handoff/waiting"}, bot.States())
}

func TestTraceAndExplain(t *testing.T) {
	calls := 0
	bot := mustNew(t, Chart{Initial: "menu", States: []State{{Name: "menu", On: []Transition{
		{Match: Keywords("发票"), Reply: Say("发票")},
		{Match: Keywords("退款"), If: `hour > 99`, Reply: Say("never")},
		{Match: Regex(`退款(?P<order>\d+)`), Set: []Assign{{Name: "seen", Value: "y"}}, Call: "count", Reply: Say("退款 {{.Vars.order}}")},
	}}}}, Options{Handlers: map[string]Handler{"count": func(context.Context, *Turn) error { calls++; return nil }}})

	res := bot.Explain(context.Background(), say("menu", "退款123"))
	require.NotNil(t, res.Trace)
	tr := res.Trace
	assert.Equal(t, "menu", tr.From)
	assert.Equal(t, "menu", tr.To)
	assert.Equal(t, "menu#2", tr.Transition)
	assert.Equal(t, "regex: 退款(?P<order>\\d+)", tr.Label)
	require.NotNil(t, tr.Reply)
	assert.Equal(t, "退款 123", *tr.Reply)
	assert.Equal(t, []Candidate{
		{ID: "menu#0", Label: "keywords: 发票", Outcome: OutcomePatternMissed},
		{ID: "menu#1", Label: "keywords: 退款 [hour > 99]", Outcome: OutcomeGuardFalse},
		{ID: "menu#2", Label: "regex: 退款(?P<order>\\d+)", Outcome: OutcomeFired},
	}, tr.Candidates)
	assert.Equal(t, []Assign{{Name: "seen", Value: "y"}}, tr.Set)
	assert.Equal(t, []string{"count (not run)"}, tr.Calls)
	assert.Zero(t, calls, "explain has no side effects")

	res = bot.Run(WithTrace(context.Background()), say("menu", "退款123"))
	assert.Equal(t, 1, calls)
	assert.Equal(t, []string{"count"}, res.Trace.Calls)
	assert.Nil(t, bot.Run(context.Background(), say("menu", "退款123")).Trace, "no trace unless asked")
}

func TestGraph(t *testing.T) {
	g := statechartBot(t, nineAM).Graph()
	assert.Equal(t, "menu", g.Initial)
	require.Len(t, g.Global, 3)
	assert.Equal(t, "*#1", g.Global[1].ID)
	assert.Equal(t, "handoff", g.Global[1].To)
	var refund StateInfo
	for _, s := range g.States {
		if s.Name == "refund" {
			refund = s
		}
	}
	assert.Equal(t, "refund/ask_reason", refund.Initial)
	require.Len(t, refund.Children, 3)
	order := refund.Children[1]
	assert.Equal(t, "refund/ask_order", order.Path)
	assert.Equal(t, []string{"reason"}, order.Enter.Reads)
	assert.Equal(t, []string{"order"}, order.On[2].Captures)
	reason := refund.Children[0]
	assert.Equal(t, []string{"reason"}, reason.Fallbacks[0].Action.Sets)
	assert.True(t, slices.ContainsFunc(g.States, func(s StateInfo) bool { return s.History && s.NoGlobals }))
	assert.Equal(t, History, g.States[3].Children[0].On[0].To)
	assert.Equal(t, "keywords: 订单 [hour >= 9 && hour < 21]", g.States[0].On[1].Label())
}

// The state a botState returns to is checked like the state it is in.
func TestHistoryInBotStateIsResolved(t *testing.T) {
	bot := statechartBot(t, nineAM)
	for _, tc := range []struct{ state, to string }{
		{"handoff/waiting<refund_order", "handoff/waiting<refund/ask_order"}, // an alias: its path
		{"handoff/waiting<refund", "handoff/waiting<refund/ask_reason"},      // a compound state: its leaf
		{"handoff/waiting<gone", "handoff/waiting"},                          // unknown: forgotten
		{"handoff<\x8f", "handoff/waiting"},
	} {
		assert.Equal(t, tc.to, bot.Run(context.Background(), say(tc.state, "在吗")).To, tc.state)
	}
}

// Variables a pattern set are dropped when its guard says no.
func TestGuardFailureDropsCaptures(t *testing.T) {
	bot := mustNew(t, Chart{Initial: "s", States: []State{{Name: "s", On: []Transition{
		{Match: Regex(`(?P<order>\d+)`), If: `len(vars.order) == 8`, Reply: Say("订单 {{.Vars.order}}")},
		{Match: AnyMessage(), Reply: Say("order=[{{.Vars.order}}]")},
	}}}})
	assert.Equal(t, "order=[]", replyText(bot.Run(context.Background(), say("s", "123"))))
	assert.Equal(t, "订单 12345678", replyText(bot.Run(context.Background(), say("s", "12345678"))))
}
