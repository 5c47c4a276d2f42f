package chart

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/memory"
)

const statechartFile = "testdata/statechart.yaml"

func sc(line, col int) framework.Pos {
	return framework.Pos{File: statechartFile, Line: line, Col: col}
}

// statechart is testdata/statechart.yaml written in Go: what Parse must
// return.
func statechart() framework.Chart {
	cancel := framework.Transition{Match: framework.Exact("取消"), Reply: framework.Say("已取消退款"), To: "menu", Pos: sc(17, 5)}
	return framework.Chart{
		Name:       "shop",
		File:       statechartFile,
		RobotID:    "robot001",
		Initial:    "menu",
		TimeZone:   "Asia/Shanghai",
		ErrorReply: framework.Say("抱歉，系统开小差了。"),
		Global: []framework.Transition{
			{Match: framework.Keywords("转人工", "人工客服"), To: "handoff", Pos: sc(9, 5)},
			{Match: framework.Exact("菜单", "主菜单"), Set: []framework.Assign{{Name: "restarted", Value: "yes"}, {Name: "times", Value: "2"}}, To: "menu", Pos: sc(11, 5)},
		},
		Fallback: &framework.Transition{Reply: framework.Say("没听懂，回复「菜单」看看我能做什么"), Pos: sc(15, 3)},
		Pos:      sc(3, 1),
		KeyPos: map[string]framework.Pos{
			"bot": sc(3, 6), "robot_id": sc(4, 11), "initial": sc(5, 10), "time_zone": sc(6, 12), "error_reply": sc(7, 14),
			"global": sc(9, 3), "fallback": sc(15, 3), "states": sc(21, 3),
		},
		States: []framework.State{
			{
				Name:  "menu",
				Reply: framework.Say("请选择：1 退款 2 营业时间"),
				Pos:   sc(21, 3),
				On: []framework.Transition{
					{Match: framework.Exact("1"), To: "refund", Pos: sc(24, 9)},
					{Match: framework.Exact("2"), If: "hour >= 9 && hour < 21", Reply: framework.Say("我们正在营业。"), Pos: sc(26, 10)},
					{Match: framework.Exact("2"), Reply: framework.Say("现在不营业，营业时间 9:00–21:00。"), Pos: sc(27, 9)},
				},
			},
			{
				Name:    "refund",
				Initial: "ask_reason",
				History: true,
				OnEnter: framework.Action{
					Set: []framework.Assign{
						{Name: "step", Value: "1"}, {Name: "who", Value: "{{.Sender.Nickname}}"},
						{Name: "count", Value: "3"}, {Name: "vip", Value: "true"},
					},
					Call:  "log_entry",
					Reply: framework.Say("[进入退款]"),
				},
				OnExit: framework.Action{Set: []framework.Assign{{Name: "step", Value: "done"}}, Call: "log_exit", Reply: framework.Say("[离开退款]")},
				On:     []framework.Transition{cancel},
				Pos:    sc(29, 3),
				States: []framework.State{
					{
						Name:     "ask_reason",
						Reply:    framework.Say("请问退款原因是？"),
						Fallback: &framework.Transition{Set: []framework.Assign{{Name: "reason", Value: "{{.Text}}"}}, To: "ask_order", Pos: sc(43, 11)},
						Pos:      sc(40, 7),
					},
					{
						Name:    "ask_order",
						Aliases: []string{"refund_order"},
						Reply:   framework.Say("原因：{{.Vars.reason}}。请输入订单号"),
						OnExit:  framework.Action{Reply: framework.Say("[离开订单号]")},
						On: []framework.Transition{
							{Match: framework.Regex(`^(?P<order>\d{6,})$`), Guard: "is_vip", Call: "lookup", Reply: framework.Say("VIP 优先处理 {{.Vars.status}}"), To: "refund/done", Pos: sc(51, 13)},
							{Match: framework.Regex(`^(?P<order>\d{6,})$`), To: "done", Pos: sc(56, 13)},
						},
						Fallback: &framework.Transition{If: "text matches '^[0-9]+$'", Reply: framework.Say("订单号至少 6 位数字"), Pos: sc(59, 11)},
						Pos:      sc(45, 7),
					},
					{
						Name:  "done",
						Reply: framework.Say("退款已提交：{{.Vars.order}}"),
						On:    []framework.Transition{{Match: framework.AnyMessage(), To: "menu", Pos: sc(64, 13)}},
						Pos:   sc(61, 7),
					},
				},
			},
			{
				Name:      "handoff",
				History:   true,
				NoGlobals: true,
				OnEnter:   framework.Action{Reply: framework.Say("[进入人工]")},
				Pos:       sc(66, 3),
				States: []framework.State{
					{
						Name:  "waiting",
						Reply: framework.Say("正在转接人工…"),
						On: []framework.Transition{
							{Match: framework.Exact("结束人工"), Reply: framework.Say("人工服务结束"), To: framework.History, Pos: sc(75, 13)},
						},
						Fallback: &framework.Transition{Pos: sc(78, 19)},
						Pos:      sc(72, 7),
					},
				},
			},
		},
	}
}

