package framework

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shopChart is a small customer-service bot: a menu, a refund flow that asks
// for an order number, and fallbacks.
func shopChart() Chart {
	return Chart{
		Name:    "shop",
		RobotID: "bot1",
		Initial: "menu",
		States: []State{
			{
				Name:    "menu",
				Aliases: []string{"main", "home"},
				Reply:   Say("请选择：1 退货 2 订单"),
				On: []Transition{
					{Event: JoinRoom, Reply: Say("欢迎，{{.Sender.Nickname}}！")},
					{Match: Exact("1", "退货"), To: "refund", Reply: Say("好的，我们来办理退货。")},
					{Match: Keywords("订单"), To: "order"},
					{Match: Command("/menu"), To: "menu"},
					{Match: Keywords("在吗"), Reply: Say("在的")},
				},
				Fallback: &Transition{Reply: Say("请回复 1 或 2")},
			},
			{
				Name:  "refund",
				Reply: Say("请输入订单号"),
				On: []Transition{
					{Match: Regex(`(?P<order>\d{6,})`), To: "menu", Reply: Say("订单 {{.Vars.order}} 已受理。")},
					{Match: Exact("取消"), To: "menu"},
				},
			},
			{
				Name:  "order",
				Reply: Say("订单查询中"),
				On:    []Transition{{Match: Exact("返回"), To: "menu"}},
			},
			{Name: "lost", Reply: Say("我们从头开始吧")},
		},
		Fallback: &Transition{Reply: Say("没听懂，输入 /menu 回到菜单")},
	}
}

func TestStateResolution(t *testing.T) {
	tests := []struct {
		name      string
		unknown   string // Chart.UnknownState
		botState  string
		wantFrom  string
		wantWarn  bool
		wantReply string
	}{
		{name: "empty botState is the initial state", botState: "", wantFrom: "menu", wantReply: "在的"},
		{name: "a state's name", botState: "order", wantFrom: "order", wantReply: "没听懂，输入 /menu 回到菜单"},
		{name: "an alias is the aliased state", botState: "main", wantFrom: "menu", wantReply: "在的"},
		{name: "another alias", botState: "home", wantFrom: "menu", wantReply: "在的"},
		{name: "unknown state resets to initial", botState: "gone", wantFrom: "menu", wantWarn: true, wantReply: "在的"},
		{name: "unknown state goes to UnknownState", unknown: "lost", botState: "gone", wantFrom: "lost", wantWarn: true,
			wantReply: "没听懂，输入 /menu 回到菜单"},
		{name: "names are case sensitive", botState: "MENU", wantFrom: "menu", wantWarn: true, wantReply: "在的"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := shopChart()
			c.UnknownState = tt.unknown
			logger, logs := capture()
			bot := mustNew(t, c, Options{Logger: logger})

			res := bot.Run(context.Background(), say(tt.botState, "在吗"))
			require.NoError(t, res.Err)
			assert.Equal(t, tt.wantFrom, res.From)
			assert.Equal(t, tt.wantReply, replyText(res))
			// The reply's toBotState is always a real state's name, so a room
			// in an aliased or unknown state is migrated by its next turn.
			assert.Contains(t, bot.States(), res.To)

			if tt.wantWarn {
				assert.Contains(t, logs.String(), "level=WARN")
				assert.Contains(t, logs.String(), "unknown botState")
				assert.Contains(t, logs.String(), "botState="+tt.botState)
				assert.Contains(t, logs.String(), "state="+tt.wantFrom)
				assert.Contains(t, logs.String(), "bot=shop")
			} else {
				assert.Empty(t, logs.String())
			}
		})
	}
}

func TestUnknownEventType(t *testing.T) {
	bot := mustNew(t, shopChart())
	for _, state := range []string{"", "refund", "main"} {
		ev := event("MESSAGE_RECALLED", state)
		ev.Message.Text = "1"
		res := bot.Run(context.Background(), ev)
		assert.NoError(t, res.Err)
		assert.Equal(t, "unknown event", res.Skipped)
		assert.Nil(t, res.Reply)
		assert.Empty(t, res.Transition)
		assert.Equal(t, res.From, res.To, "the state is kept")
	}
}

