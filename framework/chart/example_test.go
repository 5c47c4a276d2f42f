package chart_test

import (
	"context"
	"fmt"
	"strings"
	"testing/fstest"
	"time"

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

// A chart with nested states, a global transition, a guard on the hour, and
// a flow from a library that hands the room to a person and brings it back
// where it was. In a program the library is a folder, os.DirFS("statecharts"),
// or an embed.FS.
func ExampleLoader_Compile() {
	library := fstest.MapFS{"handoff.yaml": {Data: []byte(`
flow: handoff
params:
  open: 9
  close: 21
states:
  waiting:
    reply: 正在为您转接人工客服…
    on:
      - any: true
        if: hour < ${open} || hour >= ${close}
        reply: 现在是非工作时间（${open}:00–${close}:00），请稍后再来。
        to: history
      - exact: 结束人工
        to: history
    fallback: {}    # a person answers here, not the bot
`)}}

	l := chart.Loader{Flows: library}
	bot, err := l.Compile("shop.yaml", []byte(`
bot: shop
initial: menu
time_zone: Asia/Shanghai
global:
  - keywords: [转人工]
    to: handoff
states:
  menu:
    reply: 请选择：1 退款
    on:
      - exact: "1"
        to: refund
  refund:
    on_enter:
      set: {step: started}
    states:
      ask_order:
        reply: 请输入订单号
        on:
          - regex: '^(?P<order>\d{6,})$'
            reply: 订单 {{.Vars.order}} 已提交退款
            to: menu
  handoff:
    use: handoff
    with: {open: 10}
    history: true
    globals: false
`), framework.Options{
		// Guards see the time in the chart's time zone: 09:30 in Shanghai.
		Now: func() time.Time { return time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	state := ""
	for _, text := range []string{"1", "转人工", "在吗", "123456"} {
		res := bot.Run(context.Background(), &framework.Event{
			Type:    framework.MessageEvent,
			RoomID:  "room1",
			State:   state,
			Message: framework.Message{Text: text},
		})
		fmt.Printf("%s: %s -> %s\n", text, res.From, res.To)
		if res.Reply != nil {
			fmt.Println("  " + strings.ReplaceAll(res.Reply.Text, "\n", "\n  "))
		}
		state = res.To
	}
	// Output:
	// 1: menu -> refund/ask_order
	//   请输入订单号
	// 转人工: refund/ask_order -> handoff/waiting<refund/ask_order
	//   正在为您转接人工客服…
	// 在吗: handoff/waiting -> refund/ask_order
	//   现在是非工作时间（10:00–21:00），请稍后再来。
	//   请输入订单号
	// 123456: refund/ask_order -> menu
	//   订单 123456 已提交退款
	//   请选择：1 退款
}