func TestParseStatechart(t *testing.T) {
	c, err := Load(statechartFile)
	require.NoError(t, err)
	require.Equal(t, statechart(), c)
}

// shanghai returns a clock stopped at hour:minute in Asia/Shanghai, the
// charts' time zone, so that guards see that hour whatever the machine's
// zone.
func shanghai(hour, minute int) func() time.Time {
	at := time.Date(2026, 11, 27, hour, minute, 0, 0, time.FixedZone("CST", 8*3600)).UTC()
	return func() time.Time { return at }
}

// logging handlers record the order things happen in, in the variable log.
var logging = map[string]framework.Handler{
	"log_entry": func(ctx context.Context, t *framework.Turn) error {
		t.Set("log", t.Vars["log"]+"entry(step="+t.Vars["step"]+");")
		return nil
	},
	"log_exit": func(ctx context.Context, t *framework.Turn) error {
		t.Set("log", t.Vars["log"]+"exit(step="+t.Vars["step"]+");")
		return nil
	},
	"lookup": func(ctx context.Context, t *framework.Turn) error {
		t.Set("status", "已加急")
		return nil
	},
}

var vipGuard = map[string]framework.Guard{
	"is_vip": func(t *framework.Turn) bool { return t.Sender.Nickname == "VIP" },
}

type turn struct {
	name   string
	state  string // the botState the chat server sends
	text   string
	sender string // the sender's nickname; 小明 by default
	clock  func() time.Time
	to     string // the botState the bot answers with
	reply  string // "" for no reply
	vars   map[string]string
}

