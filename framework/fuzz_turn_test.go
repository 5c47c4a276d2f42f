package framework_test

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
)

// errFuzzHandler and fuzzPanic are what the fuzz chart's handlers fail
// with: the only errors a turn may report.
var (
	errFuzzHandler = errors.New("handler failed on purpose")
	fuzzPanic      = "handler panicked on purpose"
)

// fuzzChart nests states three deep, with History states, a form of six
// typed slots with a confirmation, regular expressions with captures,
// expression and Go guards, global transitions and a state that opts out of
// them, aliases, an unknown-state target, and handlers that fail and panic.
func fuzzChart() framework.Chart {
	say := framework.Say
	return framework.Chart{
		Name: "fuzz", RobotID: "robot", Initial: "start", UnknownState: "menu", TimeZone: "Asia/Shanghai",
		ErrorReply: say("出错了 {{.Sender.Nickname}}"),
		Global: []framework.Transition{
			{Match: framework.Keywords("人工", "human"), To: "handoff"},
			{Match: framework.Exact("菜单", "menu"), To: "menu"},
			{Event: framework.JoinRoom, To: "menu", Reply: say("欢迎 {{.Sender.Nickname}}")},
			{Event: framework.AddMembers, Match: framework.RobotAdded(), To: "menu"},
		},
		Fallback: &framework.Transition{Reply: say("没听懂：{{.Text}}")},
		States: []framework.State{
			{Name: "start", On: []framework.Transition{{Match: framework.AnyMessage(), To: "menu"}}},
			{Name: "menu", Aliases: []string{"home", "old/menu"}, Reply: say("菜单", "请选择"), On: []framework.Transition{
				{Match: framework.Exact("1", "退款"), To: "refund"},
				{Match: framework.Regex(`订单\s*(?P<order>\d{4,})`), To: "orders/show", Set: []framework.Assign{{Name: "seen", Value: "{{.Vars.order}}"}}},
				{Match: framework.Command("vip"), If: `sender.nickname == "VIP" || vars.vip != ""`, To: "vip"},
				{Match: framework.Keywords("时间"), If: `hour >= 9 && hour < 21 && weekday <= 5`, Reply: say("在线 {{.Vars.x}}")},
				{Match: framework.Keywords("时间"), Reply: say("下班了")},
				{Match: framework.Exact("boom"), Call: "fail"},
				{Match: framework.Exact("panic"), Call: "panic"},
				{Match: framework.AllOf("查", "物流"), Guard: "even", To: "orders"},
				{Match: framework.MessageType("image", "sticker"), Reply: say("收到 {{.Event.Message.Type}}")},
				{Event: framework.DeleteMembers, Reply: say("再见")},
			}},
			{Name: "orders", History: true, Initial: "ask", On: []framework.Transition{
				{Match: framework.Exact("back", "返回上一步"), To: framework.History},
				{Match: framework.Regex(`(?i)^cancel|取消$`), To: "menu", Call: "note"},
			}, States: []framework.State{
				{Name: "ask", Reply: say("订单号？"), On: []framework.Transition{
					{Match: framework.Regex(`^(?P<order>\d{6,12})$`), If: `len(vars.order) >= 6`, To: "show"},
					{Match: framework.Regex(`(?P<a>\p{Han}+)(?P<b>\d*)`), Set: []framework.Assign{{Name: "x", Value: "{{.Vars.a}}-{{.Vars.b}}"}}},
				}},
				{Name: "show", Reply: say("订单 {{.Vars.order}}"), On: []framework.Transition{
					{Match: framework.Exact("再查"), To: "ask"},
					{Match: framework.Keywords("退款"), To: "refund"},
				}},
				{Name: "deep", Initial: "inner", States: []framework.State{
					{Name: "inner", Aliases: []string{"legacy"}, On: []framework.Transition{{Match: framework.AnyMessage(), To: "orders/show"}}},
				}},
			}},
			{Name: "refund", Form: &framework.Form{
				Slots: []framework.Slot{
					{Name: "order", Ask: say("订单号？"), Type: framework.SlotRegex, Pattern: `(?P<order>\d{8})`, Invalid: say("8位数字")},
					{Name: "phone", Ask: say("手机？"), Type: framework.SlotPhone, MaxAttempts: 2},
					{Name: "reason", Ask: say("原因？"), Type: framework.SlotChoice, Choices: []framework.Choice{
						{Value: "质量问题", Synonyms: []string{"坏了"}}, {Value: "不想要了"},
					}},
					{Name: "day", Ask: say("哪天？"), Type: framework.SlotDate},
					{Name: "email", Ask: say("邮箱？"), Type: framework.SlotEmail, OnFail: &framework.Transition{To: "menu", Reply: say("算了")}},
					{Name: "count", Ask: say("几件？"), Type: framework.SlotNumber},
				},
				Confirm:    say("{{.Vars.order}} {{.Vars.phone}} {{.Vars.reason}} {{.Vars.day}} {{.Vars.email}} {{.Vars.count}}，确认？"),
				OnCancel:   framework.Transition{To: "menu", Reply: say("已取消")},
				OnComplete: framework.Transition{To: "menu", Call: "note", Reply: say("已提交")},
				OnFail:     framework.Transition{To: "handoff", Reply: say("转人工")},
			}},
			{Name: "handoff", History: true, NoGlobals: true, States: []framework.State{
				{Name: "waiting", Reply: say("请稍候"), On: []framework.Transition{
					{Match: framework.Keywords("结束"), To: framework.History},
					{Match: framework.Exact("boom"), Call: "fail"},
				}, Fallback: &framework.Transition{}},
			}},
			{Name: "vip", OnEnter: framework.Action{Set: []framework.Assign{{Name: "vip", Value: "1"}}, Reply: say("VIP {{.Vars.vip}}")},
				On: []framework.Transition{{Match: framework.AnyMessage(), To: "menu"}}},
		},
	}
}

