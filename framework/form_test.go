package framework

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func refundForm() Chart {
	return Chart{Initial: "menu", TimeZone: "Asia/Shanghai", States: []State{
		{Name: "menu", Reply: Say("主菜单"), On: []Transition{{Match: Keywords("退款"), To: "refund"}}},
		{Name: "refund", Form: &Form{
			Slots: []Slot{
				{Name: "order", Ask: Say("请输入订单号"), Type: SlotRegex, Pattern: `(?P<order>\d{8})`, Invalid: Say("订单号是8位数字")},
				{Name: "phone", Ask: Say("下单手机号？"), Type: SlotPhone, MaxAttempts: 2},
				{Name: "reason", Ask: Say("退款原因？1. 质量问题 2. 不想要了"), Type: SlotChoice, Choices: []Choice{
					{Value: "质量问题", Synonyms: []string{"坏了", "有问题"}}, {Value: "不想要了", Synonyms: []string{"不喜欢"}},
				}},
			},
			Confirm:    Say("订单 {{.Vars.order}}，手机 {{.Vars.phone}}，原因 {{.Vars.reason}}。确认提交吗？"),
			OnCancel:   Transition{To: "menu", Reply: Say("已取消")},
			OnComplete: Transition{To: "menu", Reply: Say("已提交退款 {{.Vars.order}}")},
			OnFail:     Transition{To: "handoff", Reply: Say("我帮您转人工")},
		}},
		{Name: "handoff", Reply: Say("人工客服来了")},
	}}
}

// converse plays texts from state, carrying the state and the variables as
// a session store would, and returns every answer.
func converse(t *testing.T, bot *Bot, state string, texts ...string) []Result {
	t.Helper()
	var vars map[string]string
	var out []Result
	for _, text := range texts {
		res := bot.run(context.Background(), say(state, text), false, false, vars)
		require.NoError(t, res.Err, text)
		state, vars = res.To, res.Vars
		out = append(out, res)
	}
	return out
}

func TestFormFillsSlotsInOrder(t *testing.T) {
	bot := mustNew(t, refundForm())
	rs := converse(t, bot, "menu", "我要退款", "订单是 2024 0601", "20240601", "+86 138-1234-5678", "2", "是的")
	steps := []struct{ to, reply string }{
		{"refund/ask_order", "请输入订单号"},
		{"refund/ask_order", "订单号是8位数字"},
		{"refund/ask_phone", "下单手机号？"},
		{"refund/ask_reason", "退款原因？1. 质量问题 2. 不想要了"},
		{"refund/confirm", "订单 20240601，手机 +8613812345678，原因 不想要了。确认提交吗？"},
		{"menu", "已提交退款 20240601\n主菜单"},
	}
	for i, s := range steps {
		assert.Equal(t, s.to, rs[i].To, "step %d", i)
		assert.Equal(t, s.reply, replyText(rs[i]), "step %d", i)
	}
}

func TestFormCancelFailAndConfirmNo(t *testing.T) {
	bot := mustNew(t, refundForm())
	rs := converse(t, bot, "refund/ask_phone", "不知道", "还是不知道")
	assert.Equal(t, "refund/ask_phone", rs[0].To)
	assert.Contains(t, replyText(rs[0]), "手机号码")
	assert.Equal(t, "handoff", rs[1].To, "two attempts, then on_fail")
	assert.Equal(t, "我帮您转人工\n人工客服来了", replyText(rs[1]))

	rs = converse(t, bot, "refund/ask_order", "算了")
	assert.Equal(t, "menu", rs[0].To)
	assert.Equal(t, "已取消\n主菜单", replyText(rs[0]))

	rs = converse(t, bot, "refund/ask_reason", "坏了", "不对")
	assert.Equal(t, "refund/confirm", rs[0].To)
	assert.Equal(t, "refund/ask_order", rs[1].To, "no asks again from the first slot")

	rs = converse(t, bot, "refund/confirm", "啥")
	assert.Contains(t, replyText(rs[0]), "请回复「是」")
}

func TestFormAttemptsResetPerSlot(t *testing.T) {
	bot := mustNew(t, refundForm())
	rs := converse(t, bot, "refund/ask_order", "x", "y", "12345678", "z")
	assert.Equal(t, []string{"refund/ask_order", "refund/ask_order", "refund/ask_phone", "refund/ask_phone"},
		[]string{rs[0].To, rs[1].To, rs[2].To, rs[3].To})
}

