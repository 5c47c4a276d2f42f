package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/chart"
	"github.com/fsmbot/fsmbot/framework/faq"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/fsmbot/fsmbot/statecharts"
)

// BenchmarkHTTPTurn compares, in one run, a full webhook turn of the FAQ bot
// answering a question from its knowledge base with the same turn in a core
// keyword state (a menu of a dozen keyword transitions) giving the same
// answer. Both go through the
// Echo server, the tolerant decoder, the engine and the encoder, without a
// session store. The knowledge-base turn reports its cost against the
// keyword turn as keyword-ratio (the target is ≤ 1.2):
//
//	go test -run '^$' -bench HTTPTurn -benchmem -count 5 ./bots/faq
func BenchmarkHTTPTurn(b *testing.B) {
	quiet := slog.New(slog.NewJSONHandler(io.Discard, nil))
	data, err := statecharts.FS.ReadFile("faq.yaml")
	if err != nil {
		b.Fatal(err)
	}
	faqBot, err := chart.Loader{Flows: statecharts.FS, Files: statecharts.FS}.Compile("faq.yaml", data, framework.Options{Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	// The keyword state says what the knowledge base says, footer included,
	// so that both turns encode and log the same answer: the difference is
	// finding it.
	kb, err := faq.LoadFS(statecharts.FS, "kb/faq.yaml")
	if err != nil {
		b.Fatal(err)
	}
	answer := kb.Entry("shipping_fee").Answer[0].Text + "\n回复「菜单」返回主菜单，回复「转人工」联系人工客服。"
	var on []framework.Transition
	states := []framework.State{{Name: "menu"}}
	for _, k := range []string{"退货", "退款", "发票", "地址", "取消", "支付", "优惠券", "积分", "客服", "物流", "发货", "运费"} {
		on = append(on, framework.Transition{Match: framework.Keywords(k), To: k})
		states = append(states, framework.State{Name: k, Reply: framework.Say(answer)})
	}
	states[0].On = on
	keywordBot, err := framework.New(framework.Chart{Name: "keywords", Initial: "menu", States: states}, framework.Options{Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}

	body := func(state string) []byte {
		data, _ := json.Marshal(map[string]any{"roomID": "demo-room", "event": "MESSAGE", "botState": state,
			"data": map[string]any{"_id": "m1", "message": "请问运费怎么算？", "messageType": "text", "room": "demo-room",
				"sender": map[string]any{"_id": "sss", "nickname": "Desirae", "isRobot": false}}})
		return data
	}
	var keyword float64
	run := func(bot *framework.Bot, state, wantTo string, ratio bool) func(b *testing.B) {
		return func(b *testing.B) {
			h := server.New(bot, server.Config{Logger: quiet})
			req := body(state)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(req)))
				if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), []byte(`"toBotState":"`+wantTo+`"`)) {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
			perTurn := float64(b.Elapsed()) / float64(b.N)
			if !ratio {
				keyword = perTurn
			} else if keyword > 0 {
				b.ReportMetric(perTurn/keyword, "keyword-ratio")
			}
		}
	}
	b.Run("keyword", run(keywordBot, "menu", "运费", false))
	b.Run("faq", run(faqBot, "menu", "answers/kb", true))
}