func TestKnownEventWithoutTransition(t *testing.T) {
	bot := mustNew(t, shopChart())
	for _, typ := range []EventType{AddMembers, DeleteMembers} {
		res := bot.Run(context.Background(), event(typ, "menu", customer))
		assert.Equal(t, "no match", res.Skipped, "%s has no transition and fallbacks answer messages only", typ)
		assert.Nil(t, res.Reply)
		assert.Equal(t, "menu", res.To)
	}
	// JOIN_ROOM has one in menu but not in refund.
	res := bot.Run(context.Background(), event(JoinRoom, "", customer))
	assert.Equal(t, "欢迎，小明！", replyText(res))
	assert.Equal(t, "menu", res.To)
	res = bot.Run(context.Background(), event(JoinRoom, "refund", customer))
	assert.Equal(t, "no match", res.Skipped)
}

func TestRobotSenders(t *testing.T) {
	tests := []struct {
		name         string
		sender       Client
		optsRobotID  string
		answerRobots bool
		wantSkipped  bool
	}{
		{name: "a person", sender: customer},
		{name: "flagged robot", sender: Client{ID: "r9", IsRobot: true}, wantSkipped: true},
		{name: "this robot, by ID, even unflagged", sender: Client{ID: "bot1"}, wantSkipped: true},
		{name: "robot ID from Options", sender: Client{ID: "bot7"}, optsRobotID: "bot7", wantSkipped: true},
		{name: "Options robot ID replaces the chart's", sender: Client{ID: "bot1"}, optsRobotID: "bot7"},
		{name: "flagged robot with AnswerRobots", sender: Client{ID: "r9", IsRobot: true}, answerRobots: true},
		{name: "this robot with AnswerRobots", sender: Client{ID: "bot1", IsRobot: true}, answerRobots: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := shopChart()
			c.AnswerRobots = tt.answerRobots
			bot := mustNew(t, c, Options{RobotID: tt.optsRobotID})
			ev := say("refund", "取消")
			ev.Sender = tt.sender
			res := bot.Run(context.Background(), ev)
			require.NoError(t, res.Err)
			if tt.wantSkipped {
				assert.Equal(t, "robot sender", res.Skipped)
				assert.Nil(t, res.Reply)
				assert.Equal(t, "refund", res.To)
				assert.Empty(t, res.Transition)
			} else {
				assert.Empty(t, res.Skipped)
				assert.Equal(t, "menu", res.To)
				assert.Equal(t, "请选择：1 退货 2 订单", replyText(res))
			}
		})
	}
}

func TestFirstMatchingTransitionWins(t *testing.T) {
	bot := mustNew(t, Chart{Initial: "s", States: []State{
		{Name: "s", On: []Transition{
			{Match: Keywords("退"), To: "a"},
			{Match: Exact("退货"), To: "b"}, // never reached for 退货: declared after a broader match
			{Match: Exact("换货"), To: "b"},
			{Match: Keywords("货"), To: "c"},
		}},
		{Name: "a"}, {Name: "b"}, {Name: "c"},
	}})
	tests := []struct{ text, to, id string }{
		{"退货", "a", "s#0"},
		{"换货", "b", "s#2"},
		{"到货了吗", "c", "s#3"},
	}
	for _, tt := range tests {
		res := bot.Run(context.Background(), say("s", tt.text))
		assert.Equal(t, tt.to, res.To, tt.text)
		assert.Equal(t, tt.id, res.Transition, tt.text)
	}
}

