package statecharts

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/chart"
)

// The flows, each included by a small chart with parameters other than
// their defaults, as another bot would use them. (The FAQ bot's transcripts
// test them with their defaults, in bots/faq.)

// shop is a chart around the flows: a menu, and a state for each flow.
const shop = `bot: shop
initial: menu
time_zone: Asia/Shanghai
global:
  - exact: 售后
    to: after_sales
  - exact: 评价
    to: survey
  - exact: 下单
    to: order
  - exact: 周末客服
    to: weekend
  - exact: 菜单
    to: menu
states:
  menu:
    reply: 菜单
  after_sales:
    use: handoff
    history: true
    with:
      open: 10
      close: 18
      days: 1..5
      when: 工作日
      team: 售后专员
      recorded: "留言已记下：{{.Vars.message}}"
  weekend:
    use: handoff
    with:
      days: "[6, 7]"
      done: menu
  survey:
    use: csat
    history: true
    with:
      done: history
      thanks: "{{.Vars.rating}}分，谢谢"
  order:
    use: confirm
    with:
      question: 确认下单吗？
      yes: ordered
      no: menu
      reask: 请回答是或否
  ordered:
    reply: 已下单
`

// turn is one message and what must come of it.
type turn struct {
	state, text string
	to          string // the botState after it
	reply       string // the reply, "" for none
	vars        map[string]string
}

