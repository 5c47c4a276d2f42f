package lint_test

import (
	"fmt"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/lint"
)

func ExampleCheck() {
	at := func(line, col int) framework.Pos { return framework.Pos{File: "shop.yaml", Line: line, Col: col} }
	chart := framework.Chart{
		Name:    "shop",
		Initial: "menu",
		States: []framework.State{
			{
				Name:  "menu",
				Reply: framework.Say("请选择：1 退货 2 人工客服"),
				On: []framework.Transition{
					{Event: framework.JoinRoom, Reply: framework.Say("您好！"), Pos: at(6, 9)},
					{Match: framework.Keywords("退货", "退款"), To: "refund", Pos: at(8, 9)},
					{Match: framework.Exact("1", "我要退款"), To: "refund", Pos: at(10, 9)},
					{Match: framework.Exact("2"), To: "handoff", Pos: at(12, 9)},
				},
				Fallback: &framework.Transition{Reply: framework.Say("请回复 1 或 2"), Pos: at(14, 7)},
				Pos:      at(3, 3),
			},
			{
				Name:  "refund",
				Reply: framework.Say("订单 {{.Vars.order}} 的退款已提交"),
				On:    []framework.Transition{{Match: framework.AnyMessage(), To: "menu", Pos: at(19, 9)}},
				Pos:   at(16, 3),
			},
			{
				// Says nothing to whatever the customer writes, and never
				// gives the room back.
				Name:     "handoff",
				Reply:    framework.Say("正在为您转接人工客服…"),
				Fallback: &framework.Transition{Pos: at(23, 7)},
				Pos:      at(21, 3),
			},
			{
				Name:  "survey",
				Reply: framework.Say("请为本次服务打分"),
				On:    []framework.Transition{{Match: framework.AnyMessage(), To: "menu", Pos: at(27, 9)}},
				Pos:   at(25, 3),
			},
		},
	}
	bot, err := framework.New(chart, framework.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	found := lint.Check(bot)
	for _, f := range found {
		fmt.Println(f)
	}
	fmt.Println("errors:", lint.HasErrors(found))
	// Output:
	// shop.yaml: warning: no state handles ADD_MEMBERS (members are added, this robot among them) or DELETE_MEMBERS (members are removed): the bot ignores them and says nothing (if it should react, add transitions with event: ADD_MEMBERS or DELETE_MEMBERS; if not, ignore this) (unhandled-event)
	// shop.yaml:10:9: warning: "我要退款" in exact: 1 | 我要退款 can never match: keywords: 退货 | 退款 (shop.yaml:8:9) comes first and catches it (remove the word, or move this transition above that one) (shadowed)
	// shop.yaml:16:3: warning: state "refund", when entered, reads .Vars.order, but nothing sets "order": no set:, regex group, command args or form slot, and the chart calls no Go handler (set it, or stop reading it) (unset-variable)
	// shop.yaml:21:3: error: state "handoff" is a dead end: nothing there leads out or says anything, so a room that gets here stays silent for good (add a transition out, such as exact: 菜单 to the menu, or a fallback that answers) (dead-end)
	// shop.yaml:25:3: warning: state "survey" is unreachable: no transition enters it (add a transition to it from a reachable state, or remove it) (unreachable)
	// errors: true
}