func TestFallbacks(t *testing.T) {
	c := shopChart()
	c.States = append(c.States, State{
		Name:     "survey",
		Fallback: &Transition{Match: Regex(`^\d$`), Reply: Say("谢谢评分"), To: "menu"},
	})
	bot := mustNew(t, c)
	c = shopChart()
	c.Fallback = &Transition{Match: Regex(`^[a-z ]+$`), Reply: Say("请说中文")}
	patterned := mustNew(t, c)
	tests := []struct {
		name                 string
		bot                  *Bot
		state, text          string
		wantTo, wantID       string
		wantReply, wantSkips string
	}{
		{name: "state fallback", state: "menu", text: "随便", wantTo: "menu", wantID: "menu#fallback", wantReply: "请回复 1 或 2"},
		{name: "bot-wide fallback where the state has none", state: "order", text: "随便", wantTo: "order", wantID: "*#fallback",
			wantReply: "没听懂，输入 /menu 回到菜单"},
		{name: "a transition beats the fallback", state: "menu", text: "1", wantTo: "refund", wantID: "menu#1",
			wantReply: "好的，我们来办理退货。\n请输入订单号"},
		{name: "a fallback with a pattern and a target", state: "survey", text: "5", wantTo: "menu", wantID: "survey#fallback",
			wantReply: "谢谢评分\n请选择：1 退货 2 订单"},
		{name: "a state fallback whose pattern does not match defers to the bot's", state: "survey", text: "很好",
			wantTo: "survey", wantID: "*#fallback", wantReply: "没听懂，输入 /menu 回到菜单"},
		{name: "a bot-wide fallback with a pattern", bot: patterned, state: "order", text: "hi", wantTo: "order", wantID: "*#fallback",
			wantReply: "请说中文"},
		{name: "a bot-wide fallback whose pattern does not match", bot: patterned, state: "order", text: "你好",
			wantTo: "order", wantSkips: "no match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot := bot
			if tt.bot != nil {
				bot = tt.bot
			}
			res := bot.Run(context.Background(), say(tt.state, tt.text))
			require.NoError(t, res.Err)
			assert.Equal(t, tt.wantTo, res.To)
			assert.Equal(t, tt.wantID, res.Transition)
			assert.Equal(t, tt.wantReply, replyText(res))
			assert.Equal(t, tt.wantSkips, res.Skipped)
		})
	}
}

func TestNoMatchNoFallback(t *testing.T) {
	c := shopChart()
	c.Fallback = nil
	bot := mustNew(t, c)
	res := bot.Run(context.Background(), say("refund", "我不知道"))
	assert.NoError(t, res.Err)
	assert.Equal(t, "no match", res.Skipped)
	assert.Equal(t, "refund", res.From)
	assert.Equal(t, "refund", res.To)
	assert.Nil(t, res.Reply)
	assert.Empty(t, res.Transition)
}

func TestStayAndReenter(t *testing.T) {
	bot := mustNew(t, Chart{Initial: "ask", States: []State{{
		Name:  "ask",
		Reply: Say("请问您的手机号？"),
		On: []Transition{
			{Match: Exact("stay"), Reply: Say("好")},                        // To empty: stay silently
			{Match: Exact("stay quiet")},                                   // To empty, no reply at all
			{Match: Exact("again"), To: "ask"},                             // re-prompt
			{Match: Exact("again please"), To: "ask", Reply: Say("再说一遍：")}, // reply, then re-prompt
		},
	}}})
	tests := []struct {
		text      string
		wantReply string
		wantNil   bool
	}{
		{text: "stay", wantReply: "好"},
		{text: "stay quiet", wantNil: true},
		{text: "again", wantReply: "请问您的手机号？"},
		{text: "again please", wantReply: "再说一遍：\n请问您的手机号？"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			res := bot.Run(context.Background(), say("ask", tt.text))
			require.NoError(t, res.Err, "looplab/fsm's NoTransitionError is success")
			assert.Equal(t, "ask", res.To)
			assert.NotEmpty(t, res.Transition)
			assert.Empty(t, res.Skipped)
			if tt.wantNil {
				assert.Nil(t, res.Reply)
			} else {
				assert.Equal(t, tt.wantReply, replyText(res))
			}
		})
	}
}