var fuzzBot = sync.OnceValues(func() (*framework.Bot, error) {
	return framework.New(fuzzChart(), framework.Options{
		Logger: slog.New(slog.DiscardHandler),
		Now:    func() time.Time { return time.Date(2026, 11, 27, 10, 30, 0, 0, time.UTC) },
		Handlers: map[string]framework.Handler{
			"fail":  func(context.Context, *framework.Turn) error { return errFuzzHandler },
			"panic": func(context.Context, *framework.Turn) error { panic(fuzzPanic) },
			"note":  func(_ context.Context, t *framework.Turn) error { t.Set("noted", t.Text); return nil },
		},
		Guards: map[string]framework.Guard{"even": func(t *framework.Turn) bool { return len(t.Text)%2 == 0 }},
	})
})

// fuzzEvent builds the turn's event: kind's low three bits choose the
// event (mostly MESSAGE, and one the chat server does not send), its other
// bits the sender and the message type.
func fuzzEvent(state, text string, kind byte) *framework.Event {
	types := []framework.EventType{framework.MessageEvent, framework.MessageEvent, framework.MessageEvent, framework.MessageEvent,
		framework.JoinRoom, framework.AddMembers, framework.DeleteMembers, "SOMETHING_NEW"}
	sender := framework.Client{ID: "u1", Nickname: "小明", IsRobot: kind&0x08 != 0}
	if kind&0x20 != 0 {
		sender.Nickname = "VIP"
	}
	ev := &framework.Event{AppID: "app", RoomID: "room", Room: "room", Type: types[kind&0x07], State: state, Sender: sender}
	switch ev.Type {
	case framework.MessageEvent:
		ev.Message = framework.Message{ID: "m", Type: "text", Text: text}
		if kind&0x10 != 0 {
			ev.Message.Type = "image"
		}
	case framework.AddMembers:
		ev.Members = []framework.Client{{ID: "robot", IsRobot: true}}
	default:
		ev.Members = []framework.Client{sender}
	}
	return ev
}