func TestFormProblems(t *testing.T) {
	for _, tc := range []struct {
		name string
		form Form
		want string
	}{
		{"no slots", Form{OnComplete: Transition{To: "a"}}, "has no slots"},
		{"no way out", Form{Slots: []Slot{{Name: "x"}}}, "does not say where to go"},
		{"bad type", Form{Slots: []Slot{{Name: "x", Type: "colour"}}, OnComplete: Transition{To: "a"}}, `unknown slot type "colour"`},
		{"choice without choices", Form{Slots: []Slot{{Name: "x", Type: SlotChoice}}, OnComplete: Transition{To: "a"}}, "needs choices"},
		{"bad pattern", Form{Slots: []Slot{{Name: "x", Type: SlotRegex, Pattern: "("}}, OnComplete: Transition{To: "a"}}, "does not compile"},
		{"repeated slot", Form{Slots: []Slot{{Name: "x"}, {Name: "x"}}, OnComplete: Transition{To: "a"}}, "repeated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Chart{Initial: "a", States: []State{{Name: "a"}, {Name: "f", Form: &tc.form}}}, Options{Logger: quiet})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestSlotValues(t *testing.T) {
	// Wednesday 2026-11-25, in Shanghai.
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, tc := range []struct {
		slot Slot
		in   string
		want string // "" = rejected
	}{
		{Slot{Type: SlotNumber}, "3", "3"},
		{Slot{Type: SlotNumber}, "我要买２．５斤", "2.5"},
		{Slot{Type: SlotNumber}, "1,299元", "1299"},
		{Slot{Type: SlotNumber}, "三件", "3"},
		{Slot{Type: SlotNumber}, "十二", "12"},
		{Slot{Type: SlotNumber}, "两百零五", "205"},
		{Slot{Type: SlotNumber}, "一万二千", "12000"},
		{Slot{Type: SlotNumber}, "不知道", ""},
		{Slot{Type: SlotInteger}, "2.5", ""},
		{Slot{Type: SlotInteger}, "２０", "20"},
		{Slot{Type: SlotEmail}, "我的邮箱是 Li.Lei@Example.COM。", "li.lei@example.com"},
		{Slot{Type: SlotEmail}, "li.lei@example", ""},
		{Slot{Type: SlotPhone}, "13812345678", "+8613812345678"},
		{Slot{Type: SlotPhone}, "+86 138 1234 5678", "+8613812345678"},
		{Slot{Type: SlotPhone}, "手机：１３８－１２３４－５６７８", "+8613812345678"},
		{Slot{Type: SlotPhone}, "0912-345-678", "+886912345678"},
		{Slot{Type: SlotPhone}, "+886 912 345 678", "+886912345678"},
		{Slot{Type: SlotPhone}, "+44 20 7946 0958", "+442079460958"},
		{Slot{Type: SlotPhone}, "12345", ""},
		{Slot{Type: SlotPhone}, "12812345678", ""},
		{Slot{Type: SlotDate}, "今天", "2026-11-25"},
		{Slot{Type: SlotDate}, "明天下午", "2026-11-26"},
		{Slot{Type: SlotDate}, "后天", "2026-11-27"},
		{Slot{Type: SlotDate}, "大后天", "2026-11-28"},
		{Slot{Type: SlotDate}, "昨天", "2026-11-24"},
		{Slot{Type: SlotDate}, "下周一", "2026-11-30"},
		{Slot{Type: SlotDate}, "下週五", "2026-12-04"},
		{Slot{Type: SlotDate}, "周五", "2026-11-27"},
		{Slot{Type: SlotDate}, "星期一", "2026-11-30"},
		{Slot{Type: SlotDate}, "这周三", "2026-11-25"},
		{Slot{Type: SlotDate}, "礼拜天", "2026-11-29"},
		{Slot{Type: SlotDate}, "12月1日", "2026-12-01"},
		{Slot{Type: SlotDate}, "12月1号送到", "2026-12-01"},
		{Slot{Type: SlotDate}, "2026-12-01", "2026-12-01"},
		{Slot{Type: SlotDate}, "2027年1月5日", "2027-01-05"},
		{Slot{Type: SlotDate}, "2026/2/30", ""},
		{Slot{Type: SlotDate}, "随便", ""},
		{Slot{Type: SlotChoice, Choices: []Choice{{Value: "顺丰"}, {Value: "京东", Synonyms: []string{"jd"}}}}, "2", "京东"},
		{Slot{Type: SlotChoice, Choices: []Choice{{Value: "顺丰"}, {Value: "京东", Synonyms: []string{"jd"}}}}, "ＪＤ！", "京东"},
		{Slot{Type: SlotChoice, Choices: []Choice{{Value: "顺丰"}, {Value: "京东"}}}, "第一个", "顺丰"},
		{Slot{Type: SlotChoice, Choices: []Choice{{Value: "顺丰"}, {Value: "京东"}}}, "3", ""},
		{Slot{Type: SlotRegex, Pattern: `[a-z]{2}\d{4}`}, "编号ＡＢ１２３４", "ab1234"},
		{Slot{Type: SlotText}, "  好的 ", "好的"},
		{Slot{Type: SlotText}, "   ", ""},
	} {
		t.Run(string(tc.slot.Type)+"/"+tc.in, func(t *testing.T) {
			tc.slot.Name = "v"
			p, err := newSlotParser(tc.slot)
			require.NoError(t, err)
			bot := &Bot{now: func() time.Time { return now }, location: now.Location()}
			turn := &Turn{Text: tc.in, bot: bot}
			got, ok := p.accept(turn)
			if tc.want == "" {
				assert.False(t, ok, "accepted %q", got)
				return
			}
			assert.True(t, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}