func TestRepliesCompose(t *testing.T) {
	image := Message{Type: "image", OriginalURL: "https://cdn.example.com/menu.png", ThumbnailURL: "https://cdn.example.com/menu-s.png"}
	handlers := map[string]Handler{
		"note": func(_ context.Context, t *Turn) error { t.Say("（处理中）"); return nil },
		"pic":  func(_ context.Context, t *Turn) error { t.Reply(Message{Type: "sticker", Sticker: "ok"}); return nil },
	}
	bot := mustNew(t, Chart{Initial: "a", States: []State{
		{Name: "a", On: []Transition{
			{Match: Exact("text"), To: "b", Reply: Say("一")},
			{Match: Exact("handler"), To: "b", Reply: Say("一"), Call: "note"},
			{Match: Exact("image then text"), To: "b", Reply: Send(image)},
			{Match: Exact("text then image"), To: "c", Reply: Say("一")},
			{Match: Exact("two media"), To: "c", Call: "pic"},
		}},
		{Name: "b", Reply: Say("二")},
		{Name: "c", Reply: Send(image)},
	}}, Options{Handlers: handlers})

	tests := []struct {
		text string
		want Message
	}{
		{"text", Message{Type: "text", Text: "一\n二"}},
		{"handler", Message{Type: "text", Text: "（处理中）\n一\n二"}},
		{"image then text", image},
		{"text then image", image},
		{"two media", image}, // the last media message wins
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			res := bot.Run(context.Background(), say("a", tt.text))
			require.NoError(t, res.Err)
			require.NotNil(t, res.Reply)
			assert.Equal(t, tt.want, *res.Reply)
		})
	}
}

func TestReplyVariantsAreSeeded(t *testing.T) {
	variants := []string{"您好！", "你好呀～", "欢迎光临！"}
	c := Chart{Initial: "s", States: []State{{Name: "s", On: []Transition{{Match: AnyMessage(), Reply: Say(variants...)}}}}}
	bot := mustNew(t, c, Options{Rand: rand.New(rand.NewPCG(1, 2))})

	want := rand.New(rand.NewPCG(1, 2)) // the same sequence the bot draws
	seen := map[string]bool{}
	for i := range 30 {
		res := bot.Run(context.Background(), say("s", "hi"))
		require.NoError(t, res.Err)
		assert.Equal(t, variants[want.IntN(len(variants))], replyText(res), "turn %d", i)
		seen[replyText(res)] = true
	}
	assert.Len(t, seen, len(variants), "every variant is said sometimes")

	// Two bots with the same seed say the same things.
	b1 := mustNew(t, c, Options{Rand: rand.New(rand.NewPCG(7, 7))})
	b2 := mustNew(t, c, Options{Rand: rand.New(rand.NewPCG(7, 7))})
	for range 10 {
		assert.Equal(t, replyText(b1.Run(context.Background(), say("s", "x"))), replyText(b2.Run(context.Background(), say("s", "x"))))
	}

	// Without a Rand, a shared source still picks valid variants.
	b3 := mustNew(t, c)
	for range 10 {
		assert.Contains(t, variants, replyText(b3.Run(context.Background(), say("s", "x"))))
	}
}

func TestReplyTemplates(t *testing.T) {
	bot := mustNew(t, Chart{Initial: "s", States: []State{
		{Name: "s", On: []Transition{
			{Match: Regex(`订单(?P<order>\d+)`), Reply: Say("{{.Sender.Nickname}}，房间 {{.Room}} 的订单 {{.Vars.order}} 已找到。你说的是「{{.Text}}」。")},
			{Match: Exact("missing"), Reply: Say("[{{.Vars.nothing}}]")},
			{Match: Exact("from"), Reply: Say("{{.From}} {{.Event.Type}} {{.Sender.ID}}")},
			{Match: Exact("if"), Reply: Say(`{{if .Vars.x}}有{{else}}无{{end}}`)},
			{Match: Keywords("echo"), Reply: Say("你说：{{.Text}}")},
			{Match: Regex(`^var (?P<x>.+)$`), Reply: Say("x={{.Vars.x}}")},
		}},
	}})
	tests := []struct{ text, want string }{
		{"订单 12345 呢？", "小明，房间 room-1 的订单 12345 已找到。你说的是「订单 12345 呢？」。"},
		{"missing", "[]"},
		{"from", "s MESSAGE u1"},
		{"if", "无"},
		// What customers type is data: it is never executed as a template.
		{"echo {{.Vars}}", "你说：echo {{.Vars}}"},
		{`echo {{printf "%s" .Sender}}`, `你说：echo {{printf "%s" .Sender}}`},
		{"echo {{template \"x\"}}", "你说：echo {{template \"x\"}}"},
		{"var {{.Sender.ID}}", "x={{.sender.id}}"}, // captured from normalized text, printed verbatim
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			res := bot.Run(context.Background(), say("s", tt.text))
			require.NoError(t, res.Err)
			assert.Equal(t, tt.want, replyText(res))
		})
	}
}

