package main

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/bots/orders/orderservice"
	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/bottest"
	"github.com/fsmbot/fsmbot/framework/chart"
	"github.com/fsmbot/fsmbot/framework/cli"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/fsmbot/fsmbot/framework/store/memory"
	"github.com/fsmbot/fsmbot/statecharts"
)

// transcripts are the bot's conversation tests: every path of the chart.
const transcripts = "testdata/transcripts"

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// startService serves the sample order service on loopback for the test.
func startService(t *testing.T) string {
	t.Helper()
	svc, err := orderservice.New()
	require.NoError(t, err)
	url, closeFn, err := svc.Start()
	require.NoError(t, err)
	t.Cleanup(func() { closeFn() })
	return url
}

// newBot compiles the embedded chart with handlers that call the order
// service at url.
func newBot(t *testing.T, url string) *framework.Bot {
	t.Helper()
	data, err := statecharts.FS.ReadFile("orders.yaml")
	require.NoError(t, err)
	bot, err := chart.Compile("orders.yaml", data, framework.Options{Handlers: handlers(newClient(url)), Logger: quiet})
	require.NoError(t, err)
	require.Empty(t, bot.Warnings())
	return bot
}

func TestTranscriptsInProcess(t *testing.T) {
	bottest.RunFiles(t, bottest.InProcess(newBot(t, startService(t))), transcripts)
}

// The same transcripts against the webhook of a real server on loopback,
// which keeps the rooms' answers in a memory store as a deployment keeps
// them in bolt or Redis: forms need the answers of earlier turns.
func TestTranscriptsOverHTTP(t *testing.T) {
	store := memory.New(framework.StoreOptions{})
	t.Cleanup(func() { store.Close() })
	srv := httptest.NewServer(server.New(newBot(t, startService(t)), server.Config{Store: store, Logger: quiet}))
	t.Cleanup(srv.Close)
	bottest.RunFiles(t, bottest.HTTP(srv.URL+"/webhook", nil), transcripts)
}

// Every transition of the chart, each slot's included, fires in some
// transcript.
func TestTranscriptsCoverEveryTransition(t *testing.T) {
	bot := newBot(t, startService(t))
	all, err := bottest.Load(transcripts)
	require.NoError(t, err)
	target := bottest.InProcess(bot)
	var results []bottest.StepResult
	for _, tr := range all {
		results = append(results, tr.Play(t.Context(), target)...)
	}
	report := bottest.Coverage(bot, results)
	t.Log(report)
	var missed []string
	for _, tr := range report.Missed() {
		missed = append(missed, tr.ID+" "+tr.Pos.String()+": "+bottest.Describe(tr))
	}
	require.Equal(t, 100.0, report.Percent(), "never taken:\n%s", strings.Join(missed, "\n"))
}

// The command line a developer runs: lint finds no error, and the test
// command passes every transcript and reports full coverage.
func TestCommandLine(t *testing.T) {
	app, err := newApp()
	require.NoError(t, err)
	for _, args := range [][]string{{"lint"}, {"test", "--coverage", transcripts}} {
		var out, errOut bytes.Buffer
		code := app.Run(t.Context(), args, func(string) string { return "" }, cli.IO{Out: &out, Err: &errOut})
		require.Equal(t, 0, code, "%s:\n%s%s", args, out.String(), errOut.String())
		if args[0] == "test" {
			assert.Contains(t, out.String(), "coverage: 100.0% of transitions")
			assert.NotContains(t, out.String(), "never taken")
			assert.Contains(t, out.String(), " passed, 0 failed")
		}
	}
}

