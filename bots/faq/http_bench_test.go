package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/chart"
	"github.com/fsmbot/fsmbot/framework/faq"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/fsmbot/fsmbot/statecharts"
)

// httpTurnBody is the chat server's MESSAGE request as its webhook
// document shows it, the same as the core HTTP benchmark's
// (framework/server), asking about shipping fees.
var httpTurnBody = []byte(`{"appID":"SampleApp","clientID":"sss","roomID":"demo-room","event":"MESSAGE","botState":"menu","data":{"_id":"5c1ddf2d1536bbb6c49f7cfe","message":"请问运费怎么算？","room":"demo-room","sender":{"_id":"sss","nickname":"Desirae","isRobot":false,"avatarUrl":"","description":"description la la #1543989664813","lastLoginTime":"2018-12-05T06:01:06.092Z","lastLoginTimeMS":1543989666092,"id":"sss"},"messageType":"text","appID":"SampleApp","__v":0,"messageTime":"2018-12-22T06:52:29.380Z","messageTimeMS":1545461549380,"id":"5c1ddf2d1536bbb6c49f7cfe"}}`)

// BenchmarkHTTPTurn compares, in one run, a full webhook turn of the FAQ bot
// answering a question from its knowledge base with the same turn in a core
// keyword state (a menu of a dozen keyword transitions, as in the core HTTP
// benchmark of framework/server) giving the same answer. Both go through
// the Echo server, the tolerant decoder, the engine and the encoder, without
// a session store, on the same request. The ratio sub-benchmark reports the
// knowledge-base turn's cost against the keyword turn's as keyword-ratio
// (the target is ≤ 1.2):
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

	turn := func(b *testing.B, h http.Handler, req []byte, wantTo string) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(req)))
		if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), []byte(`"toBotState":"`+wantTo+`"`)) {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
	keywordServer := server.New(keywordBot, server.Config{Logger: quiet})
	faqServer := server.New(faqBot, server.Config{Logger: quiet})
	b.Run("keyword", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			turn(b, keywordServer, httpTurnBody, "运费")
		}
	})
	b.Run("faq", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			turn(b, faqServer, httpTurnBody, "answers/kb")
		}
	})
	// The two bots take turns, a block of turns each, so that both see the
	// same machine (two benchmarks run one after the other on a shared
	// machine do not), each with its own data in the caches, as a server
	// running one bot has.
	b.Run("ratio", func(b *testing.B) {
		const block = 256
		var keyword, kb time.Duration
		for b.Loop() {
			t0 := time.Now()
			for range block {
				turn(b, keywordServer, httpTurnBody, "运费")
			}
			t1 := time.Now()
			for range block {
				turn(b, faqServer, httpTurnBody, "answers/kb")
			}
			kb += time.Since(t1)
			keyword += t1.Sub(t0)
		}
		b.ReportMetric(float64(keyword)/float64(b.N*block), "keyword-ns/turn")
		b.ReportMetric(float64(kb)/float64(b.N*block), "faq-ns/turn")
		b.ReportMetric(float64(kb)/float64(keyword), "keyword-ratio")
	})
}
