package main

import (
	"context"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGreeter(t *testing.T) {
	bot, err := framework.New(Chart(), framework.Options{})
	require.NoError(t, err)
	require.Empty(t, bot.Warnings())

	desirae := framework.Client{ID: "sss", Nickname: "Desirae"}
	text := func(s string) *framework.Event {
		return &framework.Event{Type: framework.MessageEvent, RoomID: "demo-room", Sender: desirae,
			Message: framework.Message{Type: "text", Text: s}}
	}
	tests := []struct {
		name string
		ev   *framework.Event
		want string // the reply; "" for none
	}{
		{"greets on join by nickname", &framework.Event{Type: framework.JoinRoom, RoomID: "demo-room", Sender: desirae, Members: []framework.Client{desirae}},
			"Desirae，欢迎！说点什么，我会跟着说。输入 /help 查看帮助。"},
		{"help", text("/help"), "我是复读机器人：你说什么，我就说什么。"},
		{"full-width help", text("／ＨＥＬＰ"), "我是复读机器人：你说什么，我就说什么。"},
		{"echoes as typed", text("Bonjour 2 ！"), "Bonjour 2 ！"},
		{"echoes chinese", text("今天天气不错"), "今天天气不错"},
		{"echoes a template as text", text("{{.Sender.ID}}"), "{{.Sender.ID}}"},
		{"an image is not echoed", &framework.Event{Type: framework.MessageEvent, RoomID: "demo-room", Sender: desirae,
			Message: framework.Message{Type: "image", OriginalURL: "https://example.com/cat.png"}}, "我只会重复文字哦。"},
		{"its own echo is not echoed again", &framework.Event{Type: framework.MessageEvent, RoomID: "demo-room",
			Sender: framework.Client{ID: "greeter", IsRobot: true}, Message: framework.Message{Type: "text", Text: "今天天气不错"}}, ""},
		{"someone leaving is ignored", &framework.Event{Type: framework.DeleteMembers, RoomID: "demo-room", Sender: desirae}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := bot.Run(context.Background(), tt.ev)
			require.NoError(t, res.Err)
			assert.Equal(t, "chatting", res.To)
			if tt.want == "" {
				assert.Nil(t, res.Reply)
				return
			}
			require.NotNil(t, res.Reply)
			assert.Equal(t, tt.want, res.Reply.Text)
		})
	}
}
