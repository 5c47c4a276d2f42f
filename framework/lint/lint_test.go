package lint_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/lint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var quiet = slog.New(slog.DiscardHandler)

// at is a position in the test chart "t.yaml".
func at(line int) framework.Pos { return framework.Pos{File: "t.yaml", Line: line, Col: 3} }

func noop(context.Context, *framework.Turn) error { return nil }

// check compiles c, with handlers of the given names, and lints it.
func check(t *testing.T, c framework.Chart, handlers ...string) []lint.Finding {
	t.Helper()
	opts := framework.Options{Logger: quiet, Handlers: map[string]framework.Handler{}}
	for _, h := range handlers {
		opts.Handlers[h] = noop
	}
	bot, err := framework.New(c, opts)
	require.NoError(t, err)
	return lint.Check(bot)
}

// only formats the findings of one rule.
func only(fs []lint.Finding, rule string) []string {
	var out []string
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, f.String())
		}
	}
	return out
}

var (
	say     = framework.Say
	exact   = framework.Exact
	kw      = framework.Keywords
	any     = framework.AnyMessage
	toMenu  = framework.Transition{Match: exact("菜单"), To: "menu", Pos: at(90)}
	silence = &framework.Transition{Pos: at(92)} // a fallback that says nothing and stays
)

// menu is a state that answers and leads to each of targets on its number.
func menu(targets ...string) framework.State {
	s := framework.State{Name: "menu", Reply: say("请选择"), Pos: at(1),
		Fallback: &framework.Transition{Reply: say("请回复数字"), Pos: at(2)}}
	for i, to := range targets {
		s.On = append(s.On, framework.Transition{Match: exact(string(rune('1' + i))), To: to, Pos: at(3 + i)})
	}
	return s
}

// answer is a state that says something and leads back to the menu.
func answer(name string, line int) framework.State {
	return framework.State{Name: name, Reply: say(name), On: []framework.Transition{toMenu}, Pos: at(line)}
}

func chartOf(states ...framework.State) framework.Chart {
	return framework.Chart{Name: "t", File: "t.yaml", Initial: "menu", States: states}
}

type ruleCase struct {
	name     string
	chart    framework.Chart
	handlers []string
	want     []string
}

