package framework

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"
)

// menuTopics are the keywords of a customer-service menu, one transition
// each, in the order a real menu lists them.
var menuTopics = []string{
	"营业时间", "门店地址", "会员", "积分", "优惠券",
	"发票", "配送", "运费", "尺码", "退款",
	"退货", "换货", "投诉", "人工客服", "价格",
}

func menuBot(b *testing.B) *Bot {
	menu := State{Name: "menu", Reply: Say("请问有什么可以帮您？")}
	states := []State{menu}
	for i, kw := range menuTopics {
		name := "topic" + strconv.Itoa(i)
		menu.On = append(menu.On, Transition{Match: Keywords(kw), To: name, Reply: Say("好的，关于" + kw + "：")})
		states = append(states, State{Name: name, Reply: Say("这是" + kw + "的说明。"), On: []Transition{{Match: Exact("返回"), To: "menu"}}})
	}
	menu.Fallback = &Transition{Reply: Say("没听懂，请换个说法")}
	states[0] = menu
	return mustNew(b, Chart{Name: "menu", RobotID: "bot1", Initial: "menu", States: states},
		Options{Rand: rand.New(rand.NewPCG(1, 2))})
}

// BenchmarkTurnKeyword is one turn of a menu of 15 keyword transitions whose
// Chinese text matches the 10th.
func BenchmarkTurnKeyword(b *testing.B) {
	bot := menuBot(b)
	ev := say("menu", "你好，我上周买的鞋子想申请退款，怎么操作？")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res := bot.Run(ctx, ev)
		if res.To != "topic9" {
			b.Fatalf("went to %q", res.To)
		}
	}
}

// BenchmarkTurnRegex is one turn whose regex captures an order number into a
// variable that the reply template prints.
func BenchmarkTurnRegex(b *testing.B) {
	bot := mustNew(b, Chart{Initial: "ask", States: []State{
		{Name: "ask", Reply: Say("请输入订单号"), On: []Transition{
			{Match: Exact("取消"), To: "done"},
			{Match: Regex(`(?P<order>\d{6,})`), To: "done", Reply: Say("订单 {{.Vars.order}} 已受理。")},
		}},
		{Name: "done", Reply: Say("还有什么可以帮您？")},
	}})
	ev := say("ask", "订单号是 ２０２４０６０１８８")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res := bot.Run(ctx, ev)
		if res.Vars["order"] != "2024060188" {
			b.Fatalf("vars %v", res.Vars)
		}
	}
}

// BenchmarkTurnSkipped is the cheapest turn: a message from a robot.
func BenchmarkTurnSkipped(b *testing.B) {
	bot := menuBot(b)
	ev := say("menu", "退款")
	ev.Sender.IsRobot = true
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		bot.Run(ctx, ev)
	}
}

func BenchmarkNormalize(b *testing.B) {
	inputs := []struct{ name, text string }{
		{"ascii", "/order 12345"},
		{"chinese", "你好，我上周买的鞋子想申请退款，怎么操作？"},
		{"mixed", "我想 Apply 退款 ！ 订单号 ＡＢ１２３"},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Normalize(in.text)
			}
		})
	}
}

// BenchmarkTurnHandler is a turn whose transition calls a Go handler, as a
// form step that saves a choice does.
func BenchmarkTurnHandler(b *testing.B) {
	save := func(_ context.Context, t *Turn) error { t.Set("saved", "yes"); return nil }
	bot := mustNew(b, Chart{Initial: "ask", States: []State{
		{Name: "ask", On: []Transition{{Match: Exact("小", "中", "大"), To: "done", Call: "save"}}},
		{Name: "done", Reply: Say("好的")},
	}}, Options{Handlers: map[string]Handler{"save": save}})
	ev := say("ask", "大")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if res := bot.Run(ctx, ev); res.Vars["saved"] != "yes" {
			b.Fatalf("vars %v", res.Vars)
		}
	}
}

// BenchmarkTurnSmallTalk is a question that passes over the small talk at the
// head of a chart's global list, as in statecharts/faq.yaml: keyword lists and
// two anchored regexes that fail, before the topic keyword that matches.
func BenchmarkTurnSmallTalk(b *testing.B) {
	bot := mustNew(b, Chart{Initial: "menu",
		Global: []Transition{
			{Match: Keywords("结束人工", "結束人工", "取消人工"), To: "menu"},
			{Match: Keywords("转人工", "轉人工", "人工客服", "找人工", "接人工", "人工服务", "人工服務", "真人客服", "联系客服", "聯繫客服", "聯絡客服", "投诉", "投訴"), To: "menu"},
			{Match: Keywords("菜单", "菜單", "選單"), To: "menu"},
			{Match: Keywords("再见", "再見", "拜拜", "结束对话", "結束對話"), To: "menu"},
			{Match: Regex(faqThanks), Reply: Say("不客气")},
			{Match: Regex(faqOK), Reply: Say("不客气")},
			{Match: Keywords("运费", "運費", "邮费", "郵費"), To: "shipping"},
		},
		States: []State{{Name: "menu"}, {Name: "shipping", Reply: Say("满99元包邮。")}},
	})
	ev := say("menu", "请问运费怎么算？")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if res := bot.Run(ctx, ev); res.To != "shipping" {
			b.Fatalf("went to %q", res.To)
		}
	}
}