func TestReplyTemplateCommentsAndTrimMarkers(t *testing.T) {
	bot := mustNew(t, Chart{Initial: "s", States: []State{{Name: "s", On: []Transition{
		{Match: Exact("comment"), Reply: Say("您好{{/* 不要说出来 */}}！")},
		{Match: Exact("trim"), Reply: Say("您好 {{- /* 不要说出来 */ -}} ！")},
		{Match: Exact("trim action"), Reply: Say("您好， {{- .Sender.Nickname -}} ！")},
	}}}})
	tests := []struct{ text, want string }{
		{"comment", "您好！"},
		{"trim", "您好！"},
		{"trim action", "您好，小明！"},
	}
	for _, tt := range tests {
		res := bot.Run(context.Background(), say("s", tt.text))
		require.NoError(t, res.Err)
		assert.Equal(t, tt.want, replyText(res), tt.text)
	}
}

// A template that parses but fails when executed fails the turn like a
// handler error: state kept, error reply, the cause in Err.
func TestReplyTemplateExecutionErrors(t *testing.T) {
	bot := mustNew(t, Chart{Initial: "a", States: []State{
		{Name: "a", On: []Transition{
			{Match: Exact("field"), To: "b", Reply: Say("{{.Vars.x.y}}")},
			{Match: Exact("method"), Reply: Say(`{{.Set "a" "b"}}`)},
			{Match: Exact("entry"), To: "c"},
		}},
		{Name: "b"},
		{Name: "c", Reply: Say("{{index .Vars 1}}")},
	}})
	tests := []struct{ text, wantErr string }{
		{"field", "can't evaluate field y in type string"},
		{"method", "Set has 0 return values"},
		{"entry", `entering "c": reply template:`},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			res := bot.Run(context.Background(), say("a", tt.text))
			require.Error(t, res.Err)
			assert.Contains(t, res.Err.Error(), tt.wantErr)
			assert.Equal(t, "a", res.To)
			assert.Equal(t, DefaultErrorReply[0].Text, replyText(res))
		})
	}
}

var errDatabase = errors.New("database is down")

func failingHandler(context.Context, *Turn) error { return errDatabase }

func panickyHandler(context.Context, *Turn) error { panic("boom") }

