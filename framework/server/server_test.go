package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testBot greets, answers one keyword, and has handlers that misbehave.
func testBot(t testing.TB) *framework.Bot {
	t.Helper()
	bot, err := framework.New(framework.Chart{
		Name:    "test",
		RobotID: "robot001",
		Initial: "start",
		States: []framework.State{
			{Name: "start", On: []framework.Transition{
				{Event: framework.JoinRoom, To: "menu", Reply: framework.Say("欢迎 {{.Sender.Nickname}}")},
				{Event: framework.AddMembers, Match: framework.RobotAdded(), To: "menu"},
				{Event: framework.DeleteMembers, Reply: framework.Say("再见")},
				{Match: framework.Keywords("你好", "bonjour"), To: "menu"},
			}},
			{Name: "menu", Reply: framework.Say("请选择：1 运费"), On: []framework.Transition{
				{Match: framework.Exact("1", "运费"), To: "shipping"},
				{Match: framework.Exact("panic"), Call: "panic"},
				{Match: framework.Exact("slow"), Call: "slow"},
				{Event: framework.DeleteMembers},
			}},
			{Name: "shipping", Reply: framework.Say("满99元包邮")},
		},
		Fallback: &framework.Transition{Reply: framework.Say("没听懂")},
	}, framework.Options{
		Logger: discard(),
		Handlers: map[string]framework.Handler{
			"panic": func(context.Context, *framework.Turn) error { panic("boom") },
			"slow": func(context.Context, *framework.Turn) error {
				time.Sleep(2 * time.Second) // ignores its context, as careless handlers do
				return nil
			},
		},
	})
	require.NoError(t, err)
	return bot
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func start(t testing.TB, cfg server.Config) *httptest.Server {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = discard()
	}
	ts := httptest.NewServer(server.New(testBot(t), cfg))
	t.Cleanup(ts.Close)
	return ts
}

type answer struct {
	status int
	body   map[string]any
	raw    string
}

func post(t testing.TB, url string, body []byte, header http.Header) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	return do(t, req)
}

func do(t testing.TB, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{status: resp.StatusCode, raw: string(raw)}
	require.Equal(t, "application/json", strings.Split(resp.Header.Get("Content-Type"), ";")[0], "body %s", raw)
	require.NoError(t, json.Unmarshal(raw, &a.body), "body is not a JSON object: %s", raw)
	return a
}

func seed(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "webhook", "testdata", "requests", name))
	require.NoError(t, err)
	return data
}

// The chat server's four example payloads get 200 and the right next state.
func TestSeedPayloads(t *testing.T) {
	ts := start(t, server.Config{})
	for _, tc := range []struct {
		file  string
		state string
		reply any
	}{
		{"join_room.json", "menu", "欢迎 Desirae\n请选择：1 运费"},
		{"add_members.json", "menu", "请选择：1 运费"}, // it adds robot001, the robot itself
		{"delete_members.json", "start", "再见"},
		{"message.json", "menu", "请选择：1 运费"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			a := post(t, ts.URL+"/webhook", seed(t, tc.file), nil)
			require.Equal(t, http.StatusOK, a.status, a.raw)
			assert.Equal(t, "robot001", a.body["senderID"])
			assert.Equal(t, tc.state, a.body["toBotState"], a.raw)
			if tc.reply == nil {
				assert.Nil(t, a.body["data"])
				return
			}
			data := a.body["data"].(map[string]any)
			assert.Equal(t, tc.reply, data["message"])
			assert.Equal(t, "text", data["messageType"])
		})
	}
}