func (tt turn) run(t *testing.T, bot *framework.Bot) {
	t.Helper()
	sender := cmpOr(tt.sender, "小明")
	res := bot.Run(context.Background(), &framework.Event{
		Type: framework.MessageEvent, RoomID: "r1", State: tt.state,
		Sender: framework.Client{ID: "u1", Nickname: sender}, Message: framework.Message{Type: "text", Text: tt.text},
	})
	require.NoError(t, res.Err)
	assert.Equal(t, tt.to, res.To, "to")
	got := ""
	if res.Reply != nil {
		got = res.Reply.Text
	}
	assert.Equal(t, tt.reply, got, "reply")
	for k, v := range tt.vars {
		assert.Equal(t, v, res.Vars[k], "vars.%s", k)
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// compileAt compiles a chart file with a clock that each turn sets.
func compileAt(t *testing.T, l Loader, file string) (*framework.Bot, *func() time.Time) {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	clock := shanghai(10, 0)
	bot, err := l.Compile(file, data, framework.Options{
		Handlers: logging,
		Guards:   vipGuard,
		Now:      func() time.Time { return clock() },
	})
	require.NoError(t, err)
	return bot, &clock
}

// TestStatechartRun runs testdata/statechart.yaml turn by turn: nesting,
// global transitions, guards, the order of set, call and reply on exit, on
// the transition and on entry, and history.
func TestStatechartRun(t *testing.T) {
	bot, clock := compileAt(t, Loader{}, statechartFile)
	assert.Empty(t, bot.Warnings())
	assert.Equal(t, []string{"menu", "refund/ask_reason", "refund/ask_order", "refund/done", "handoff/waiting"}, bot.States())

	const menu = "请选择：1 退款 2 营业时间"
	tests := []turn{
		{name: "a new room starts in the initial state; a guard on the hour holds at 10:00 in Shanghai",
			text: "2", clock: shanghai(10, 0), to: "menu", reply: "我们正在营业。"},
		{name: "the guard fails at 21:00, the next transition answers",
			state: "menu", text: "2", clock: shanghai(21, 0), to: "menu", reply: "现在不营业，营业时间 9:00–21:00。"},
		{name: "entering a compound state enters its initial child after its own on_enter: set, call, reply; history: true remembers where the room came from",
			state: "menu", text: "1", to: "refund/ask_reason<menu", reply: "[进入退款]\n请问退款原因是？",
			vars: map[string]string{"step": "1", "who": "小明", "count": "3", "vip": "true", "log": "entry(step=1);"}},
		{name: "a fallback with set: and to: between siblings: the parent is not exited, and still remembers",
			state: "refund/ask_reason<menu", text: "坏了", to: "refund/ask_order<menu", reply: "原因：坏了。请输入订单号",
			vars: map[string]string{"reason": "坏了", "log": ""}},
		{name: "an alias of a nested state",
			state: "refund_order", text: "123456", to: "refund/done", reply: "[离开订单号]\n退款已提交：123456"},
		{name: "a Go guard and a handler: exit reply, then the transition's reply after its call, then the entry reply",
			state: "refund/ask_order", text: "654321", sender: "VIP", to: "refund/done", reply: "[离开订单号]\nVIP 优先处理 已加急\n退款已提交：654321"},
		{name: "a guarded fallback",
			state: "refund/ask_order", text: "12", to: "refund/ask_order", reply: "订单号至少 6 位数字"},
		{name: "a guarded fallback that does not hold falls through to the chart's fallback",
			state: "refund/ask_order", text: "你好", to: "refund/ask_order", reply: "没听懂，回复「菜单」看看我能做什么"},
		{name: "leaving the compound state runs its on_exit: set before call",
			state: "refund/done<menu", text: "好的", to: "menu", reply: "[离开退款]\n" + menu,
			vars: map[string]string{"step": "done", "log": "exit(step=done);"}},
		{name: "a parent's transitions apply in its children (an anchor reused)",
			state: "refund/ask_reason", text: "取消", to: "menu", reply: "[离开退款]\n已取消退款\n" + menu},
		{name: "a global transition from deep inside, with set:",
			state: "refund/ask_reason", text: "主菜单", to: "menu", reply: "[离开退款]\n" + menu,
			vars: map[string]string{"restarted": "yes", "times": "2"}},
		{name: "a global transition into a history state remembers where the room was",
			state: "refund/ask_order", text: "转人工", to: "handoff/waiting<refund/ask_order",
			reply: "[离开订单号]\n[离开退款]\n[进入人工]\n正在转接人工…"},
		{name: "globals: false keeps the global transitions out; the empty fallback swallows the message",
			state: "handoff/waiting<refund/ask_order", text: "菜单", to: "handoff/waiting<refund/ask_order", reply: ""},
		{name: "to: history returns where the room was, entering the states on the way",
			state: "handoff/waiting<refund/ask_order", text: "结束人工", to: "refund/ask_order",
			reply: "人工服务结束\n[进入退款]\n原因：。请输入订单号", vars: map[string]string{"log": "entry(step=1);"}},
		{name: "to: history without a remembered state goes to the initial state",
			state: "handoff/waiting", text: "结束人工", to: "menu", reply: "人工服务结束\n" + menu},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			*clock = shanghai(10, 0)
			if tt.clock != nil {
				*clock = tt.clock
			}
			tt.run(t, bot)
		})
	}
}