func TestHandlerFailures(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	handlers := map[string]Handler{
		"fail":  failingHandler,
		"panic": panickyHandler,
		"stuck": func(context.Context, *Turn) error { <-release; return nil }, // ignores ctx
		"slow": func(ctx context.Context, t *Turn) error { // honours ctx
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-release:
				return nil
			}
		},
		"half": func(_ context.Context, t *Turn) error { t.Set("x", "1"); t.Say("部分"); return errDatabase },
	}
	chart := func(errorReply Reply) Chart {
		return Chart{Initial: "menu", ErrorReply: errorReply, States: []State{
			{Name: "menu", On: []Transition{
				{Match: Exact("fail"), To: "done", Reply: Say("处理中"), Call: "fail"},
				{Match: Exact("fail here"), Call: "fail"},
				{Match: Exact("fail again"), To: "menu", Call: "fail"},
				{Match: Exact("panic"), To: "done", Call: "panic"},
				{Match: Exact("panic here"), Call: "panic"},
				{Match: Exact("stuck"), To: "done", Call: "stuck"},
				{Match: Exact("stuck here"), Call: "stuck"},
				{Match: Exact("slow"), To: "done", Call: "slow"},
				{Match: Exact("half"), To: "done", Call: "half"},
			}},
			{Name: "done", Reply: Say("完成")},
		}}
	}
	defaultReply := DefaultErrorReply[0].Text

	tests := []struct {
		name       string
		text       string
		errorReply Reply
		timeout    time.Duration
		check      func(t *testing.T, err error)
		wantReply  string
	}{
		{name: "error", text: "fail", check: isErr(errDatabase)},
		{name: "error staying", text: "fail here", check: isErr(errDatabase)},
		{name: "error re-entering", text: "fail again", check: isErr(errDatabase)},
		{name: "error under a deadline", text: "fail", timeout: time.Second, check: isErr(errDatabase)},
		{name: "error after partial work", text: "half", check: isErr(errDatabase)},
		{name: "custom error reply", text: "fail", errorReply: Say("{{.Sender.Nickname}}，系统忙"), check: isErr(errDatabase),
			wantReply: "小明，系统忙"},
		{name: "panic", text: "panic", check: isPanic},
		{name: "panic staying", text: "panic here", check: isPanic},
		{name: "panic under a deadline", text: "panic", timeout: time.Second, check: isPanic},
		{name: "handler ignoring ctx past the deadline", text: "stuck", timeout: 30 * time.Millisecond, check: isTimeout},
		{name: "handler ignoring ctx past the deadline, staying", text: "stuck here", timeout: 30 * time.Millisecond, check: isTimeout},
		{name: "handler honouring ctx", text: "slow", timeout: 30 * time.Millisecond, check: isTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot := mustNew(t, chart(tt.errorReply), Options{Handlers: handlers})
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			start := time.Now()
			res := bot.Run(ctx, say("menu", tt.text))
			elapsed := time.Since(start)

			require.Error(t, res.Err)
			tt.check(t, res.Err)
			assert.Equal(t, "menu", res.From)
			assert.Equal(t, "menu", res.To, "a failed turn keeps the state")
			assert.NotEmpty(t, res.Transition, "the Result says which transition failed")
			assert.Empty(t, res.Vars, "a failed turn's variables are dropped")
			want := tt.wantReply
			if want == "" {
				want = defaultReply
			}
			assert.Equal(t, want, replyText(res), "only the error reply is said")
			if tt.timeout > 0 {
				assert.Less(t, elapsed, tt.timeout+500*time.Millisecond, "Run returns promptly at the deadline")
			}
		})
	}
}

func isErr(target error) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		assert.ErrorIs(t, err, target)
		assert.NotErrorIs(t, err, ErrTimeout)
	}
}

func isPanic(t *testing.T, err error) {
	var pe *PanicError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "boom", pe.Value)
	assert.Equal(t, "panic: boom", pe.Error())
	assert.Contains(t, string(pe.Stack), "framework.panickyHandler", "the stack shows where the panic happened")
}

