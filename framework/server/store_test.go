package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/fsmbot/fsmbot/framework/store/memory"
	"github.com/fsmbot/fsmbot/framework/store/redis"
	"github.com/fsmbot/fsmbot/framework/store/storetest"
)

// countingBot counts a room's turns in its session with a Go handler, and
// says the count; calls counts the handler's runs in this bot.
func countingBot(t *testing.T, calls *atomic.Int64) *framework.Bot {
	t.Helper()
	bot, err := framework.New(framework.Chart{
		Name: "counting", RobotID: "robot001", Initial: "menu",
		States: []framework.State{{Name: "menu", On: []framework.Transition{
			{Event: framework.JoinRoom, Call: "count", Reply: framework.Say("欢迎，第 {{.Vars.n}} 次")},
			{Match: framework.AnyMessage(), Call: "count", Reply: framework.Say("收到 {{.Text}}，第 {{.Vars.n}} 次")},
		}}},
	}, framework.Options{Logger: discard(), Handlers: map[string]framework.Handler{
		"count": func(_ context.Context, turn *framework.Turn) error {
			calls.Add(1)
			n, _ := strconv.Atoi(turn.Vars["n"])
			turn.Set("n", strconv.Itoa(n+1))
			return nil
		},
	}})
	require.NoError(t, err)
	return bot
}

func webhookBody(t *testing.T, event, msgID, text string) []byte {
	t.Helper()
	data := map[string]any{"room": "room-1", "sender": map[string]any{"_id": "u1", "nickname": "小明"}}
	if event == "MESSAGE" {
		data["_id"], data["message"], data["messageType"] = msgID, text, "text"
	} else {
		data["members"] = []any{map[string]any{"_id": "u1", "nickname": "小明"}}
	}
	body, err := json.Marshal(map[string]any{"appID": "app", "roomID": "room-1", "event": event, "botState": "menu", "data": data})
	require.NoError(t, err)
	return body
}

// A MESSAGE delivered again gets the same bytes back, without running
// again, from the server that answered it or from another replica; its
// session carries on, and events without an ID always run.
func TestRedelivery(t *testing.T) {
	for _, tc := range []struct {
		name string
		// replicas starts the servers, two URLs (the same one twice for a
		// single server), each server with its own bot counting in calls.
		replicas func(t *testing.T, calls *atomic.Int64) [2]string
	}{
		{"one server, memory store", func(t *testing.T, calls *atomic.Int64) [2]string {
			s := memory.New(framework.StoreOptions{})
			t.Cleanup(func() { s.Close() })
			ts := httptest.NewServer(server.New(countingBot(t, calls), server.Config{Logger: discard(), Store: s}))
			t.Cleanup(ts.Close)
			return [2]string{ts.URL + "/webhook", ts.URL + "/webhook"}
		}},
		{"two servers, one Redis", func(t *testing.T, calls *atomic.Int64) [2]string {
			url := storetest.StartRedis(t)
			var urls [2]string
			for i := range urls {
				s, err := redis.Open(url, framework.StoreOptions{})
				require.NoError(t, err)
				t.Cleanup(func() { s.Close() })
				ts := httptest.NewServer(server.New(countingBot(t, calls), server.Config{Logger: discard(), Store: s}))
				t.Cleanup(ts.Close)
				urls[i] = ts.URL + "/webhook"
			}
			return urls
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int64
			urls := tc.replicas(t, &calls)
			steps := []struct {
				replica   int
				event     string
				id, text  string
				reply     string
				replayOf  int // the step whose bytes come back, 1-based; 0: a new answer
				callsThen int64
			}{
				{0, "MESSAGE", "m1", "你好", "收到 你好，第 1 次", 0, 1},
				{1, "MESSAGE", "m1", "你好", "", 1, 1},
				{0, "MESSAGE", "m1", "你好", "", 1, 1},
				{1, "MESSAGE", "m1", "改过的文字", "", 1, 1}, // the ID is the message
				{1, "MESSAGE", "m2", "在吗", "收到 在吗，第 2 次", 0, 2},
				{0, "MESSAGE", "m2", "在吗", "", 5, 2},
				{0, "JOIN_ROOM", "", "", "欢迎，第 3 次", 0, 3},
				{1, "JOIN_ROOM", "", "", "欢迎，第 4 次", 0, 4},
				{0, "MESSAGE", "", "没有 ID", "收到 没有 ID，第 5 次", 0, 5},
				{1, "MESSAGE", "", "没有 ID", "收到 没有 ID，第 6 次", 0, 6},
			}
			raws := make([]string, len(steps))
			for i, st := range steps {
				a := post(t, urls[st.replica], webhookBody(t, st.event, st.id, st.text), nil)
				require.Equal(t, http.StatusOK, a.status, a.raw)
				raws[i] = a.raw
				if st.replayOf > 0 {
					assert.Equal(t, raws[st.replayOf-1], a.raw, "step %d: the bytes of step %d", i+1, st.replayOf)
				} else {
					require.IsType(t, map[string]any{}, a.body["data"], "step %d: %s", i+1, a.raw)
					assert.Equal(t, st.reply, a.body["data"].(map[string]any)["message"], "step %d", i+1)
					assert.Equal(t, "menu", a.body["toBotState"])
				}
				assert.Equal(t, st.callsThen, calls.Load(), "step %d: handler runs", i+1)
			}
		})
	}
}
