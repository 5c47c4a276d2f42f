package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/labstack/echo/v4"
)

// benchBody is the chat server's MESSAGE example with a Chinese question.
var benchBody = []byte(`{"appID":"SampleApp","clientID":"sss","roomID":"demo-room","event":"MESSAGE","botState":"menu","data":{"_id":"5c1ddf2d1536bbb6c49f7cfe","message":"请问运费多少钱？","room":"demo-room","sender":{"_id":"sss","nickname":"Desirae","isRobot":false,"avatarUrl":"","description":"description la la #1543989664813","lastLoginTime":"2018-12-05T06:01:06.092Z","lastLoginTimeMS":1543989666092,"id":"sss"},"messageType":"text","appID":"SampleApp","__v":0,"messageTime":"2018-12-22T06:52:29.380Z","messageTimeMS":1545461549380,"id":"5c1ddf2d1536bbb6c49f7cfe"}}`)

// menuBot is a keyword menu like bots/faq's: a dozen topics, the question
// matching the last.
func menuBot(b *testing.B) *framework.Bot {
	topics := []string{"退货", "退款", "发票", "地址", "取消", "支付", "优惠券", "积分", "客服", "物流", "发货", "运费"}
	var on []framework.Transition
	var states []framework.State
	for _, k := range topics {
		on = append(on, framework.Transition{Match: framework.Keywords(k, k+"政策"), To: k})
		states = append(states, framework.State{Name: k, Reply: framework.Say(k + "：满99元包邮，不满收取8元运费。")})
	}
	states = append(states, framework.State{Name: "menu", Reply: framework.Say("请选择"), On: on})
	bot, err := framework.New(framework.Chart{Name: "bench", RobotID: "robot001", Initial: "menu", States: states}, framework.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return bot
}

func serve(b *testing.B, h http.Handler) {
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(benchBody))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkWebhookTurn is one full turn through the Echo server: token check,
// body read, tolerant decode, engine turn, response encoding, turn log line.
func BenchmarkWebhookTurn(b *testing.B) {
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	serve(b, server.New(menuBot(b), server.Config{Logger: logger}))
}

// BenchmarkBareEcho is the floor: an Echo handler that decodes the same
// request into plain structs and encodes a fixed reply, with no bot at all.
func BenchmarkBareEcho(b *testing.B) {
	type client struct {
		ID       string `json:"_id"`
		Nickname string `json:"nickname"`
		IsRobot  bool   `json:"isRobot"`
	}
	type request struct {
		AppID    string `json:"appID"`
		ClientID string `json:"clientID"`
		RoomID   string `json:"roomID"`
		Event    string `json:"event"`
		BotState string `json:"botState"`
		Data     struct {
			ID          string `json:"_id"`
			Message     string `json:"message"`
			MessageType string `json:"messageType"`
			Room        string `json:"room"`
			Sender      client `json:"sender"`
		} `json:"data"`
	}
	type reply struct {
		SenderID   string `json:"senderID"`
		ToBotState string `json:"toBotState"`
		Data       struct {
			Message     string `json:"message"`
			MessageType string `json:"messageType"`
		} `json:"data"`
	}
	e := echo.New()
	e.POST("/webhook", func(c echo.Context) error {
		var req request
		if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
			return err
		}
		var r reply
		r.SenderID, r.ToBotState = "robot001", "运费"
		r.Data.Message, r.Data.MessageType = "运费：满99元包邮，不满收取8元运费。", "text"
		body, err := json.Marshal(r)
		if err != nil {
			return err
		}
		return c.JSONBlob(http.StatusOK, body)
	})
	serve(b, e)
}
