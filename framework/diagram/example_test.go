package diagram_test

import (
	"fmt"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/diagram"
)

// shop is a small bot: a menu, a refund flow with two steps, a global
// transition back to the menu and a fallback.
func shop() *framework.Bot {
	bot, err := framework.New(framework.Chart{
		Name:    "shop",
		Initial: "menu",
		States: []framework.State{
			{Name: "menu", On: []framework.Transition{
				{Match: framework.Exact("1", "退货"), To: "refund"},
			}},
			{Name: "refund", States: []framework.State{
				{Name: "ask_order", On: []framework.Transition{
					{Match: framework.Regex(`(?P<order>\d{6,})`), To: "confirm"},
				}},
				{Name: "confirm", On: []framework.Transition{
					{Match: framework.Exact("是"), If: `vars.order != ""`, To: "menu"},
				}},
			}, Fallback: &framework.Transition{Reply: framework.Say("请输入订单号")}},
		},
		Global: []framework.Transition{
			{Match: framework.Keywords("菜单"), To: "menu"},
		},
	}, framework.Options{})
	if err != nil {
		panic(err)
	}
	return bot
}

func ExampleMermaid() {
	fmt.Print(diagram.Mermaid(shop().Graph()))
	// Output:
	// ---
	// title: "shop"
	// ---
	// stateDiagram-v2
	//     [*] --> menu
	//     state "menu" as menu
	//     state "refund" as refund {
	//         [*] --> refund__ask_order
	//         state "ask_order" as refund__ask_order
	//         state "confirm" as refund__confirm
	//     }
	//     state "any state (global)" as _global
	//     menu --> refund__ask_order : exact#58; 1 | 退货
	//     refund --> refund : fallback
	//     refund__ask_order --> refund__confirm : regex#58; (?P#60;order#62;\d#123;6,#125;)
	//     refund__confirm --> menu : exact#58; 是 [vars.order != #34;#34;]
	//     _global --> menu : keywords#58; 菜单
	//     classDef pseudo fill:#f4f4f4,stroke:#888,stroke-dasharray:4 3
	//     class _global pseudo
}

func ExampleDOT() {
	fmt.Print(diagram.DOT(shop().Graph()))
	// Output:
	// digraph "shop" {
	// 	compound=true;
	// 	rankdir=LR;
	// 	label="shop";
	// 	labelloc=t;
	// 	fontname="sans-serif";
	// 	node [shape=box, style=rounded, fontname="sans-serif"];
	// 	edge [fontname="sans-serif", fontsize=10];
	// 	"<start>" [shape=point, width=0.15, label=""];
	// 	"menu" [label="menu"];
	// 	subgraph "cluster_refund" {
	// 		label="refund";
	// 		style=rounded;
	// 		"refund" [shape=plaintext, label="refund", fontsize=9, fontcolor="#888888", width=0, height=0, margin=0.02];
	// 		"refund/<start>" [shape=point, width=0.12, label=""];
	// 		"refund/ask_order" [label="ask_order"];
	// 		"refund/confirm" [label="confirm"];
	// 	}
	// 	"<global>" [label="any state (global)", style="rounded,dashed"];
	// 	"<start>" -> "menu";
	// 	"refund/<start>" -> "refund/ask_order";
	// 	"menu" -> "refund" [label="exact: 1 | 退货", lhead="cluster_refund"];
	// 	"refund" -> "refund" [label="fallback", style=dashed];
	// 	"refund/ask_order" -> "refund/confirm" [label="regex: (?P<order>\\d{6,})"];
	// 	"refund/confirm" -> "menu" [label="exact: 是 [vars.order != \"\"]"];
	// 	"<global>" -> "menu" [label="keywords: 菜单", color="#888888"];
	// }
}
