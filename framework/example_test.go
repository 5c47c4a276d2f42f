package framework_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// shop is the chart most examples run: a menu, a refund flow, a fallback.
func shop() framework.Chart {
	return framework.Chart{
		Name:    "shop",
		RobotID: "robot001",
		Initial: "menu",
		States: []framework.State{
			{
				Name:  "menu",
				Reply: framework.Say("请选择：1 退货 2 查订单"),
				On: []framework.Transition{
					{Event: framework.JoinRoom, Reply: framework.Say("{{.Sender.Nickname}}，您好！")},
					{Match: framework.Exact("1", "退货"), To: "refund"},
					{Match: framework.Keywords("订单"), Reply: framework.Say("订单请在 App 的「我的订单」里查看。")},
				},
				Fallback: &framework.Transition{Reply: framework.Say("请回复 1 或 2")},
			},
			{
				Name:  "refund",
				Reply: framework.Say("请输入订单号"),
				On: []framework.Transition{
					{Match: framework.Regex(`(?P<order>\d{6,})`), To: "menu",
						Reply: framework.Say("订单 {{.Vars.order}} 已提交退货。")},
					{Match: framework.Exact("取消"), To: "menu"},
				},
			},
		},
	}
}

// message is a text message from a customer in a room in state.
func message(state, text string) *framework.Event {
	return &framework.Event{
		Type:    framework.MessageEvent,
		RoomID:  "demo-room",
		State:   state,
		Sender:  framework.Client{ID: "sss", Nickname: "Desirae"},
		Message: framework.Message{Type: "text", Text: text},
	}
}

func show(res framework.Result) {
	reply := "(nothing)"
	if res.Reply != nil {
		reply = strings.ReplaceAll(res.Reply.Text, "\n", " / ")
	}
	fmt.Printf("%s → %s: %s\n", res.From, res.To, reply)
}

func ExampleNew() {
	bot, err := framework.New(shop(), framework.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bot.Name(), bot.Initial(), bot.States())
	// Output: shop menu [menu refund]
}