func isTimeout(t *testing.T, err error) {
	assert.ErrorIs(t, err, ErrTimeout)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestPanickingMatcher(t *testing.T) {
	bot := mustNew(t, Chart{Initial: "s", States: []State{{Name: "s", On: []Transition{
		{Match: Custom("bad", matcherFunc(func(*Turn) bool { panic(fmt.Errorf("matcher bug")) }))},
	}}}})
	res := bot.Run(context.Background(), say("s", "hi"))
	var pe *PanicError
	require.ErrorAs(t, res.Err, &pe)
	assert.Equal(t, "s", res.To)
	assert.Equal(t, DefaultErrorReply[0].Text, replyText(res))
}

func TestExpiredContext(t *testing.T) {
	bot := mustNew(t, shopChart())
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	for _, text := range []string{"1", "在吗", "/menu"} { // moving, staying, re-entering
		res := bot.Run(ctx, say("menu", text))
		assert.ErrorIs(t, res.Err, ErrTimeout, text)
		assert.Equal(t, "menu", res.To, text)
		assert.Equal(t, DefaultErrorReply[0].Text, replyText(res), text)
	}
	// A turn that fires nothing does no work, so it does not time out.
	res := bot.Run(ctx, event(DeleteMembers, "menu"))
	assert.NoError(t, res.Err)
	assert.Equal(t, "no match", res.Skipped)
}

func TestHandlerVarsAndReplies(t *testing.T) {
	handlers := map[string]Handler{
		"lookup": func(ctx context.Context, t *Turn) error {
			t.Set("status", "已发货")
			t.Set("order", strings.ToUpper(t.Vars["order"]))
			return nil
		},
	}
	bot := mustNew(t, Chart{Initial: "ask", States: []State{
		{Name: "ask", On: []Transition{{Match: Regex(`(?P<order>[a-z]{2}\d+)`), To: "show", Call: "lookup"}}},
		{Name: "show", Reply: Say("订单 {{.Vars.order}}：{{.Vars.status}}")},
	}}, Options{Handlers: handlers})
	for _, timeout := range []time.Duration{0, time.Second} { // inline, and on its own goroutine
		ctx := context.Background()
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		res := bot.Run(ctx, say("ask", "查一下 AB123"))
		require.NoError(t, res.Err)
		assert.Equal(t, "show", res.To)
		assert.Equal(t, "订单 AB123：已发货", replyText(res))
		assert.Equal(t, map[string]string{"order": "AB123", "status": "已发货"}, res.Vars)
	}
}

// The order of one turn: the transition's handler, then its reply (which
// shows what the handler set), then the target's entry reply.
func TestTurnOrder(t *testing.T) {
	handlers := map[string]Handler{"set": func(_ context.Context, t *Turn) error {
		t.Set("x", "42")
		t.Say("handler")
		return nil
	}}
	bot := mustNew(t, Chart{Initial: "a", States: []State{
		{Name: "a", On: []Transition{{Match: AnyMessage(), To: "b", Call: "set", Reply: Say("transition x=[{{.Vars.x}}]")}}},
		{Name: "b", Reply: Say("entry x=[{{.Vars.x}}]")},
	}}, Options{Handlers: handlers})
	res := bot.Run(context.Background(), say("a", "go"))
	require.NoError(t, res.Err)
	assert.Equal(t, "handler\ntransition x=[42]\nentry x=[42]", replyText(res))
}

// Many turns at once on one Bot: run with -race.
func TestConcurrentTurns(t *testing.T) {
	handlers := map[string]Handler{
		"count": func(ctx context.Context, t *Turn) error { t.Set("n", t.Vars["order"]); return nil },
	}
	c := shopChart()
	c.States[1].On[0].Call = "count"
	logger, _ := capture()
	bot := mustNew(t, c, Options{Handlers: handlers, Logger: logger, Rand: rand.New(rand.NewPCG(3, 4))})

	const n = 100
	var wg sync.WaitGroup
	results := make([]Result, n)
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			var ev *Event
			switch i % 4 {
			case 0:
				ev = say("refund", fmt.Sprintf("订单 %d", 100000+i))
			case 1:
				ev = say("", "１")
			case 2:
				ev = say("gone", "在吗") // logs a warning
			case 3:
				guest := Client{ID: fmt.Sprint(i), Nickname: fmt.Sprint("客人", i)}
				ev = event(JoinRoom, "main", guest)
				ev.Sender = guest
			}
			results[i] = bot.Run(ctx, ev)
		})
	}
	wg.Wait()
	for i, res := range results {
		require.NoError(t, res.Err, i)
		switch i % 4 {
		case 0:
			order := fmt.Sprint(100000 + i)
			assert.Equal(t, "menu", res.To)
			assert.Equal(t, "订单 "+order+" 已受理。\n请选择：1 退货 2 订单", replyText(res))
			assert.Equal(t, map[string]string{"order": order, "n": order}, res.Vars)
		case 1:
			assert.Equal(t, "refund", res.To)
		case 2:
			assert.Equal(t, "在的", replyText(res))
		case 3:
			assert.Equal(t, fmt.Sprint("欢迎，客人", i, "！"), replyText(res))
		}
	}
}