// TestHandlers calls the handlers against the order service, as the chart
// does when a form completes.
func TestHandlers(t *testing.T) {
	up := newClient(startService(t))
	down := newClient(closedURL(t))
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "database on fire", http.StatusInternalServerError)
	}))
	t.Cleanup(broken.Close)
	for _, tc := range []struct {
		name    string
		client  *client
		handler string
		vars    map[string]string
		want    map[string]string // variables the handler sets
		err     string            // the error, when it fails
	}{
		{
			name: "found, shipped", client: up, handler: "lookup_order",
			vars: map[string]string{"order": "20241101", "phone": "+8613812345678"},
			want: map[string]string{
				"found": "yes", "status": "shipped", "status_text": "已发货，运输中", "items": "男士羊毛大衣 L码 ×1", "total": "899.00",
				"carrier": "顺丰速运", "tracking": "SF1402398417723", "eta": "2026-11-28",
			},
		},
		{
			name: "found, two items, not shipped", client: up, handler: "lookup_order",
			vars: map[string]string{"order": "20241103", "phone": "+8613812345678"},
			want: map[string]string{"found": "yes", "status": "paid", "status_text": "已付款，等待发货", "items": "纯棉四件套 1.8m ×2", "total": "658.00", "carrier": "", "tracking": ""},
		},
		{
			name: "two lines", client: up, handler: "lookup_order",
			vars: map[string]string{"order": "20241102", "phone": "+8613912345678"},
			want: map[string]string{"found": "yes", "items": "无线降噪耳机 ×1、耳机保护套 ×1", "total": "1348.00"},
		},
		{
			name: "not found", client: up, handler: "lookup_order",
			vars: map[string]string{"order": "20249999", "phone": "+8613812345678"},
			want: map[string]string{"found": "no", "status": "", "tracking": ""},
		},
		{
			name: "wrong phone", client: up, handler: "lookup_order",
			vars: map[string]string{"order": "20241101", "phone": "+8613900000000"},
			want: map[string]string{"found": "no", "items": ""},
		},
		{
			name: "refund submitted", client: up, handler: "submit_refund",
			vars: map[string]string{"order": "20241104", "phone": "+886912345678", "reason": "发错货"},
			want: map[string]string{"refund": "submitted", "refund_id": "RF20241104"},
		},
		{
			name: "refund refused: refunded", client: up, handler: "submit_refund",
			vars: map[string]string{"order": "20241105", "phone": "+8615012345678", "reason": "质量问题"},
			want: map[string]string{"refund": "refused", "status": "refunded", "status_text": "已退款", "refund_id": ""},
		},
		{
			name: "refund refused: cancelled", client: up, handler: "submit_refund",
			vars: map[string]string{"order": "20241106", "phone": "+8613712345678", "reason": "不想要了"},
			want: map[string]string{"refund": "refused", "status": "cancelled", "status_text": "已取消"},
		},
		{
			name: "refund, wrong phone", client: up, handler: "submit_refund",
			vars: map[string]string{"order": "20241101", "phone": "+8613900000000", "reason": "质量问题"},
			want: map[string]string{"refund": "not_found", "refund_id": ""},
		},
		{
			name: "lookup, service down", client: down, handler: "lookup_order",
			vars: map[string]string{"order": "20241101", "phone": "+8613812345678"},
			err:  "order service:",
		},
		{
			name: "refund, service down", client: down, handler: "submit_refund",
			vars: map[string]string{"order": "20241101", "phone": "+8613812345678", "reason": "质量问题"},
			err:  "order service:",
		},
		{
			name: "lookup, service failing", client: newClient(broken.URL), handler: "lookup_order",
			vars: map[string]string{"order": "20241101", "phone": "+8613812345678"},
			err:  "order service answered 500 Internal Server Error",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			turn := &framework.Turn{Vars: tc.vars}
			err := handlers(tc.client)[tc.handler](t.Context(), turn)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			for k, v := range tc.want {
				assert.Equal(t, v, turn.Vars[k], k)
			}
		})
	}
}

// The chart says its error reply when the order service is down, and the
// customer stays at the question to try again.
func TestServiceDownInAConversation(t *testing.T) {
	bot := newBot(t, closedURL(t))
	target := bottest.InProcess(bot)
	trs, err := bottest.Parse("down.yaml", []byte(`
steps:
  - {say: "1", state: menu, expect: {state: lookup/ask_order}}
  - {say: "20241101", expect: {state: lookup/ask_phone}}
  - say: "13812345678"
    expect: {state: lookup/ask_phone, reply: 抱歉，订单系统暂时无法访问，请稍后再试，或回复「转人工」联系人工客服。}
`))
	require.NoError(t, err)
	results := trs[0].Play(t.Context(), target)
	last := results[len(results)-1]
	require.Len(t, results, 3, bottest.FormatFailure(trs[0], last))
	// The turn failed (that is how the chart's error reply comes), and
	// nothing else is wrong with it.
	require.NotNil(t, last.Answer.Err)
	assert.Equal(t, "turn failed: "+last.Answer.Err.Error(), last.Failure)
}

// closedURL is the address of a server that is no longer there.
func closedURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	return url
}
