package diagram

import (
	"context"

	"github.com/fsmbot/fsmbot/framework"
)

// The charts the golden files draw, by golden file name.
var charts = map[string]framework.Chart{
	"flat":    flatChart(),
	"nested":  nestedChart(),
	"globals": globalsChart(),
	"guards":  guardsChart(),
	"history": historyChart(),
	"chinese": chineseChart(),
	"nasty":   nastyChart(),
	"form":    formChart(),
}

// options registers the handlers and Go guards the charts name.
var options = framework.Options{
	Handlers: map[string]framework.Handler{
		"lookup": func(context.Context, *framework.Turn) error { return nil },
		"notify": func(context.Context, *framework.Turn) error { return nil },
		"audit":  func(context.Context, *framework.Turn) error { return nil },
	},
	Guards: map[string]framework.Guard{
		"isVIP": func(*framework.Turn) bool { return true },
	},
}

var say = framework.Say

// flatChart has top-level states only: every kind of pattern, an event,
// stays, a state fallback.
func flatChart() framework.Chart {
	return framework.Chart{
		Name:    "shop",
		Initial: "menu",
		States: []framework.State{
			{
				Name:  "menu",
				Reply: say("请选择：1 退货 2 查订单"),
				On: []framework.Transition{
					{Event: framework.JoinRoom, Reply: say("您好！")},
					{Match: framework.Exact("1", "退货"), To: "refund"},
					{Match: framework.Keywords("订单"), To: "orders"},
					{Match: framework.Command("/help"), Reply: say("help")},
				},
				Fallback: &framework.Transition{Reply: say("请回复 1 或 2")},
			},
			{
				Name:  "refund",
				Reply: say("请输入订单号"),
				On: []framework.Transition{
					{Match: framework.Regex(`(?P<order>\d{6,})`), To: "menu", Reply: say("已提交")},
					{Match: framework.AllOf("取消", "退货"), To: "menu"},
					{Match: framework.MessageType("image"), Reply: say("请输入文字")},
				},
			},
			{
				Name: "orders",
				On: []framework.Transition{
					{Match: framework.AnyMessage(), To: "menu"},
					{Event: framework.AddMembers, Match: framework.RobotAdded(), To: "menu"},
				},
			},
		},
	}
}

// nestedChart has three levels: transitions declared on compound states,
// targets that are compound states, ancestors and cousins.
func nestedChart() framework.Chart {
	return framework.Chart{
		Name:    "support",
		Initial: "menu",
		States: []framework.State{
			{
				Name: "menu",
				On: []framework.Transition{
					{Match: framework.Keywords("退货"), To: "after_sale"},
					{Match: framework.Keywords("换货"), To: "after_sale/exchange"},
					{Match: framework.Keywords("补寄"), To: "after_sale/refund/confirm"},
				},
			},
			{
				Name: "after_sale",
				On: []framework.Transition{
					{Match: framework.Exact("菜单"), To: "menu"},
					{Match: framework.Exact("重来"), To: "after_sale"},
					{Match: framework.Exact("帮助"), Reply: say("输入 菜单 返回")},
					{Match: framework.Exact("改换货"), To: "exchange"},
				},
				States: []framework.State{
					{
						Name:    "refund",
						Initial: "ask_order",
						On: []framework.Transition{
							{Match: framework.Exact("换"), To: "exchange"},
						},
						Fallback: &framework.Transition{Reply: say("请输入订单号")},
						States: []framework.State{
							{Name: "ask_order", On: []framework.Transition{
								{Match: framework.Regex(`^\d+$`), To: "confirm"},
							}},
							{Name: "confirm", On: []framework.Transition{
								{Match: framework.Exact("是"), To: "menu"},
								{Match: framework.Exact("否"), To: "ask_order"},
								{Match: framework.Exact("重填"), To: "refund"},
								{Match: framework.Exact("从头"), To: "after_sale"},
							}},
						},
					},
					{Name: "exchange", On: []framework.Transition{
						{Match: framework.AnyMessage(), To: "refund/ask_order"},
					}},
				},
			},
		},
	}
}

// globalsChart has global transitions (one that stays), the chart's
// fallback, and a state without globals.
func globalsChart() framework.Chart {
	return framework.Chart{
		Name:    "globals",
		Initial: "menu",
		States: []framework.State{
			{Name: "menu", On: []framework.Transition{
				{Match: framework.Exact("1"), To: "ask"},
			}},
			{Name: "ask", On: []framework.Transition{
				{Match: framework.Regex(`\d+`), To: "menu"},
			}},
			{Name: "handoff", NoGlobals: true, On: []framework.Transition{
				{Match: framework.Command("/bye"), To: "menu"},
			}},
		},
		Global: []framework.Transition{
			{Match: framework.Keywords("菜单", "menu"), To: "menu"},
			{Match: framework.Keywords("人工"), To: "handoff"},
			{Match: framework.Exact("help"), Reply: say("输入 菜单")},
		},
		Fallback: &framework.Transition{Reply: say("没听懂")},
	}
}