func TestFlowsParse(t *testing.T) {
	l := Loader{Flows: os.DirFS("testdata/flows")}
	c, err := l.Load("testdata/support.yaml")
	require.NoError(t, err)
	require.Len(t, c.States, 5)

	handoff, sales := c.States[3], c.States[4]
	// The state that says use: keeps its own keys and position, in the chart.
	assert.Equal(t, "handoff", handoff.Name)
	assert.True(t, handoff.History)
	assert.True(t, handoff.NoGlobals)
	assert.Equal(t, framework.Pos{File: "testdata/support.yaml", Line: 23, Col: 3}, handoff.Pos)
	assert.Equal(t, "waiting", handoff.Initial, "the flow's initial:")

	// Its children are the flow's states, positioned in the flow's file.
	names := func(ss []framework.State) []string {
		var out []string
		for _, s := range ss {
			out = append(out, s.Name)
		}
		return out
	}
	assert.Equal(t, []string{"waiting", "message", "rate"}, names(handoff.States))
	assert.Equal(t, []string{"waiting", "message", "rate"}, names(sales.States))
	waiting := handoff.States[0]
	assert.Equal(t, framework.Pos{File: "handoff.yaml", Line: 12, Col: 3}, waiting.Pos)
	assert.Equal(t, framework.Pos{File: "handoff.yaml", Line: 15, Col: 9}, waiting.On[0].Pos)

	// ${…} are replaced by the defaults, or by with:.
	assert.Equal(t, framework.Say("正在为您转接人工客服（9:00–21:00）…"), waiting.Reply)
	assert.Equal(t, "hour < 9 || hour >= 21", waiting.On[1].If)
	assert.Equal(t, framework.Say("正在为您转接销售顾问（10:00–21:00）…"), sales.States[0].Reply)
	assert.Equal(t, "hour < 10 || hour >= 21", sales.States[0].On[1].If)
	assert.Equal(t, framework.History, handoff.States[1].On[0].To)
	assert.Equal(t, "menu", sales.States[1].On[0].To)
	assert.Equal(t, []framework.Assign{{Name: "note", Value: "{{.Text}}"}, {Name: "team", Value: "销售顾问"}}, sales.States[1].On[0].Set)

	// A flow that uses a flow: rating's states under rate, its parameter
	// from handoff's.
	rate := sales.States[2]
	assert.Equal(t, []string{"ask"}, names(rate.States))
	assert.Equal(t, framework.Pos{File: "rating.yaml", Line: 7, Col: 3}, rate.States[0].Pos)
	assert.Equal(t, framework.Say("请为本次服务打分（1–5）"), rate.States[0].Reply)
	assert.Equal(t, "menu", rate.States[0].On[0].To)
	assert.Equal(t, framework.History, handoff.States[2].States[0].On[0].To)
}

// TestFlowsRun runs testdata/support.yaml, which uses the flow handoff
// twice, with different parameters.
func TestFlowsRun(t *testing.T) {
	bot, clock := compileAt(t, Loader{Flows: os.DirFS("testdata/flows")}, "testdata/support.yaml")
	assert.Equal(t, []string{
		"menu", "presales", "aftersales",
		"handoff/waiting", "handoff/message", "handoff/rate/ask",
		"sales/waiting", "sales/message", "sales/rate/ask",
	}, bot.States())

	tests := []turn{
		{name: "a global transition into the flow, which remembers where the room was",
			state: "presales", text: "转人工", to: "handoff/waiting<presales", reply: "正在为您转接人工客服（9:00–21:00）…"},
		{name: "within opening hours the guard fails and the empty fallback waits",
			state: "handoff/waiting<presales", text: "在吗", to: "handoff/waiting<presales", reply: ""},
		{name: "after hours the flow takes a message",
			state: "handoff/waiting<presales", text: "在吗", clock: shanghai(22, 0), to: "handoff/message<presales",
			reply: "现在是非工作时间。\n请留下您的问题，我们上班后联系您。"},
		{name: "done: history returns where the room was",
			state: "handoff/message<presales", text: "快递丢了", to: "presales", reply: "已记录：快递丢了\n您想了解哪款商品？",
			vars: map[string]string{"note": "快递丢了", "team": "人工客服"}},
		{name: "into the nested flow",
			state: "handoff/waiting<presales", text: "结束人工", to: "handoff/rate/ask<presales", reply: "人工客服服务结束\n请为本次服务打分（1–5）"},
		{name: "the nested flow's fallback",
			state: "handoff/rate/ask<presales", text: "很好", to: "handoff/rate/ask<presales", reply: "请回复 1 到 5 的数字"},
		{name: "out of the nested flow, through history",
			state: "handoff/rate/ask<presales", text: "5", to: "presales", reply: "谢谢您的 5 分！\n您想了解哪款商品？"},
		{name: "the second use, with its own parameters",
			state: "presales", text: "找销售顾问", to: "sales/waiting", reply: "正在为您转接销售顾问（10:00–21:00）…"},
		{name: "its own opening hour",
			state: "sales/waiting", text: "在吗", clock: shanghai(9, 30), to: "sales/message", reply: "现在是非工作时间。\n请留下您的问题，我们上班后联系您。"},
		{name: "its own done:",
			state: "sales/message", text: "想买手机", to: "menu", reply: "已记录：想买手机\n请选择：1 售前 2 售后",
			vars: map[string]string{"team": "销售顾问"}},
		{name: "the using state's own transitions apply in the flow's states",
			state: "sales/rate/ask", text: "算了", to: "menu", reply: "请选择：1 售前 2 售后"},
		{name: "the nested flow's next: from with:",
			state: "sales/rate/ask", text: "4", to: "menu", reply: "谢谢您的 4 分！\n请选择：1 售前 2 售后"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			*clock = shanghai(10, 0)
			if tt.clock != nil {
				*clock = tt.clock
			}
			tt.run(t, bot)
		})
	}
}