func play(t *testing.T, now time.Time, turns []turn) {
	t.Helper()
	bot, err := chart.Loader{Flows: FS}.Compile("shop.yaml", []byte(shop), framework.Options{
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:    func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	if w := bot.Warnings(); len(w) > 0 {
		t.Fatalf("warnings: %v", w)
	}
	for i, tc := range turns {
		res := bot.Run(context.Background(), &framework.Event{
			Type: framework.MessageEvent, RoomID: "r", State: tc.state,
			Sender: framework.Client{ID: "u"}, Message: framework.Message{ID: "m", Type: "text", Text: tc.text},
		})
		reply := ""
		if res.Reply != nil {
			reply = res.Reply.Text
		}
		if res.To != tc.to || reply != tc.reply || res.Err != nil {
			t.Errorf("turn %d, %q in %q: went to %q saying %q (error %v); want %q saying %q", i+1, tc.text, tc.state, res.To, reply, res.Err, tc.to, tc.reply)
		}
		for k, v := range tc.vars {
			if res.Vars[k] != v {
				t.Errorf("turn %d, %q in %q: vars.%s = %q, want %q", i+1, tc.text, tc.state, k, res.Vars[k], v)
			}
		}
	}
}

var shanghai = time.FixedZone("CST", 8*3600)

func TestHandoffFlow(t *testing.T) {
	ack := "好的，已为您转接售后专员，请稍候…\n售后专员在线时间为工作日10:00–18:00，非在线时间请直接留言（订单号和问题），客服上班后会第一时间回复您。\n人工服务结束后，回复「结束人工」即可回到智能客服。"
	t.Run("open: a Friday at 10:00", func(t *testing.T) {
		play(t, time.Date(2026, 11, 27, 10, 0, 0, 0, shanghai), []turn{
			{state: "menu", text: "售后", to: "after_sales/waiting<menu", reply: ack},
			{state: "after_sales/waiting<menu", text: "我的订单坏了", to: "after_sales/waiting<menu"},
			{state: "after_sales/waiting<menu", text: "取消", to: "after_sales/waiting<menu"},
			{state: "after_sales/waiting<menu", text: "菜单", to: "after_sales/waiting<menu"},
			{state: "after_sales/waiting<menu", text: "结束人工", to: "menu", reply: "人工服务已结束，感谢您的耐心等待～欢迎继续咨询智能客服小优。\n菜单"},
		})
	})
	t.Run("closed: a Friday at 18:00", func(t *testing.T) {
		play(t, time.Date(2026, 11, 27, 18, 0, 0, 0, shanghai), []turn{
			{state: "after_sales/waiting<menu", text: "订单 123 坏了", to: "menu", reply: "留言已记下：订单 123 坏了\n菜单", vars: map[string]string{"message": "订单 123 坏了"}},
			{state: "after_sales/waiting<menu", text: "取消", to: "menu", reply: "好的，已取消留言。\n菜单"},
		})
	})
	t.Run("closed: a Saturday at 11:00", func(t *testing.T) {
		play(t, time.Date(2026, 11, 28, 11, 0, 0, 0, shanghai), []turn{
			{state: "after_sales/waiting<menu", text: "在吗", to: "menu", reply: "留言已记下：在吗\n菜单"},
			// The weekend team, and done: menu without history.
			{state: "menu", text: "周末客服", to: "weekend/waiting", reply: "好的，已为您转接人工客服，请稍候…\n人工客服在线时间为每天9:00–22:00，非在线时间请直接留言（订单号和问题），客服上班后会第一时间回复您。\n人工服务结束后，回复「结束人工」即可回到智能客服。"},
			{state: "weekend/waiting", text: "在吗", to: "weekend/waiting"},
			{state: "weekend/waiting", text: "結束對話", to: "menu", reply: "人工服务已结束，感谢您的耐心等待～欢迎继续咨询智能客服小优。\n菜单"},
		})
	})
	t.Run("closed for the weekend team: a Monday at 11:00", func(t *testing.T) {
		play(t, time.Date(2026, 11, 30, 11, 0, 0, 0, shanghai), []turn{
			{state: "weekend/waiting", text: "在吗", to: "menu", reply: "已收到您的留言，客服上班后会第一时间联系您，请留意消息～\n菜单"},
		})
	})
}

func TestCSATFlow(t *testing.T) {
	question := "感谢您的咨询！请为小优本次的服务打分：\n5 非常满意　4 满意　3 一般　2 不满意　1 非常不满意\n回复数字即可，不想评价可以回复「跳过」。"
	play(t, time.Date(2026, 11, 27, 10, 0, 0, 0, shanghai), []turn{
		{state: "ordered", text: "评价", to: "survey/rate<ordered", reply: question},
		// done: history returns where the room was before the survey.
		{state: "survey/rate<ordered", text: "５", to: "ordered", reply: "5分，谢谢\n已下单", vars: map[string]string{"rating": "5"}},
		{state: "survey/rate<ordered", text: "⭐⭐⭐⭐", to: "ordered", reply: "4分，谢谢\n已下单", vars: map[string]string{"rating": "4"}},
		{state: "survey/rate<ordered", text: "还行。", to: "survey/comment<ordered", vars: map[string]string{"rating": "3"},
			reply: "很抱歉没能让您满意。能说说哪里需要改进吗？直接回复即可，不想说可以回复「跳过」。"},
		{state: "survey/rate<ordered", text: "二分", to: "survey/comment<ordered", vars: map[string]string{"rating": "2"},
			reply: "很抱歉没能让您满意。能说说哪里需要改进吗？直接回复即可，不想说可以回复「跳过」。"},
		{state: "survey/rate<ordered", text: "一星", to: "survey/comment<ordered", vars: map[string]string{"rating": "1"},
			reply: "很抱歉没能让您满意。能说说哪里需要改进吗？直接回复即可，不想说可以回复「跳过」。"},
		{state: "survey/comment<ordered", text: "评价", to: "ordered", vars: map[string]string{"comment": "评价"},
			reply: "感谢您的宝贵意见，我们会认真改进！祝您生活愉快，再见～\n已下单"},
		{state: "survey/comment<ordered", text: "不说了", to: "ordered", reply: "好的，感谢您的咨询，祝您生活愉快，再见～\n已下单"},
		{state: "survey/rate<ordered", text: "六", to: "survey/rate<ordered", reply: "请回复 1–5 的数字为本次服务打分（5 分为非常满意），或回复「跳过」。"},
		{state: "survey/rate<ordered", text: "菜单", to: "menu", reply: "菜单"},
	})
}

func TestConfirmFlow(t *testing.T) {
	play(t, time.Date(2026, 11, 27, 10, 0, 0, 0, shanghai), []turn{
		{state: "menu", text: "下单", to: "order/ask", reply: "确认下单吗？"},
		{state: "order/ask", text: "Yes!", to: "ordered", reply: "已下单"},
		{state: "order/ask", text: "没问题", to: "ordered", reply: "已下单"},
		{state: "order/ask", text: "ＯＫ", to: "ordered", reply: "已下单"},
		{state: "order/ask", text: "不要", to: "menu", reply: "菜单"},
		{state: "order/ask", text: "N", to: "menu", reply: "菜单"},
		{state: "order/ask", text: "不對", to: "menu", reply: "菜单"},
		{state: "order/ask", text: "再想想", to: "order/ask", reply: "请回答是或否\n确认下单吗？"},
		{state: "order/ask", text: "菜单", to: "menu", reply: "菜单"},
	})
}