// New reports every problem of a chart at once, each with where it is and
// what to do about it.
func ExampleNew_chartError() {
	chart := framework.Chart{
		Initial: "start",
		States: []framework.State{{
			Name: "start",
			On: []framework.Transition{
				{Match: framework.Regex(`(?P<order>\d+`), Pos: framework.Pos{File: "shop.yaml", Line: 7, Col: 9}},
				{Match: framework.Keywords("退款"), To: "refnud", Call: "refund", Pos: framework.Pos{File: "shop.yaml", Line: 9, Col: 9}},
			},
		}},
	}
	_, err := framework.New(chart, framework.Options{})
	var ce *framework.ChartError
	if errors.As(err, &ce) {
		for _, p := range ce.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// shop.yaml:7:9: regex "(?P<order>\\d+" does not compile: error parsing regexp: missing closing ): `(?P<order>\d+`
	// shop.yaml:9:9: target "refnud" is not a state (use one of: start)
	// shop.yaml:9:9: handler "refund" is not registered (register it in Options.Handlers, or fix the name)
}

// A conversation is a series of turns; between them the room's state lives in
// the chat server, which sends it back as the next event's State.
func ExampleBot_Run() {
	bot, _ := framework.New(shop(), framework.Options{})
	ctx := context.Background()

	join := &framework.Event{Type: framework.JoinRoom, RoomID: "demo-room",
		Sender: framework.Client{ID: "sss", Nickname: "Desirae"}}
	res := bot.Run(ctx, join)
	show(res)

	for _, text := range []string{"在吗？", "退货！", "订单号是 ２０２４０６０１", "我的订单呢"} {
		res = bot.Run(ctx, message(res.To, text))
		show(res)
	}
	// Output:
	// menu → menu: Desirae，您好！
	// menu → menu: 请回复 1 或 2
	// menu → refund: 请输入订单号
	// refund → menu: 订单 20240601 已提交退货。 / 请选择：1 退货 2 查订单
	// menu → menu: 订单请在 App 的「我的订单」里查看。
}

// The chat server may send events that did not exist when the bot was
// written, and robots' messages come back to the robot: both are skipped,
// keeping the room's state.
func ExampleBot_Run_skipped() {
	bot, _ := framework.New(shop(), framework.Options{})
	ctx := context.Background()

	res := bot.Run(ctx, &framework.Event{Type: "MESSAGE_RECALLED", State: "refund"})
	fmt.Printf("%s, %q\n", res.To, res.Skipped)

	echo := message("refund", "请输入订单号")
	echo.Sender = framework.Client{ID: "robot001", Nickname: "客服", IsRobot: true}
	res = bot.Run(ctx, echo)
	fmt.Printf("%s, %q\n", res.To, res.Skipped)
	// Output:
	// refund, "unknown event"
	// refund, "robot sender"
}

// Handlers are Go code that transitions call by name. What they Set, the
// target state's reply prints; an error keeps the room in its state and says
// the chart's error reply.
func ExampleHandler() {
	stock := map[string]int{"a001": 3}
	chart := framework.Chart{
		Initial:    "ask",
		ErrorReply: framework.Say("查询失败，请稍后再试"),
		States: []framework.State{
			{Name: "ask", On: []framework.Transition{
				{Match: framework.Regex(`^(?P<sku>[a-z]\d{3})$`), To: "found", Call: "stock"},
			}},
			{Name: "found", Reply: framework.Say("{{.Vars.sku}} 还有 {{.Vars.n}} 件"), On: []framework.Transition{
				{Match: framework.AnyMessage(), To: "ask"},
			}},
		},
	}
	bot, _ := framework.New(chart, framework.Options{Handlers: map[string]framework.Handler{
		"stock": func(ctx context.Context, t *framework.Turn) error {
			n, ok := stock[t.Vars["sku"]]
			if !ok {
				return fmt.Errorf("no SKU %q", t.Vars["sku"])
			}
			t.Set("n", fmt.Sprint(n))
			return nil
		},
	}})
	for _, text := range []string{"A001", "B002"} {
		res := bot.Run(context.Background(), message("ask", text))
		fmt.Printf("%s (err: %v)\n", res.Reply.Text, res.Err)
	}
	// Output:
	// a001 还有 3 件 (err: <nil>)
	// 查询失败，请稍后再试 (err: handler "stock": no SKU "b002")
}

func ExampleNormalize() {
	for _, s := range []string{
		"ＡＢＣ１２３，！",
		"  Hello   World ",
		"退 货  政策",
		"我想 apply 退款 ！",
		"退貨",
	} {
		fmt.Printf("%q\n", framework.Normalize(s))
	}
	// Output:
	// "abc123,!"
	// "hello world"
	// "退货政策"
	// "我想apply退款!"
	// "退貨"
}

// matches runs a transition with pattern m over each text and prints whether
// it fired and the variables it set.
func matches(m framework.Match, texts ...string) {
	bot, err := framework.New(framework.Chart{Initial: "s", States: []framework.State{
		{Name: "s", On: []framework.Transition{{Match: m, Reply: framework.Say("ok")}}},
	}}, framework.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, text := range texts {
		res := bot.Run(context.Background(), message("s", text))
		switch {
		case res.Skipped != "":
			fmt.Println("no match:", text)
		case len(res.Vars) > 0:
			fmt.Println("match:   ", text, res.Vars)
		default:
			fmt.Println("match:   ", text)
		}
	}
}

func ExampleExact() {
	matches(framework.Exact("1", "退货"), "退货！", "１。", "我要退货", "12")
	// Output:
	// match:    退货！
	// match:    １。
	// no match: 我要退货
	// no match: 12
}

func ExampleKeywords() {
	matches(framework.Keywords("退款", "vip"), "我想申请退款可以吗", "我是ＶＩＰ会员", "退貨")
	// Output:
	// match:    我想申请退款可以吗
	// match:    我是ＶＩＰ会员
	// no match: 退貨
}

func ExampleAllOf() {
	matches(framework.AllOf("退款", "订单"), "这个订单怎么退款", "怎么退款")
	// Output:
	// match:    这个订单怎么退款
	// no match: 怎么退款
}

func ExampleRegex() {
	matches(framework.Regex(`订单号?(?P<order>\d{6,})`), "订单号 １２３４５６７", "订单 123")
	// Output:
	// match:    订单号 １２３４５６７ map[order:1234567]
	// no match: 订单 123
}

func ExampleCommand() {
	matches(framework.Command("/order"), "/order 12345", "/order 退款", "／ORDER", "/orders")
	// Output:
	// match:    /order 12345 map[args:12345]
	// match:    /order 退款 map[args:退款]
	// match:    ／ORDER
	// no match: /orders
}

// A Reply with several variants says one at random; a seeded Options.Rand
// makes the choice repeatable.
func ExampleSay() {
	chart := framework.Chart{Initial: "s", States: []framework.State{
		{Name: "s", On: []framework.Transition{
			{Match: framework.AnyMessage(), Reply: framework.Say("您好！", "你好呀～", "欢迎光临！")},
		}},
	}}
	bot, _ := framework.New(chart, framework.Options{Rand: rand.New(rand.NewPCG(1, 2))})
	for range 3 {
		res := bot.Run(context.Background(), message("s", "hi"))
		fmt.Println(res.Reply.Text)
	}
	// Output:
	// 欢迎光临！
	// 你好呀～
	// 欢迎光临！
}

// Send replies with media; a media message wins over text said in the same
// turn, since the chat server takes one message per answer.
func ExampleSend() {
	chart := framework.Chart{Initial: "s", States: []framework.State{
		{Name: "s", On: []framework.Transition{
			{Match: framework.Keywords("菜单"), Reply: framework.Send(framework.Message{
				Type: "image", OriginalURL: "https://cdn.example.com/menu.png",
			})},
		}},
	}}
	bot, _ := framework.New(chart, framework.Options{})
	res := bot.Run(context.Background(), message("s", "看看菜单"))
	fmt.Println(res.Reply.Type, res.Reply.OriginalURL)
	// Output: image https://cdn.example.com/menu.png
}

// Rooms keep their botState across deploys: list a renamed state's old name
// in Aliases so that rooms in it carry on, and set UnknownState for rooms in
// states that were removed.
func ExampleState_aliases() {
	chart := shop()
	chart.States[1].Name = "return"              // was "refund"
	chart.States[1].Aliases = []string{"refund"} // rooms still in "refund" carry on
	chart.States[0].On[1].To = "return"          // targets use the new name
	chart.UnknownState = "menu"                  // rooms in removed states restart
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // keep the output stable
			}
			return a
		},
	}))
	bot, _ := framework.New(chart, framework.Options{Logger: logger})

	show(bot.Run(context.Background(), message("refund", "123456")))
	show(bot.Run(context.Background(), message("survey", "5")))
	// Output:
	// return → menu: 订单 123456 已提交退货。 / 请选择：1 退货 2 查订单
	// level=WARN msg="unknown botState, continuing in the configured state" botState=survey state=menu bot=shop
	// menu → menu: 请回复 1 或 2
}
