// Command crashbot is a bot for TestCrashSafety: a form of three slots,
// written in Go, served by the shared command line.
package main

import (
	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/cli"
)

func chart() (framework.Chart, error) {
	return framework.Chart{
		Name:    "crashbot",
		RobotID: "crashbot",
		Initial: "menu",
		States: []framework.State{
			{Name: "menu", Reply: framework.Say("菜单：回复「下单」"), On: []framework.Transition{
				{Match: framework.Exact("下单"), To: "order"},
			}},
			{Name: "order", Form: &framework.Form{
				Slots: []framework.Slot{
					{Name: "item", Ask: framework.Say("买什么？"), Type: framework.SlotText},
					{Name: "qty", Ask: framework.Say("几件？"), Type: framework.SlotInteger},
					{Name: "phone", Ask: framework.Say("手机号？"), Type: framework.SlotPhone},
				},
				OnComplete: framework.Transition{To: "menu", Reply: framework.Say("已下单：{{.Vars.item}} × {{.Vars.qty}}，手机 {{.Vars.phone}}")},
			}},
		},
	}, nil
}

func main() {
	cli.Main(cli.App{Name: "crashbot", Build: chart})
}
