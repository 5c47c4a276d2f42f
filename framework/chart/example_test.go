package chart_test

import (
	"context"
	"fmt"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/chart"
)

func ExampleParse() {
	c, err := chart.Parse("faq.yaml", []byte(`
bot: faq
initial: start
states:
  start:
    reply: 你好！回复「菜单」看看我能做什么。
    on:
      - exact: 菜单
        to: menu
  menu:
    reply: 1. 退货政策  2. 发票
    on:
      - keywords: [退货, 退款]
        reply: 七天无理由退货。
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range c.States {
		fmt.Printf("%s (%s)\n", s.Name, s.Pos)
		for _, t := range s.On {
			fmt.Printf("  %s -> %q\n", t.Match, t.To)
		}
	}
	// Output:
	// start (faq.yaml:5:3)
	//   exact: 菜单 -> "menu"
	// menu (faq.yaml:10:3)
	//   keywords: 退货 | 退款 -> ""
}

// Every problem of a chart is reported at once, with where it is and what to
// do about it.
func ExampleParse_errors() {
	_, err := chart.Parse("faq.yaml", []byte(`
bot: faq
inital: start
states:
  start:
    repy: 你好
    on:
      - exact: 菜单
        keywords: 菜单
`))
	fmt.Println(err)
	// Output:
	// faq.yaml:3:1: unknown key "inital" in the chart (did you mean initial?)
	// faq.yaml:6:5: unknown key "repy" in state "start" (did you mean reply?)
	// faq.yaml:9:9: transition 1 of state "start" has two patterns, exact and keywords (keep one pattern per transition, and write a second transition for keywords:)
}

func ExampleCompile() {
	bot, err := chart.Compile("orders.yaml", []byte(`
bot: orders
initial: start
states:
  start:
    on:
      - regex: '订单号?(?P<order>\d{6,})'
        call: lookup_order
        to: order
  order:
    reply: "订单 {{.Vars.order}}：{{.Vars.status}}。还有什么可以帮您？"
    on:
      - exact: 没有了
        to: start
`), framework.Options{Handlers: map[string]framework.Handler{
		"lookup_order": func(ctx context.Context, t *framework.Turn) error {
			t.Set("status", "已发货")
			return nil
		},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	res := bot.Run(context.Background(), &framework.Event{
		Type:    framework.MessageEvent,
		RoomID:  "room1",
		Message: framework.Message{Text: "查一下订单号 123456"},
	})
	fmt.Println(res.From, "->", res.To)
	fmt.Println(res.Reply.Text)
	// Output:
	// start -> order
	// 订单 123456：已发货。还有什么可以帮您？
}