// guardsChart has If expressions, a Go guard, both, guarded fallbacks and
// handlers called by transitions and on entry and exit.
func guardsChart() framework.Chart {
	return framework.Chart{
		Name:    "guards",
		Initial: "menu",
		States: []framework.State{
			{Name: "menu", On: []framework.Transition{
				{Match: framework.Keywords("人工"), If: "hour >= 9 && hour < 21", To: "agent"},
				{Match: framework.Keywords("人工"), Reply: say("下班了")},
				{Match: framework.Keywords("vip"), Guard: "isVIP", To: "vip"},
				{Match: framework.Regex(`(?P<order>\d+)`), If: `vars.order != ""`, Guard: "isVIP", Call: "lookup", To: "vip"},
			}},
			{
				Name:     "agent",
				OnEnter:  framework.Action{Call: "notify"},
				OnExit:   framework.Action{Call: "audit"},
				On:       []framework.Transition{{Match: framework.Exact("bye"), To: "menu"}},
				Fallback: &framework.Transition{If: `text != ""`, Call: "lookup"},
			},
			{
				Name:    "vip",
				OnEnter: framework.Action{Call: "notify"},
				States: []framework.State{
					{Name: "welcome", On: []framework.Transition{{Match: framework.AnyMessage(), To: "menu"}}},
				},
				Fallback: &framework.Transition{Match: framework.MessageType("image"), Guard: "isVIP", To: "menu"},
			},
		},
	}
}

// historyChart returns through History from a leaf, from inside a compound
// state, from the compound state itself, and globally.
func historyChart() framework.Chart {
	return framework.Chart{
		Name:    "history",
		Initial: "refund",
		States: []framework.State{
			{Name: "refund", States: []framework.State{
				{Name: "ask_order", On: []framework.Transition{{Match: framework.Regex(`\d+`), To: "confirm"}}},
				{Name: "confirm", On: []framework.Transition{{Match: framework.Exact("是"), To: "ask_order"}}},
			}},
			{Name: "handoff", History: true, On: []framework.Transition{
				{Match: framework.Exact("返回"), To: framework.History},
			}},
			{Name: "faq", History: true, States: []framework.State{
				{Name: "list", On: []framework.Transition{
					{Match: framework.Exact("1"), To: "answer"},
					{Match: framework.Exact("返回"), To: framework.History},
				}},
				{Name: "answer"},
			}, On: []framework.Transition{{Match: framework.Exact("好"), To: framework.History}}},
		},
		Global: []framework.Transition{
			{Match: framework.Keywords("人工"), To: "handoff"},
			{Match: framework.Keywords("问题"), To: "faq"},
			{Match: framework.Exact("back"), To: framework.History},
		},
	}
}

// chineseChart names its states in Chinese, nested.
func chineseChart() framework.Chart {
	return framework.Chart{
		Name:    "客服",
		Initial: "菜单",
		States: []framework.State{
			{Name: "菜单", On: []framework.Transition{
				{Match: framework.Keywords("退货", "退款"), To: "售后"},
			}},
			{Name: "售后", States: []framework.State{
				{Name: "问订单号", On: []framework.Transition{
					{Match: framework.Regex(`订单号?(?P<order>\d{6,})`), To: "确认"},
				}},
				{Name: "确认", On: []framework.Transition{
					{Match: framework.Exact("是"), To: "菜单"},
				}},
				{Name: "mixed 名字", Aliases: []string{"mixed"}},
			}, On: []framework.Transition{
				{Match: framework.Exact("取消"), To: "菜单"},
			}},
		},
	}
}

// nastyChart has labels full of characters that diagram languages take for
// syntax, names that make bad ids, and long labels.
func nastyChart() framework.Chart {
	return framework.Chart{
		Name:    `nasty "chart" {x}`,
		Initial: "end",
		States: []framework.State{
			{Name: "end", On: []framework.Transition{
				{Match: framework.Keywords("a:b", "c;d", "#hash"), To: "a b"},
				{Match: framework.Keywords(`"quoted"`, "{brace}", "`tick`"), To: "a b"},
				{Match: framework.Keywords("<b>tag</b>", "a&b", "&amp;"), To: "a b"},
				{Match: framework.Keywords("*em* _em_ a_b", `\\ \* \d`), To: "a b"},
				{Match: framework.Exact("line\nbreak", "50%", "x|y", "#35;"), To: "a__b"},
				{Match: framework.Regex(`(?P<order>\d{6,})|^[a-z]{2}-\d+$`), If: `text matches "^\\d{2}:\\d{2}$" || vars["x"] == "{}"`, To: "a/b"},
				{Match: framework.Keywords("退货", "退款", "换货", "补寄", "发票", "物流", "快递", "优惠券", "会员", "积分", "地址", "客服"), To: "1st"},
				{Match: framework.Custom("my:matcher", never{}), To: "end"},
			}},
			{Name: "a b"},
			{Name: "a__b"},
			{Name: "a", States: []framework.State{{Name: "b"}}},
			{Name: "1st"},
			{Name: `say "hi"; #1 {ok}`},
		},
	}
}

// never is a Matcher that matches nothing.
type never struct{}

func (never) Match(*framework.Turn) bool { return false }

// formChart has a form: its slots are child states made by the compiler.
func formChart() framework.Chart {
	return framework.Chart{
		Name:    "form",
		Initial: "menu",
		States: []framework.State{
			{Name: "menu", On: []framework.Transition{
				{Match: framework.Keywords("退货"), To: "refund"},
			}},
			{Name: "refund", Form: &framework.Form{
				Slots: []framework.Slot{
					{Name: "order", Ask: say("订单号？"), Type: framework.SlotRegex, Pattern: `(?P<order>\d{6,})`},
					{Name: "phone", Ask: say("手机号？"), Type: framework.SlotPhone},
				},
				Confirm:    say("订单 {{.Vars.order}}，确认吗？"),
				OnComplete: framework.Transition{To: "menu", Call: "lookup"},
				OnCancel:   framework.Transition{To: "menu", Reply: say("已取消")},
			}},
		},
	}
}