func runRule(t *testing.T, rule string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := only(check(t, tc.chart, tc.handlers...), rule)
			if !assert.Equal(t, tc.want, got) {
				t.Logf("got: %#v", got)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	compound := func(name string, line int, children ...framework.State) framework.State {
		return framework.State{Name: name, States: children, Pos: at(line)}
	}
	runRule(t, "unreachable", []ruleCase{
		{name: "no transition enters it",
			want:  []string{"t.yaml:30:3: warning: state \"orphan\" is unreachable: no transition enters it (add a transition to it from a reachable state, or remove it) (unreachable)"},
			chart: chartOf(menu("a"), answer("a", 20), answer("orphan", 30))},
		{name: "only from an unreachable state",
			want: []string{"t.yaml:30:3: warning: state \"orphan\" is unreachable: no transition enters it (add a transition to it from a reachable state, or remove it) (unreachable)", "t.yaml:40:3: warning: state \"lost\" is unreachable: the only transition into it, exact: go (t.yaml:31:3), is in a state no room reaches (add a transition to it from a reachable state, or remove it) (unreachable)"},
			chart: chartOf(menu("a"), answer("a", 20),
				framework.State{Name: "orphan", Reply: say("?"), Pos: at(30),
					On: []framework.Transition{toMenu, {Match: exact("go"), To: "lost", Pos: at(31)}}},
				answer("lost", 40))},
		{name: "only through a transition that never fires",
			want: []string{"t.yaml:20:3: warning: state \"hidden\" is unreachable: the only transition into it, exact: x (t.yaml:3:3), can never fire (add a transition to it from a reachable state, or remove it) (unreachable)"},
			chart: chartOf(framework.State{Name: "menu", Reply: say("请选择"), Pos: at(1), On: []framework.Transition{
				{Match: any(), Reply: say("?"), Pos: at(2)},
				{Match: exact("x"), To: "hidden", Pos: at(3)},
			}}, answer("hidden", 20))},
		{name: "a compound state's other child",
			want:  []string{"t.yaml:25:3: warning: state \"p/b\" is unreachable: no transition enters it, and entering \"p\" enters its initial child \"p/a\" (add a transition to it from a reachable state, or remove it) (unreachable)"},
			chart: chartOf(menu("p"), compound("p", 20, answer("a", 21), answer("b", 25)))},
		{name: "a compound state and its children",
			want:  []string{"t.yaml:20:3: warning: state \"p\" is unreachable: no transition enters it (add a transition to it from a reachable state, or remove it) (unreachable)", "t.yaml:21:3: warning: state \"p/a\" is unreachable: it is inside \"p\", which is unreachable (unreachable)", "t.yaml:25:3: warning: state \"p/b\" is unreachable: it is inside \"p\", which is unreachable (unreachable)"},
			chart: chartOf(menu(), compound("p", 20, answer("a", 21), answer("b", 25)))},
		{name: "initial children, aliases, unknown_state and history are entered",
			chart: framework.Chart{Initial: "start", UnknownState: "lost", States: []framework.State{
				compound("start", 1, framework.State{Name: "hello", Reply: say("hi"), Pos: at(2),
					On: []framework.Transition{{Match: kw("人工"), To: "handoff", Pos: at(3)}, toMenu}}),
				answer("menu", 10),
				{Name: "renamed", Aliases: []string{"old"}, Reply: say("!"), On: []framework.Transition{toMenu}, Pos: at(20)},
				answer("lost", 30),
				{Name: "handoff", History: true, Pos: at(40), States: []framework.State{{
					Name: "waiting", Pos: at(41), Reply: say("稍候"),
					On: []framework.Transition{{Match: exact("结束"), To: framework.History, Pos: at(42)}},
				}}},
			}}},
		{name: "reachable through a fallback",
			chart: framework.Chart{Initial: "menu", States: []framework.State{
				{Name: "menu", Reply: say("?"), Pos: at(1), Fallback: &framework.Transition{To: "help", Pos: at(2)}},
				answer("help", 10),
			}}},
	})
}

func TestDeadEnd(t *testing.T) {
	runRule(t, "dead-end", []ruleCase{
		{name: "nothing at all",
			want:  []string{"t.yaml:20:3: error: state \"end\" is a dead end: nothing there leads out or says anything, so a room that gets here stays silent for good (add a transition out, such as exact: 菜单 to the menu, or a fallback that answers) (dead-end)"},
			chart: chartOf(menu("end"), framework.State{Name: "end", Reply: say("再见"), Pos: at(20)})},
		{name: "a handoff that swallows everything",
			want:  []string{"t.yaml:20:3: error: state \"handoff\" is a dead end: nothing there leads out or says anything, so a room that gets here stays silent for good (add a transition out, such as exact: 菜单 to the menu, or a fallback that answers) (dead-end)"},
			chart: chartOf(menu("handoff"), framework.State{Name: "handoff", Reply: say("转人工"), Fallback: silence, Pos: at(20)})},
		{name: "silent transitions and a silent fallback",
			want: []string{"t.yaml:20:3: error: state \"quiet\" is a dead end: nothing there leads out or says anything, so a room that gets here stays silent for good (add a transition out, such as exact: 菜单 to the menu, or a fallback that answers) (dead-end)"},
			chart: chartOf(menu("quiet"), framework.State{Name: "quiet", Pos: at(20),
				On:       []framework.Transition{{Match: kw("谢谢"), Pos: at(21)}, {Match: exact("结束"), To: "quiet", Pos: at(22)}},
				Fallback: silence})},
		{name: "re-entering says nothing",
			want: []string{"t.yaml:20:3: error: state \"quiet\" is a dead end: nothing there leads out or says anything, so a room that gets here stays silent for good (add a transition out, such as exact: 菜单 to the menu, or a fallback that answers) (dead-end)"},
			chart: chartOf(menu("quiet"), framework.State{Name: "quiet", Pos: at(20),
				OnEnter: framework.Action{Set: []framework.Assign{{Name: "n", Value: "1"}}},
				On:      []framework.Transition{{Match: any(), To: "quiet", Pos: at(21)}}})},
		{name: "a way out that can never fire",
			want: []string{"t.yaml:20:3: error: state \"handoff\" is a dead end: nothing there leads out or says anything, so a room that gets here stays silent for good (add a transition out, such as exact: 菜单 to the menu, or a fallback that answers) (dead-end)"},
			chart: chartOf(menu("handoff"), framework.State{Name: "handoff", Reply: say("转人工"), Pos: at(20),
				On: []framework.Transition{{Match: any(), Pos: at(21)}, {Match: exact("结束"), To: "menu", Pos: at(22)}}})},
		{name: "only a room event leads out",
			want: []string{"t.yaml:20:3: warning: state \"handoff\" is a dead end for messages: its transitions and fallbacks for messages stay silently; only JOIN_ROOM leads out or answers (add a transition out on a message, such as exact: 菜单 to the menu) (dead-end)"},
			chart: chartOf(menu("handoff"), framework.State{Name: "handoff", Reply: say("转人工"), Pos: at(20),
				On:       []framework.Transition{{Event: framework.JoinRoom, To: "menu", Pos: at(21)}},
				Fallback: silence})},
		{name: "a handoff with a way out",
			chart: chartOf(menu("handoff"), framework.State{Name: "handoff", Reply: say("转人工"), Pos: at(20),
				On: []framework.Transition{{Match: kw("结束人工"), To: "menu", Pos: at(21)}}, Fallback: silence})},
		{name: "answers but never leaves",
			chart: chartOf(menu("faq"), framework.State{Name: "faq", Reply: say("问吧"), Pos: at(20),
				On: []framework.Transition{{Match: kw("运费"), Reply: say("满99包邮"), Pos: at(21)}}})},
		{name: "re-entering says the state's reply again",
			chart: chartOf(menu("ask"), framework.State{Name: "ask", Reply: say("请输入订单号"), Pos: at(20),
				On: []framework.Transition{{Match: any(), To: "ask", Pos: at(21)}}})},
		{name: "a handler may answer",
			chart: chartOf(menu("ask"), framework.State{Name: "ask", Reply: say("请输入订单号"), Pos: at(20),
				On: []framework.Transition{{Match: any(), Call: "lookup", Pos: at(21)}}}),
			handlers: []string{"lookup"}},
		{name: "the chart's fallback answers",
			chart: func() framework.Chart {
				c := chartOf(menu("end"), framework.State{Name: "end", Reply: say("再见"), Pos: at(20)})
				c.Fallback = &framework.Transition{Reply: say("回复「菜单」重新开始"), Pos: at(50)}
				return c
			}()},
		{name: "an unreachable state is not a dead end too",
			chart: chartOf(menu(), framework.State{Name: "end", Reply: say("再见"), Pos: at(20)})},
	})
}

func TestUnhandledEvent(t *testing.T) {
	greet := framework.Transition{Event: framework.JoinRoom, Reply: say("您好"), Pos: at(4)}
	runRule(t, "unhandled-event", []ruleCase{
		{name: "no room events",
			want:  []string{"t.yaml: warning: no state handles JOIN_ROOM (someone joins a room), ADD_MEMBERS (members are added, this robot among them) or DELETE_MEMBERS (members are removed): the bot ignores them and says nothing (if it should react, add transitions with event: JOIN_ROOM, ADD_MEMBERS or DELETE_MEMBERS; if not, ignore this) (unhandled-event)"},
			chart: chartOf(menu("a"), answer("a", 20))},
		{name: "some room events",
			want: []string{"t.yaml: warning: no state handles DELETE_MEMBERS (members are removed): the bot ignores it and says nothing (if it should react, add a transition with event: DELETE_MEMBERS; if not, ignore this) (unhandled-event)"},
			chart: func() framework.Chart {
				m := menu("a")
				m.On = append(m.On, greet, framework.Transition{Event: framework.AddMembers, Match: framework.RobotAdded(), Pos: at(5)})
				return chartOf(m, answer("a", 20))
			}()},
		{name: "a state with nothing for messages",
			want: []string{"t.yaml:20:3: warning: state \"wait\" handles no MESSAGE: it has no transition for messages and no fallback, so every message there goes unanswered; only JOIN_ROOM, ADD_MEMBERS or DELETE_MEMBERS leads out or answers (add transitions for messages, or a fallback) (unhandled-event)"},
			chart: chartOf(menu("wait"), framework.State{Name: "wait", Reply: say("请稍候"), Pos: at(20), On: []framework.Transition{
				{Event: framework.JoinRoom, To: "menu", Pos: at(21)},
				{Event: framework.AddMembers, To: "menu", Pos: at(22)},
				{Event: framework.DeleteMembers, Reply: say("再见"), Pos: at(23)},
			}})},
		{name: "every event handled",
			chart: func() framework.Chart {
				m := menu("a")
				m.On = append(m.On, greet,
					framework.Transition{Event: framework.AddMembers, Reply: say("大家好"), Pos: at(5)},
					framework.Transition{Event: framework.DeleteMembers, Reply: say("再见"), Pos: at(6)})
				return chartOf(m, answer("a", 20))
			}()},
	})
}

func TestShadowed(t *testing.T) {
	state := func(on ...framework.Transition) framework.Chart {
		for i := range on {
			on[i].Pos = at(2 + i)
		}
		return chartOf(framework.State{Name: "menu", Reply: say("?"), Pos: at(1), On: on}, answer("a", 20), answer("b", 30))
	}
	runRule(t, "shadowed", []ruleCase{
		{name: "after any",
			want:  []string{"t.yaml:3:3: error: exact: 1 can never fire: any (t.yaml:2:3) comes first and catches everything it would match (move it above, narrow the earlier pattern, or remove it) (shadowed)"},
			chart: state(framework.Transition{Match: any(), Reply: say("?")}, framework.Transition{Match: exact("1"), To: "a"})},
		{name: "after a keyword inside it",
			want:  []string{"t.yaml:3:3: error: exact: 我要退款 can never fire: keywords: 退款 (t.yaml:2:3) comes first and catches everything it would match (move it above, narrow the earlier pattern, or remove it) (shadowed)"},
			chart: state(framework.Transition{Match: kw("退款"), To: "a"}, framework.Transition{Match: exact("我要退款"), To: "b"})},
		{name: "after all_of words inside it",
			want:  []string{"t.yaml:3:3: error: keywords: 电子发票 can never fire: all_of: 发票 + 电子 (t.yaml:2:3) comes first and catches everything it would match (move it above, narrow the earlier pattern, or remove it) (shadowed)"},
			chart: state(framework.Transition{Match: framework.AllOf("发票", "电子"), To: "a"}, framework.Transition{Match: kw("电子发票"), To: "b"})},
		{name: "one word after a keyword inside it",
			want:  []string{"t.yaml:3:3: warning: \"我要退款\" in exact: 我要退款 | 退钱 can never match: keywords: 退款 (t.yaml:2:3) comes first and catches it (remove the word, or move this transition above that one) (shadowed)"},
			chart: state(framework.Transition{Match: kw("退款"), To: "a"}, framework.Transition{Match: exact("我要退款", "退钱"), To: "b"})},
		{name: "after type text",
			want: []string{"t.yaml:3:3: error: command: help can never fire: type: text | image (t.yaml:2:3) comes first and catches everything it would match (move it above, narrow the earlier pattern, or remove it) (shadowed)"},
			chart: state(framework.Transition{Match: framework.MessageType("text", "image"), To: "a"},
				framework.Transition{Match: framework.Command("help"), To: "b"})},
		{name: "a room event after one without a pattern",
			want: []string{"t.yaml:3:3: error: JOIN_ROOM can never fire: JOIN_ROOM (t.yaml:2:3) comes first and catches everything it would match (move it above, narrow the earlier pattern, or remove it) (shadowed)"},
			chart: state(framework.Transition{Event: framework.JoinRoom, Reply: say("您好")},
				framework.Transition{Event: framework.JoinRoom, To: "a"})},
		{name: "a parent's transition under a child's catch-all",
			want: []string{"t.yaml:2:3: warning: exact: 菜单 never fires in state \"p/b\": any (t.yaml:21:3) comes first there and catches everything it would match (narrow the earlier pattern if this one should work there too) (shadowed)"},
			chart: framework.Chart{Initial: "p", States: []framework.State{
				{Name: "p", Pos: at(1), On: []framework.Transition{{Match: exact("菜单"), To: "p", Pos: at(2)}}, States: []framework.State{
					{Name: "a", Reply: say("a"), Pos: at(10), On: []framework.Transition{{Match: exact("b"), To: "b", Pos: at(11)}}},
					{Name: "b", Reply: say("b"), Pos: at(20), On: []framework.Transition{{Match: any(), To: "a", Pos: at(21)}}},
				}},
			}}},
		{name: "a global transition under a state's keyword",
			want: []string{"t.yaml:50:3: warning: global transition exact: 转人工 never fires in state \"a\": keywords: 人工 (t.yaml:21:3) comes first there and catches everything it would match (narrow the earlier pattern if this one should work there too) (shadowed)"},
			chart: func() framework.Chart {
				c := chartOf(menu("a"), framework.State{Name: "a", Reply: say("a"), Pos: at(20),
					On: []framework.Transition{{Match: kw("人工"), Reply: say("请稍候"), Pos: at(21)}}})
				c.Global = []framework.Transition{{Match: exact("转人工"), To: "menu", Pos: at(50)}}
				return c
			}()},
		{name: "a state's fallback after any",
			want: []string{"t.yaml:22:3: error: this fallback can never answer: any (t.yaml:21:3) comes first and catches every message it would (remove it, or narrow the earlier pattern) (shadowed)"},
			chart: chartOf(menu("a"), framework.State{Name: "a", Reply: say("a"), Pos: at(20),
				On:       []framework.Transition{{Match: any(), To: "menu", Pos: at(21)}},
				Fallback: &framework.Transition{Reply: say("?"), Pos: at(22)}})},
		{name: "not after a guarded catch-all",
			chart: state(framework.Transition{Match: any(), If: "hour < 9", Reply: say("下班了")}, framework.Transition{Match: exact("1"), To: "a"})},
		{name: "not after a shorter exact word, nor a different keyword",
			chart: state(framework.Transition{Match: exact("退款"), To: "a"}, framework.Transition{Match: kw("退款进度", "退货"), To: "b"})},
		{name: "not a regex",
			chart: state(framework.Transition{Match: kw("退款"), To: "a"}, framework.Transition{Match: framework.Regex(`退款\d+`), To: "b"})},
		{name: "not another event",
			chart: state(framework.Transition{Event: framework.JoinRoom, Reply: say("您好")}, framework.Transition{Match: exact("1"), To: "a"})},
		{name: "not the chart's fallback, nor an overridden one",
			chart: func() framework.Chart {
				c := framework.Chart{Initial: "p", States: []framework.State{
					{Name: "p", Pos: at(1), Fallback: &framework.Transition{Reply: say("p?"), Pos: at(2)}, States: []framework.State{
						{Name: "a", Reply: say("a"), Pos: at(10), Fallback: &framework.Transition{To: "b", Pos: at(11)}},
						{Name: "b", Reply: say("b"), Pos: at(20), On: []framework.Transition{{Match: any(), To: "a", Pos: at(21)}}},
					}},
				}}
				c.Fallback = &framework.Transition{Reply: say("?"), Pos: at(50)}
				return c
			}()},
	})
}

func TestDuplicatePattern(t *testing.T) {
	state := func(on ...framework.Transition) framework.Chart {
		for i := range on {
			on[i].Pos = at(2 + i)
		}
		return chartOf(framework.State{Name: "menu", Reply: say("?"), Pos: at(1), On: on}, answer("a", 20), answer("b", 30))
	}
	runRule(t, "duplicate-pattern", []ruleCase{
		{name: "a transition of repeats",
			want:  []string{"t.yaml:3:3: error: exact: １ can never fire: exact: 1 | 退货 (t.yaml:2:3) comes first with the same word (remove one of them) (duplicate-pattern)"},
			chart: state(framework.Transition{Match: exact("1", "退货"), To: "a"}, framework.Transition{Match: exact("１"), To: "b"})},
		{name: "a keyword, then the same word exact",
			want:  []string{"t.yaml:3:3: warning: \"退款！\" in exact: 退款！ | 退钱 is already matched by keywords: 退款 (t.yaml:2:3), which comes first (remove it here or there) (duplicate-pattern)"},
			chart: state(framework.Transition{Match: kw("退款"), To: "a"}, framework.Transition{Match: exact("退款！", "退钱"), To: "b"})},
		{name: "one word of several",
			want:  []string{"t.yaml:3:3: warning: \"2\" in exact: 2 | 3 is already matched by exact: 1 | 2 (t.yaml:2:3), which comes first (remove it here or there) (duplicate-pattern)"},
			chart: state(framework.Transition{Match: exact("1", "2"), To: "a"}, framework.Transition{Match: exact("2", "3"), To: "b"})},
		{name: "twice in one transition",
			want:  []string{"t.yaml:2:3: warning: \"退货\" appears twice in keywords: 退货 | 退貨 | 退货 (remove one) (duplicate-pattern)", "t.yaml:3:3: warning: \"ＶＩＰ\" and \"vip\" are the same word once normalized, in exact: ＶＩＰ | vip (remove one) (duplicate-pattern)"},
			chart: state(framework.Transition{Match: kw("退货", "退貨", "退货"), To: "a"}, framework.Transition{Match: exact("ＶＩＰ", "vip"), To: "b"})},
		{name: "a repeated message type",
			want: []string{"t.yaml:3:3: warning: \"image\" in type: image | sticker is already matched by type: image (t.yaml:2:3), which comes first (remove it here or there) (duplicate-pattern)"},
			chart: state(framework.Transition{Match: framework.MessageType("image"), To: "a"},
				framework.Transition{Match: framework.MessageType("image", "sticker"), To: "b"})},
		{name: "not after a guard",
			chart: state(framework.Transition{Match: exact("人工"), If: "hour >= 9 && hour < 21", To: "a"},
				framework.Transition{Match: exact("人工"), Reply: say("人工客服已下班")})},
		{name: "not an exact word, then the keyword",
			chart: state(framework.Transition{Match: exact("退款"), To: "a"}, framework.Transition{Match: kw("退款"), To: "b"})},
	})
}

func TestUnsetVariable(t *testing.T) {
	state := func(s framework.State) framework.Chart {
		s.Name, s.Pos = "a", at(20)
		s.On = append(s.On, toMenu)
		return chartOf(menu("a"), s)
	}
	runRule(t, "unset-variable", []ruleCase{
		{name: "read in a reply",
			want:  []string{"t.yaml:20:3: warning: state \"a\", when entered, reads .Vars.order, but nothing sets \"order\": no set:, regex group, command args or form slot, and the chart calls no Go handler (set it, or stop reading it) (unset-variable)"},
			chart: state(framework.State{Reply: say("订单 {{.Vars.order}}")})},
		{name: "read in a guard",
			want: []string{"t.yaml:21:3: warning: the guard of transition exact: 1 [vars.vip == \"yes\"] reads vars.vip, but nothing sets \"vip\": no set:, regex group, command args or form slot, and the chart calls no Go handler (set it, or stop reading it) (unset-variable)"},
			chart: state(framework.State{Reply: say("?"), On: []framework.Transition{
				{Match: exact("1"), If: `vars.vip == "yes"`, Reply: say("VIP"), Pos: at(21)}}})},
		{name: "a near miss",
			want: []string{"t.yaml:21:3: warning: transition regex: (?P<order>\\d+) reads .Vars.ordr, but nothing sets \"ordr\": no set:, regex group, command args or form slot, and the chart calls no Go handler (did you mean .Vars.order? else set it, or stop reading it) (unset-variable)"},
			chart: state(framework.State{Reply: say("?"), On: []framework.Transition{
				{Match: framework.Regex(`(?P<order>\d+)`), Reply: say("订单 {{.Vars.ordr}}"), Pos: at(21)}}})},
		{name: "a handler may set it",
			want: []string{"t.yaml:20:3: warning: state \"a\", when left, reads .Vars.stock, but nothing sets \"stock\": no set:, regex group, command args or form slot (if Go handler lookup sets it, ignore this: lint cannot see inside handlers) (unset-variable)"},
			chart: state(framework.State{Reply: say("?"), On: []framework.Transition{
				{Match: exact("查"), Call: "lookup", Pos: at(21)}}, OnExit: framework.Action{Reply: say("库存 {{.Vars.stock}}")}}),
			handlers: []string{"lookup"}},
		{name: "set by set:, a regex group, a command",
			chart: state(framework.State{Reply: say("{{.Vars.step}} {{.Vars.order}} {{.Vars.args}}"),
				OnEnter: framework.Action{Set: []framework.Assign{{Name: "step", Value: "1"}}},
				On: []framework.Transition{
					{Match: framework.Regex(`(?P<order>\d+)`), If: `vars.order != ""`, Reply: say("{{.Vars.order}}"), Pos: at(21)},
					{Match: framework.Command("help"), Reply: say("{{.Vars.args}}"), Pos: at(22)},
				}})},
		{name: "a form's slots",
			want: []string{"t.yaml:20:3: warning: state \"order/confirm\", when entered, reads .Vars.phone, but nothing sets \"phone\": no set:, regex group, command args or form slot, and the chart calls no Go handler (set it, or stop reading it) (unset-variable)"},
			chart: chartOf(menu("order"), framework.State{Name: "order", Pos: at(20), Form: &framework.Form{
				Slots: []framework.Slot{
					{Name: "order", Ask: say("订单号？"), Type: framework.SlotInteger, Pos: at(21)},
					{Name: "date", Ask: say("哪天？"), Type: framework.SlotDate, Pos: at(22)},
				},
				Confirm:    say("订单 {{.Vars.order}}，{{.Vars.date}}，{{.Vars.phone}}，对吗？"),
				OnComplete: framework.Transition{To: "menu", Reply: say("已提交 {{.Vars.order}}"), Pos: at(23)},
			}})},
	})
}

func TestFindingString(t *testing.T) {
	assert.Equal(t, "warning", lint.Warning.String())
	assert.Equal(t, "error", lint.Error.String())
	assert.Equal(t, "Severity(7)", lint.Severity(7).String())
	f := lint.Finding{Severity: lint.Error, Pos: at(12), Rule: "dead-end", Message: "state \"x\" is a dead end"}
	assert.Equal(t, `t.yaml:12:3: error: state "x" is a dead end (dead-end)`, f.String())
	f.Pos = framework.Pos{}
	assert.Equal(t, `error: state "x" is a dead end (dead-end)`, f.String())
}

func TestHasErrors(t *testing.T) {
	assert.False(t, lint.HasErrors(nil))
	assert.False(t, lint.HasErrors([]lint.Finding{{Severity: lint.Warning}}))
	assert.True(t, lint.HasErrors([]lint.Finding{{Severity: lint.Warning}, {Severity: lint.Error}}))
	assert.Nil(t, lint.Check(nil))
}

// Findings come sorted by position, and transitions that several states
// share (a YAML anchor: one position) are reported once.
func TestCheckSortsAndReportsSharedTransitionsOnce(t *testing.T) {
	common := []framework.Transition{
		{Match: kw("人工"), To: "handoff", Pos: at(5)},
		{Match: exact("转人工"), To: "handoff", Pos: at(6)},
		{Match: exact("菜单"), To: "menu", Pos: at(7)},
	}
	c := framework.Chart{File: "t.yaml", Initial: "menu", States: []framework.State{
		{Name: "menu", Reply: say("?"), On: common, Pos: at(20)},
		{Name: "other", Reply: say("!"), On: common, Pos: at(30)},
		{Name: "handoff", Reply: say("稍候"), Pos: at(10)},
	}}
	var got []string
	for _, f := range check(t, c) {
		got = append(got, f.String())
	}
	assert.Equal(t, []string{
		"t.yaml: warning: no state handles JOIN_ROOM (someone joins a room), ADD_MEMBERS (members are added, this robot among them) or DELETE_MEMBERS (members are removed): the bot ignores them and says nothing (if it should react, add transitions with event: JOIN_ROOM, ADD_MEMBERS or DELETE_MEMBERS; if not, ignore this) (unhandled-event)",
		"t.yaml:6:3: error: exact: 转人工 can never fire: keywords: 人工 (t.yaml:5:3) comes first and catches everything it would match (move it above, narrow the earlier pattern, or remove it) (shadowed)",
		"t.yaml:10:3: error: state \"handoff\" is a dead end: nothing there leads out or says anything, so a room that gets here stays silent for good (add a transition out, such as exact: 菜单 to the menu, or a fallback that answers) (dead-end)",
		"t.yaml:30:3: warning: state \"other\" is unreachable: no transition enters it (add a transition to it from a reachable state, or remove it) (unreachable)",
	}, got)
}

// The unknown state is where rooms go whose botState names no state: it is
// entered although no transition names it.
func TestUnknownStateIsEntered(t *testing.T) {
	c := framework.Chart{Initial: "menu", UnknownState: "lost", States: []framework.State{
		answer("menu", 1),
		{Name: "lost", Pos: at(10), States: []framework.State{
			{Name: "sorry", Reply: say("抱歉，请重新开始"), On: []framework.Transition{{Match: any(), To: "found", Pos: at(12)}}, Pos: at(11)},
			answer("other", 15),
		}},
		answer("found", 20),
	}}
	assert.Equal(t, []string{
		"t.yaml:15:3: warning: state \"lost/other\" is unreachable: no transition enters it, and entering \"lost\" enters its initial child \"lost/sorry\" (add a transition to it from a reachable state, or remove it) (unreachable)",
	}, only(check(t, c), "unreachable"))
}
