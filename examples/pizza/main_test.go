package main

import (
	"context"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// step is one customer turn and what the bot should do.
type step struct {
	say       string // a text message; "" for a JOIN_ROOM
	wantState string
	wantReply string
}

func TestPizzaConversations(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{"order with toppings", []step{
			{"", "size", "Desirae，欢迎光临！\n要什么尺寸的披萨？小 / 中 / 大"},
			{"来个大的", "toppings", "大号，好的。加什么配料？蘑菇 / 火腿 / 菠萝，可以多选；不加请回复“不要”"},
			{"火腿 和 蘑菇！", "confirm", "您点的是：大号披萨，配料：蘑菇、火腿。回复“确认”下单，“重来”重新选。"},
			{"确认！", "done", "已下单！订单 P0001：大号披萨（蘑菇、火腿），30 分钟送到。"},
			{"谢谢", "size", "要什么尺寸的披萨？小 / 中 / 大"},
		}},
		{"no toppings", []step{
			{"小", "toppings", "小号，好的。加什么配料？蘑菇 / 火腿 / 菠萝，可以多选；不加请回复“不要”"},
			{"不要", "confirm", "您点的是：小号披萨，配料：无。回复“确认”下单，“重来”重新选。"},
			{"OK", "done", "已下单！订单 P0001：小号披萨（无），30 分钟送到。"},
		}},
		{"start over", []step{
			{"中", "toppings", "中号，好的。加什么配料？蘑菇 / 火腿 / 菠萝，可以多选；不加请回复“不要”"},
			{"菠萝", "confirm", "您点的是：中号披萨，配料：菠萝。回复“确认”下单，“重来”重新选。"},
			{"重来", "size", "要什么尺寸的披萨？小 / 中 / 大"},
			{"大", "toppings", "大号，好的。加什么配料？蘑菇 / 火腿 / 菠萝，可以多选；不加请回复“不要”"},
			{"蘑菇", "confirm", "您点的是：大号披萨，配料：蘑菇。回复“确认”下单，“重来”重新选。"},
		}},
		{"wrong answers are re-asked", []step{
			{"披萨多少钱", "size", "请回复 小、中 或 大"},
			{"小", "toppings", "小号，好的。加什么配料？蘑菇 / 火腿 / 菠萝，可以多选；不加请回复“不要”"},
			{"香肠", "toppings", "配料有 蘑菇、火腿、菠萝"},
			{"火腿", "confirm", "您点的是：小号披萨，配料：火腿。回复“确认”下单，“重来”重新选。"},
			{"再想想", "confirm", ""}, // no transition, no fallback: stays silently
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot, err := newBot()
			require.NoError(t, err)
			require.Empty(t, bot.Warnings())
			rooms := framework.Rooms{Store: memory.New(framework.StoreOptions{})}

			desirae := framework.Client{ID: "sss", Nickname: "Desirae"}
			state := "" // a new room
			for i, s := range tt.steps {
				ev := &framework.Event{Type: framework.MessageEvent, RoomID: "demo-room", State: state, Sender: desirae,
					Message: framework.Message{Type: "text", Text: s.say}}
				if s.say == "" {
					ev.Type = framework.JoinRoom
				}
				h, err := rooms.Handle(context.Background(), bot, ev)
				require.NoError(t, err)
				res := h.Result
				require.NoError(t, res.Err, "step %d", i)
				assert.Equal(t, s.wantState, res.To, "step %d: %s", i, s.say)
				if s.wantReply == "" {
					assert.Nil(t, res.Reply, "step %d: %s", i, s.say)
				} else if assert.NotNil(t, res.Reply, "step %d: %s", i, s.say) {
					assert.Equal(t, s.wantReply, res.Reply.Text, "step %d: %s", i, s.say)
				}
				state = res.To
			}
		})
	}
}

// Two rooms ordering at once do not mix their orders.
func TestPizzaRoomsAreSeparate(t *testing.T) {
	bot, err := newBot()
	require.NoError(t, err)
	rooms := framework.Rooms{Store: memory.New(framework.StoreOptions{})}
	run := func(room, state, text string) framework.Result {
		h, err := rooms.Handle(context.Background(), bot, &framework.Event{Type: framework.MessageEvent, RoomID: room, State: state,
			Sender: framework.Client{ID: room}, Message: framework.Message{Type: "text", Text: text}})
		require.NoError(t, err)
		return h.Result
	}
	run("a", "size", "小")
	run("b", "size", "大")
	run("a", "toppings", "蘑菇")
	res := run("b", "toppings", "不要")
	assert.Equal(t, "您点的是：大号披萨，配料：无。回复“确认”下单，“重来”重新选。", res.Reply.Text)
	res = run("a", "confirm", "确认")
	assert.Equal(t, "已下单！订单 P0001：小号披萨（蘑菇），30 分钟送到。", res.Reply.Text)
}