// checkResult fails t unless res is a Result a turn may return. given is
// the botState the turn started from, text its message's text.
func checkResult(t *testing.T, leaves map[string]bool, given, text string, res framework.Result) {
	t.Helper()
	if !leaves[res.From] {
		t.Fatalf("From %q is not a leaf (botState %q)", res.From, given)
	}
	path, hist, hasHist := strings.Cut(res.To, framework.HistorySeparator)
	if !leaves[path] {
		t.Fatalf("To %q: %q is not a leaf (botState %q)", res.To, path, given)
	}
	// The remembered path is always a leaf: Run forgets one it does not know.
	if hasHist && !leaves[hist] {
		t.Fatalf("To %q: the remembered %q is not a leaf (botState %q)", res.To, hist, given)
	}
	if !utf8.ValidString(res.To) && utf8.ValidString(given) {
		t.Fatalf("To %q is not UTF-8", res.To)
	}
	if res.Err != nil {
		var p *framework.PanicError
		if !errors.Is(res.Err, errFuzzHandler) && !(errors.As(res.Err, &p) && p.Value == fuzzPanic) {
			t.Fatalf("Err %v (%T) comes from no handler (botState %q)", res.Err, res.Err, given)
		}
		if res.Reply == nil || !strings.HasPrefix(res.Reply.Text, "出错了") {
			t.Fatalf("a failed turn answers %v, not the error reply", res.Reply)
		}
		if path != res.From {
			t.Fatalf("a failed turn moved from %q to %q", res.From, res.To)
		}
	}
	if res.Skipped != "" && res.Transition != "" {
		t.Fatalf("skipped (%s), yet transition %q fired", res.Skipped, res.Transition)
	}
	// Replies may echo the text ({{.Text}}); the chart's own words are UTF-8.
	if res.Reply != nil && !utf8.ValidString(res.Reply.Text) && utf8.ValidString(text) {
		t.Fatalf("reply %q is not UTF-8", res.Reply.Text)
	}
}

// FuzzTurn runs turns of a nested chart from any botState (a leaf, a
// compound state, an alias, a path remembering another with "<", junk) and
// any text, as any event: Run never panics, From and To are always leaves
// of the chart (To with "<" and a leaf it remembers), and a turn fails only
// when a handler did, answering the error reply with the state kept. A
// second turn starts from the first one's To; Explain, which calls no
// handler, obeys the same rules.
//
//	go test ./framework -run '^$' -fuzz FuzzTurn -fuzztime 60s
func FuzzTurn(f *testing.F) {
	bot, err := fuzzBot()
	if err != nil {
		f.Fatal(err)
	}
	leaves := map[string]bool{}
	for _, s := range bot.States() {
		leaves[s] = true
	}
	for _, seed := range []struct {
		state, text, text2 string
		kind               byte
	}{
		{"", "你好", "1", 0},
		{"menu", "订单 20240601", "返回上一步", 0},
		{"orders/show<menu", "back", "再查", 0},
		{"refund/ask_order", "12345678", "13812345678", 0},
		{"refund/ask_phone", "不是手机", "还不是", 0},
		{"refund/confirm", "是的", "", 0},
		{"handoff/waiting<orders/ask", "结束", "boom", 0},
		{"handoff<refund/ask_reason", "panic", "结束", 0},
		{"home", "/vip", "x", 0x20},
		{"legacy", "anything", "退款", 0},
		{"nowhere<also/nowhere", "时间", "", 0},
		{"menu<", "<", "<<", 0},
		{"orders", "查物流", "查 物流！", 0},
		{"menu", "", "", 4},
		{"menu", "", "", 5},
		{"menu", "", "", 6},
		{"menu", "", "", 7},
		{"menu", "人工", "", 0x08},
		{"menu", "", "", 0x10},
		{"\xff\xfe", "\xff", "\x00", 0xff},
	} {
		f.Add(seed.state, seed.text, seed.text2, seed.kind)
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, state, text, text2 string, kind byte) {
		res := bot.Run(ctx, fuzzEvent(state, text, kind))
		checkResult(t, leaves, state, text, res)

		next := bot.Run(ctx, fuzzEvent(res.To, text2, kind>>1))
		checkResult(t, leaves, res.To, text2, next)

		explained := bot.Explain(ctx, fuzzEvent(state, text, kind))
		checkResult(t, leaves, state, text, explained)
		if explained.Trace == nil {
			t.Fatal("Explain gave no trace")
		}
		if !slices.ContainsFunc(explained.Trace.Candidates, func(c framework.Candidate) bool { return c.Outcome == framework.OutcomeFired }) && explained.Transition != "" {
			t.Fatalf("transition %q fired, and the trace lists no candidate that did", explained.Transition)
		}
	})
}