// TestFlowParameters checks how ${…} is replaced.
func TestFlowParameters(t *testing.T) {
	const chartHead = "bot: c\ninitial: s\nstates:\n  s:\n    use: f\n"
	tests := []struct {
		name  string
		with  string // the with: block, indented by 4
		flow  string
		check func(t *testing.T, s framework.State)
	}{
		{name: "a plain scalar becomes the value's kind: a boolean", with: "    with: {remember: true}\n",
			flow:  "flow: f\nparams: {remember: false}\nstates:\n  a:\n    history: ${remember}\n    reply: hi\n",
			check: func(t *testing.T, s framework.State) { assert.True(t, s.States[0].History) }},
		{name: "the default", flow: "flow: f\nparams: {remember: true}\nstates:\n  a:\n    history: ${remember}\n    reply: hi\n",
			check: func(t *testing.T, s framework.State) { assert.True(t, s.States[0].History) }},
		{name: "inside text, several times, in keys too", with: "    with: {name: ask, n: 3}\n",
			flow: "flow: f\nparams: {name: x, n: 1}\nstates:\n  ${name}_${n}:\n    reply: '${n}+${n}=6 ${name}'\n",
			check: func(t *testing.T, s framework.State) {
				assert.Equal(t, "ask_3", s.States[0].Name)
				assert.Equal(t, framework.Say("3+3=6 ask"), s.States[0].Reply)
			}},
		{name: "$${ is a literal ${, a lone $ is a $", flow: "flow: f\nstates:\n  a:\n    reply: $${price} costs $5 $\n",
			check: func(t *testing.T, s framework.State) {
				assert.Equal(t, framework.Say("${price} costs $5 $"), s.States[0].Reply)
			}},
		{name: "params: is left as written", flow: "flow: f\nparams: {a: '${b}', b: x}\nstates:\n  s:\n    reply: ${a}\n",
			check: func(t *testing.T, s framework.State) { assert.Equal(t, framework.Say("${b}"), s.States[0].Reply) }},
		{name: "a value is text, not YAML", with: "    with: {v: '[a, b]: c'}\n", flow: "flow: f\nparams: {v: x}\nstates:\n  a:\n    reply: ${v}\n",
			check: func(t *testing.T, s framework.State) { assert.Equal(t, framework.Say("[a, b]: c"), s.States[0].Reply) }},
		{name: "a block scalar", with: "    with: {v: 2}\n", flow: "flow: f\nparams: {v: 1}\nstates:\n  a:\n    reply: |\n      line ${v}\n      and ${v}\n",
			check: func(t *testing.T, s framework.State) {
				assert.Equal(t, framework.Say("line 2\nand 2"), s.States[0].Reply)
			}},
		{name: "an alias reuses the replaced value", with: "    with: {v: 2}\n",
			flow: "flow: f\nparams: {v: 1}\nx-r: &r 'v=${v}'\nstates:\n  a:\n    reply: *r\n  b:\n    reply: *r\n",
			check: func(t *testing.T, s framework.State) {
				assert.Equal(t, framework.Say("v=2"), s.States[0].Reply)
				assert.Equal(t, framework.Say("v=2"), s.States[1].Reply)
			}},
		{name: "no initial: means none, so that the first state is entered", flow: "flow: f\nstates:\n  a:\n    reply: hi\n  b:\n    reply: there\n",
			check: func(t *testing.T, s framework.State) { assert.Empty(t, s.Initial) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := Loader{Flows: mapFS{"f.yaml": tt.flow}.fs()}
			c, err := l.Parse("c.yaml", []byte(chartHead+tt.with))
			require.NoError(t, err)
			tt.check(t, c.States[0])
		})
	}
}

