package cli_test

import (
	"bytes"
	"context"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework/cli"
	"github.com/fsmbot/fsmbot/statecharts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var faq = cli.App{Name: "faq", Nickname: "小优", Charts: statecharts.FS, Chart: "faq.yaml", Flows: statecharts.FS}

// lockedBuffer is written by the server goroutine and read by the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func env(vars map[string]string) cli.Env { return func(k string) string { return vars[k] } }

// startFAQ runs the real start-up on a free port and returns the webhook URL
// it printed, and a function that stops it and returns its exit status.
// Unless vars or args choose a store, it keeps sessions in a temporary
// directory, not in ./data.
func startFAQ(t *testing.T, args []string, vars map[string]string) (url string, stop func() int, logs *lockedBuffer) {
	t.Helper()
	return startApp(t, faq, args, vars)
}

// startApp is startFAQ for any app.
func startApp(t *testing.T, app cli.App, args []string, vars map[string]string) (url string, stop func() int, logs *lockedBuffer) {
	t.Helper()
	if !choosesStore(args, vars) {
		vars = maps.Clone(vars)
		if vars == nil {
			vars = map[string]string{}
		}
		vars["DATA_DIR"] = t.TempDir()
	}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout lockedBuffer
	logs = &lockedBuffer{}
	done := make(chan int, 1)
	go func() { done <- app.Run(ctx, args, env(vars), cli.IO{Out: &stdout, Err: logs}) }()
	urlRE := regexp.MustCompile(`http://\S+/webhook`)
	deadline := time.After(10 * time.Second)
	for !urlRE.MatchString(stdout.String()) {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("exited with status %d before serving; logs:\n%s", code, logs)
		case <-deadline:
			cancel()
			t.Fatalf("no URL printed; logs:\n%s", logs)
		case <-time.After(10 * time.Millisecond):
		}
	}
	out := stdout.String()
	assert.Contains(t, out, "curl -s ", "a ready-to-paste curl command")
	stop = sync.OnceValue(func() int { cancel(); return <-done })
	t.Cleanup(func() { stop() })
	return urlRE.FindString(out), stop, logs
}

func choosesStore(args []string, vars map[string]string) bool {
	for _, k := range []string{"DATA_DIR", "REDIS_URL", "MEMORY_STORE"} {
		if vars[k] != "" {
			return true
		}
	}
	for _, a := range args {
		switch strings.TrimLeft(strings.SplitN(a, "=", 2)[0], "-") {
		case "data", "redis", "memory":
			return true
		}
	}
	return false
}

func post(t *testing.T, url, body string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(data)
}

func TestServeSeedPayloads(t *testing.T) {
	url, stop, logs := startFAQ(t, []string{"serve", "-addr", "127.0.0.1:0", "-robot-id", "robot001"}, nil)
	for _, tc := range []struct{ file, state string }{
		{"join_room.json", `"toBotState":"menu"`},
		{"add_members.json", `"toBotState":"menu"`},
		{"delete_members.json", `"toBotState":"start"`},
		{"message.json", `"toBotState":`},
	} {
		body, err := os.ReadFile(filepath.Join("..", "webhook", "testdata", "requests", tc.file))
		require.NoError(t, err)
		status, answer := post(t, url, string(body), nil)
		assert.Equal(t, 200, status, answer)
		assert.Contains(t, answer, tc.state, tc.file)
		assert.Contains(t, answer, `"senderID":"robot001"`)
	}
	require.Equal(t, 0, stop())
	assert.Contains(t, logs.String(), "room=demo-room")
	assert.Contains(t, logs.String(), "shutting down")
}

func TestServeToken(t *testing.T) {
	url, stop, _ := startFAQ(t, []string{"-addr", "127.0.0.1:0"}, map[string]string{"WEBHOOK_TOKEN": "s3cret", "WEBHOOK_TOKEN_HEADER": "SOME_AUTH_KEY"})
	defer stop()
	body := `{"roomID":"r","event":"JOIN_ROOM","data":{"sender":{"_id":"u","nickname":"A"}}}`
	status, _ := post(t, url, body, nil)
	assert.Equal(t, 401, status)
	status, answer := post(t, url, body, map[string]string{"SOME_AUTH_KEY": "s3cret"})
	assert.Equal(t, 200, status, answer)
	assert.NotContains(t, answer, "senderID", "no robot ID configured: senderID omitted")
}

func TestBadConfiguration(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string
	}{
		{"bad flag", []string{"-nope"}, nil, 2, "flag provided but not defined"},
		{"stray argument", []string{"serve", "extra"}, nil, 2, `unexpected argument "extra"`},
		{"watch without chart", []string{"serve", "--watch"}, nil, 2, "--watch needs --chart"},
		{"bad timeout", nil, map[string]string{"TURN_TIMEOUT": "soon"}, 1, "TURN_TIMEOUT"},
		{"bad log level", nil, map[string]string{"LOG_LEVEL": "loud"}, 1, "LOG_LEVEL"},
		{"bad address", []string{"-addr", "256.0.0.1:99999"}, nil, 1, "listen"},
		{"missing chart", []string{"--chart", "no-such.yaml"}, nil, 1, "no-such.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := faq.Run(context.Background(), tc.args, env(tc.env), cli.IO{Err: &stderr})
			assert.Equal(t, tc.code, code, stderr.String())
			assert.Contains(t, stderr.String(), tc.want)
		})
	}
}