func TestBadRequests(t *testing.T) {
	ts := start(t, server.Config{})
	valid := seed(t, "message.json")
	for _, tc := range []struct {
		name   string
		body   []byte
		status int
		error  string
	}{
		{"malformed", []byte(`{"roomID": "r1", "event": `), 400, "not valid JSON"},
		{"array", []byte(`[1, 2]`), 400, "JSON object"},
		{"string", []byte(`"hello"`), 400, "JSON object"},
		{"null", []byte(`null`), 400, "JSON object"},
		{"empty", nil, 400, ""},
		{"no roomID", []byte(`{"event":"MESSAGE","data":{}}`), 400, "roomID"},
		{"no event", []byte(`{"roomID":"r1","data":{}}`), 400, "event"},
		{"numeric roomID", []byte(`{"roomID":12,"event":"MESSAGE"}`), 400, "roomID"},
		{"oversized", append(append([]byte(`{"roomID":"r1","event":"MESSAGE","data":{"message":"`), bytes.Repeat([]byte("啊"), 1<<19)...), `"}}`...), 413, "larger"},
		{"valid", valid, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := post(t, ts.URL+"/webhook", tc.body, nil)
			require.Equal(t, tc.status, a.status, a.raw)
			if tc.status != 200 {
				require.Len(t, a.body, 1, "an error body has exactly one field: %s", a.raw)
				assert.Contains(t, a.body["error"], tc.error)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	ts := start(t, server.Config{Token: "s3cret"})
	for _, tc := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/webhook", 405},
		{http.MethodPut, "/webhook", 405},
		{http.MethodGet, "/healthz", 200}, // no token needed
		{http.MethodGet, "/nope", 404},
	} {
		req, err := http.NewRequest(tc.method, ts.URL+tc.path, nil)
		require.NoError(t, err)
		a := do(t, req)
		assert.Equal(t, tc.status, a.status, "%s %s: %s", tc.method, tc.path, a.raw)
		if tc.status != 200 {
			assert.NotEmpty(t, a.body["error"])
		}
	}
}

func TestToken(t *testing.T) {
	body := seed(t, "message.json")
	for _, tc := range []struct {
		name   string
		header string // the server's configured header; empty = default
		send   http.Header
		status int
	}{
		{"default header", "", http.Header{"X-Webhook-Token": {"s3cret"}}, 200},
		{"missing", "", nil, 401},
		{"wrong", "", http.Header{"X-Webhook-Token": {"s3cre"}}, 401},
		{"longer", "", http.Header{"X-Webhook-Token": {"s3cret!"}}, 401},
		{"custom header", "SOME_AUTH_KEY", http.Header{"SOME_AUTH_KEY": {"s3cret"}}, 200},
		{"custom header, default sent", "SOME_AUTH_KEY", http.Header{"X-Webhook-Token": {"s3cret"}}, 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := start(t, server.Config{Token: "s3cret", TokenHeader: tc.header})
			a := post(t, ts.URL+"/webhook", body, tc.send)
			assert.Equal(t, tc.status, a.status, a.raw)
		})
	}
}

// A panicking or slow handler is answered 200 with the error reply and the
// state kept, and the process lives on.
func TestFailingHandlers(t *testing.T) {
	var logs syncBuffer
	ts := start(t, server.Config{Timeout: 100 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, text := range []string{"panic", "slow"} {
		t.Run(text, func(t *testing.T) {
			began := time.Now()
			a := post(t, ts.URL+"/webhook", message("menu", text), nil)
			require.Equal(t, http.StatusOK, a.status)
			assert.Equal(t, "menu", a.body["toBotState"])
			assert.Contains(t, a.body["data"].(map[string]any)["message"], "抱歉")
			assert.Less(t, time.Since(began), 1500*time.Millisecond, "the deadline did not cut the turn short")
		})
	}
	assert.Contains(t, logs.String(), "boom")
	assert.Contains(t, logs.String(), "goroutine", "a panic is logged with its stack")
	assert.Contains(t, logs.String(), "timed out")
	// Still serving.
	a := post(t, ts.URL+"/webhook", message("menu", "1"), nil)
	assert.Equal(t, "shipping", a.body["toBotState"])
}

func message(state, text string) []byte {
	body, _ := json.Marshal(map[string]any{
		"roomID": "r1", "event": "MESSAGE", "botState": state,
		"data": map[string]any{"_id": "m1", "message": text, "messageType": "text", "sender": map[string]any{"_id": "u1", "nickname": "Amy"}},
	})
	return body
}

// A thousand random mutations of valid payloads never get a 5xx, a non-JSON
// body or a dropped connection.
func TestMutations(t *testing.T) {
	ts := start(t, server.Config{})
	var seeds [][]byte
	for _, f := range []string{"join_room.json", "add_members.json", "delete_members.json", "message.json"} {
		seeds = append(seeds, seed(t, f))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 1000 {
		body := mutate(rng, seeds[i%len(seeds)])
		a := post(t, ts.URL+"/webhook", body, nil)
		require.Less(t, a.status, 500, "mutation %d %q: %s", i, body, a.raw)
		if a.status == 200 {
			require.Contains(t, a.body, "toBotState", "mutation %d %q", i, body)
		} else {
			require.NotEmpty(t, a.body["error"], "mutation %d %q", i, body)
		}
	}
}

// mutate changes a valid JSON payload the way a buggy or hostile client
// might: through its values (types swapped, fields dropped) or its bytes.
func mutate(rng *rand.Rand, body []byte) []byte {
	if rng.IntN(3) == 0 { // byte-level damage
		b := bytes.Clone(body)
		for range 1 + rng.IntN(4) {
			switch i := rng.IntN(len(b)); rng.IntN(3) {
			case 0:
				b[i] = byte(rng.IntN(256))
			case 1:
				b = b[:i]
			default:
				junk := `"}{[,:`[rng.IntN(6)]
				b = append(b[:i:i], append([]byte{junk}, b[i:]...)...)
			}
			if len(b) == 0 {
				break
			}
		}
		return b
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		panic(err)
	}
	v = mutateValue(rng, v, 0)
	out, _ := json.Marshal(v)
	return out
}

var oddValues = []any{nil, 0, -1, 1.5e300, "", "x", true, false, []any{}, map[string]any{}, "JOIN_ROOM", "MESSAGE", strings.Repeat("长", 300), []any{1, "a", nil}}

func mutateValue(rng *rand.Rand, v any, depth int) any {
	if rng.IntN(6) == 0 {
		return oddValues[rng.IntN(len(oddValues))]
	}
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			switch rng.IntN(6) {
			case 0:
				delete(x, k)
			case 1:
				x[k] = oddValues[rng.IntN(len(oddValues))]
			default:
				if depth < 4 {
					x[k] = mutateValue(rng, child, depth+1)
				}
			}
		}
		return x
	case []any:
		for i := range x {
			x[i] = mutateValue(rng, x[i], depth+1)
		}
		return x
	}
	return v
}

// Shutdown waits for turns in flight.
func TestGracefulShutdown(t *testing.T) {
	bot, err := framework.New(framework.Chart{Initial: "s", States: []framework.State{{Name: "s", On: []framework.Transition{
		{Match: framework.AnyMessage(), Call: "work", Reply: framework.Say("done")},
	}}}}, framework.Options{Handlers: map[string]framework.Handler{
		"work": func(ctx context.Context, _ *framework.Turn) error {
			select {
			case <-time.After(300 * time.Millisecond):
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
	}})
	require.NoError(t, err)
	srv := server.New(bot, server.Config{Logger: discard()})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, l, 5*time.Second) }()

	var wg sync.WaitGroup
	var got answer
	wg.Add(1)
	go func() {
		defer wg.Done()
		got = post(t, "http://"+l.Addr().String()+"/webhook", message("s", "hi"), nil)
	}()
	time.Sleep(100 * time.Millisecond) // the turn is in flight
	cancel()
	wg.Wait()
	require.NoError(t, <-served)
	assert.Equal(t, 200, got.status)
	assert.Equal(t, "done", got.body["data"].(map[string]any)["message"])

	_, err = net.DialTimeout("tcp", l.Addr().String(), time.Second)
	assert.Error(t, err, "the listener is closed after shutdown")
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