// TestFlowProblemsSayWhereTheFlowIsUsed checks that problems framework.New
// finds in a flow point into the flow's file, and say which line of the
// chart used it; all of them when the flow is used more than once.
func TestFlowProblemsSayWhereTheFlowIsUsed(t *testing.T) {
	flows := mapFS{
		"outer.yaml": "flow: outer\nstates:\n  a:\n    use: inner\n",
		"inner.yaml": "flow: inner\nstates:\n  b:\n    on:\n      - any: true\n        to: nowhere\n",
		"param.yaml": "flow: param\nparams: {to: nowhere}\nstates:\n  b:\n    on:\n      - any: true\n        to: ${to}\n",
	}.fs()
	tests := []struct{ name, chart, want string }{
		{"once", "bot: c\ninitial: s\nstates:\n  s:\n    use: inner\n",
			`inner.yaml:5:9: in flow inner used at c.yaml:5:10: target "nowhere" is not a state (use one of: s, s/b)`},
		{"twice", "bot: c\ninitial: s\nstates:\n  s:\n    use: inner\n  t:\n    use: inner\n",
			`inner.yaml:5:9: in flow inner used at c.yaml:5:10 and c.yaml:7:10: target "nowhere" is not a state (use one of: s, s/b, t, t/b)`},
		{"twice, once with a good parameter", "bot: c\ninitial: s\nstates:\n  s:\n    use: param\n  t:\n    use: param\n    with: {to: s}\n  u:\n    use: param\n",
			`param.yaml:6:9: in flow param used at c.yaml:5:10 and c.yaml:10:10: target "nowhere" is not a state (use one of: s, s/b, t, t/b, u, u/b)`},
		{"through another flow", "bot: c\ninitial: s\nstates:\n  s:\n    use: outer\n",
			`inner.yaml:5:9: in flow inner used at outer.yaml:4:10 via c.yaml:5:10: target "nowhere" is not a state (use one of: s, s/a, s/a/b)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Loader{Flows: flows}.Compile("c.yaml", []byte(tt.chart), framework.Options{})
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

// TestFlowsThatExplode checks that flows that use flows twice, twenty deep,
// and big flows used many times, are stopped before they take the machine's
// memory, and quickly.
func TestFlowsThatExplode(t *testing.T) {
	deep := mapFS{}
	for i := range 20 {
		deep[flowName(i)+".yaml"] = "flow: " + flowName(i) + "\nstates:\n  a:\n    use: " + flowName(i+1) + "\n  b:\n    use: " + flowName(i+1) + "\n"
	}
	deep[flowName(20)+".yaml"] = "flow: " + flowName(20) + "\nstates:\n  a:\n    reply: hi\n"
	big := mapFS{"big.yaml": "flow: big\nx-big: [" + strings.Repeat("x, ", 100_000) + "x]\nstates:\n  a:\n    reply: hi\n"}
	bigWithParams := mapFS{"big.yaml": "flow: big\nparams: {v: 1}\nx-big: [" + strings.Repeat("'${v}', ", 100_000) + "x]\nstates:\n  a:\n    reply: hi\n"}
	var many strings.Builder
	many.WriteString("bot: c\ninitial: s0\nstates:\n")
	for i := range 20 {
		fmt.Fprintf(&many, "  s%d:\n    use: big\n", i)
	}
	tests := []struct {
		name, chart, want string
		flows             mapFS
	}{
		{"twice, twenty deep", "bot: c\ninitial: s\nstates:\n  s:\n    use: " + flowName(0) + "\n",
			"the chart includes flows more than 5000 times (use flows fewer times: a flow that uses flows is copied into every state that uses it)", deep},
		{"big, many times", many.String(),
			"c.yaml:23:10: the chart has more than 1000000 values once its flows are included (use fewer flows, or smaller ones: a flow that uses flows is copied into every state that uses it)", big},
		{"big, with parameters, many times", many.String(),
			"c.yaml:23:10: the chart has more than 1000000 values once its flows are included", bigWithParams},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Loader{Flows: tt.flows.fs()}.Parse("c.yaml", []byte(tt.chart))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Equal(t, 1, strings.Count(err.Error(), "\n")+1, "reported once")
			// Linear: about a second, more under -race. Quadratic was minutes.
			assert.Less(t, time.Since(start), time.Minute)
		})
	}
}

func flowName(i int) string { return "f" + strings.Repeat("i", i) }

// TestLoaderEntryPoints checks that Parse, Load, LoadFS and Compile of a
// Loader agree, and that the package's functions are the zero Loader's.
func TestLoaderEntryPoints(t *testing.T) {
	const file = "testdata/support.yaml"
	l := Loader{Flows: os.DirFS("testdata/flows")}
	data, err := os.ReadFile(file)
	require.NoError(t, err)

	fromFile, err := l.Load(file)
	require.NoError(t, err)
	fromFS, err := l.LoadFS(fstest.MapFS{file: {Data: data}}, file)
	require.NoError(t, err)
	fromData, err := l.Parse(file, data)
	require.NoError(t, err)
	assert.Equal(t, fromFile, fromFS)
	assert.Equal(t, fromFile, fromData)
	bot, err := l.Compile(file, data, framework.Options{})
	require.NoError(t, err)
	assert.Equal(t, "support", bot.Name())

	_, err = l.Load("testdata/no_such.yaml")
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, err = l.LoadFS(fstest.MapFS{}, "no_such.yaml")
	assert.ErrorIs(t, err, os.ErrNotExist)

	// Without a library, use: is a problem, and the same for every entry
	// point.
	_, errFunc := Load(file)
	_, errZero := Loader{}.Load(file)
	require.Error(t, errFunc)
	assert.Equal(t, errZero, errFunc)
	assert.Contains(t, errFunc.Error(), `testdata/support.yaml:24:10: state "handoff" uses the flow handoff, but no flow library is configured`)
	_, errCompile := Compile(file, data, framework.Options{})
	assert.Equal(t, errFunc, errCompile)

	// A library that cannot be read says so at the use.
	_, err = Loader{Flows: brokenFS{}}.Parse(file, data)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "testdata/support.yaml:24:10: the flow handoff cannot be read: disk on fire (check that the flow library can be read)")
}

type brokenFS struct{}

func (brokenFS) Open(name string) (fs.File, error) { return nil, errors.New("disk on fire") }

const formFile = "testdata/form.yaml"

func fp(line, col int) framework.Pos { return framework.Pos{File: formFile, Line: line, Col: col} }

func TestParseForm(t *testing.T) {
	data, err := os.ReadFile(formFile)
	require.NoError(t, err)
	c, err := Parse(formFile, data)
	require.NoError(t, err)
	require.Len(t, c.States, 4)
	assert.Equal(t, &framework.Form{
		Slots: []framework.Slot{
			{
				Name: "order", Ask: framework.Say("请输入订单号"), Type: framework.SlotRegex, Pattern: `(?P<order>\d{8})`,
				Invalid: framework.Say("订单号是8位数字", "请输入8位数字的订单号"), MaxAttempts: 2,
				OnFail: &framework.Transition{To: "handoff", Reply: framework.Say("订单号不对，转人工"), Pos: fp(20, 21)},
				Pos:    fp(14, 11),
			},
			{Name: "phone", Ask: framework.Say("手机号？"), Type: framework.SlotPhone, Pos: fp(21, 11)},
			{Name: "reason", Ask: framework.Say("原因？"), Type: framework.SlotChoice, Choices: []framework.Choice{
				{Value: "质量问题", Synonyms: []string{"坏了", "破损"}}, {Value: "不想要了"},
			}, Pos: fp(24, 12)},
			{Name: "when", Ask: framework.Say("哪天取件？"), Type: framework.SlotDate, Pos: fp(25, 11)},
		},
		Confirm:  framework.Say("订单 {{.Vars.order}}，确认吗？"),
		Cancel:   []string{"取消", "算了"},
		OnCancel: framework.Transition{To: "menu", Reply: framework.Say("已取消"), Pos: fp(30, 19)},
		OnComplete: framework.Transition{
			Set: []framework.Assign{{Name: "step", Value: "done"}}, Call: "lookup_order", Reply: framework.Say("已提交"), To: "menu",
			Pos: fp(32, 9),
		},
		OnFail: framework.Transition{To: "handoff", Pos: fp(36, 17)},
	}, c.States[1].Form)
	assert.Equal(t, fp(11, 3), c.States[1].Pos)
	assert.Empty(t, c.States[1].States)

	survey := c.States[2]
	require.NotNil(t, survey.Form)
	assert.Equal(t, []string{}, survey.Form.Cancel, "cancel: [] is no cancel words, not the default ones")
	assert.Len(t, survey.On, 1)

	// The form compiles into a child state per slot, and the confirmation.
	bot, err := Compile(formFile, data, framework.Options{Handlers: handlers})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"menu", "refund/ask_order", "refund/ask_phone", "refund/ask_reason", "refund/ask_when", "refund/confirm", "survey/ask_score", "handoff",
	}, bot.States())
}

// TestFormRun plays a form through framework.Rooms, which keeps the
// answers between turns as a session store does.
func TestFormRun(t *testing.T) {
	data, err := os.ReadFile(formFile)
	require.NoError(t, err)
	now := shanghai(10, 0) // Friday 2026-11-27
	bot, err := Compile(formFile, data, framework.Options{Handlers: handlers, Now: now})
	require.NoError(t, err)
	store := memory.New(framework.StoreOptions{})
	t.Cleanup(func() { store.Close() })
	rooms := &framework.Rooms{Store: store}
	state := "menu"
	for i, step := range []struct{ say, state, reply string }{
		{"1", "refund/ask_order", "请输入订单号"},
		{"不知道", "refund/ask_order", "订单号是8位数字|请输入8位数字的订单号"},
		{"20241101", "refund/ask_phone", "手机号？"},
		{"138 1234 5678", "refund/ask_reason", "原因？"},
		{"坏了", "refund/ask_when", "哪天取件？"},
		{"明天", "refund/confirm", "订单 20241101，确认吗？"},
		{"不对", "refund/ask_order", "请输入订单号"},
		{"20241102", "refund/ask_phone", "手机号？"},
		{"+8613812345678", "refund/ask_reason", "原因？"},
		{"2", "refund/ask_when", "哪天取件？"},
		{"12月1日", "refund/confirm", "订单 20241102，确认吗？"},
		{"是的", "menu", "已提交\n1 退款"},
		{"1", "refund/ask_order", "请输入订单号"},
		{"算了", "menu", "已取消\n1 退款"},
		{"1", "refund/ask_order", "请输入订单号"},
		{"x", "refund/ask_order", ""},
		{"y", "handoff", "订单号不对，转人工\n人工"},
		{"", "survey/ask_score", ""},
		{"取消", "survey/ask_score", "请输入一个整数。"},
		{"跳过", "menu", "1 退款"},
	} {
		if step.say == "" {
			state = step.state
			continue
		}
		h, err := rooms.Handle(t.Context(), bot, &framework.Event{
			AppID: "a", RoomID: "r", Type: framework.MessageEvent, State: state,
			Message: framework.Message{ID: fmt.Sprint(i), Type: "text", Text: step.say},
		})
		require.NoError(t, err)
		res := h.Result
		require.NoError(t, res.Err, "step %d", i)
		assert.Equal(t, step.state, res.To, "step %d: %s", i, step.say)
		if step.reply != "" {
			require.NotNil(t, res.Reply, "step %d", i)
			assert.Contains(t, strings.Split(step.reply, "|"), res.Reply.Text, "step %d: %s", i, step.say)
		}
		state = res.To
	}
}
