package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/cli"
	"github.com/fsmbot/fsmbot/framework/store/storetest"
)

// counter is an app whose chart is built in Go: every message adds one to
// the room's session variable n, in a Go handler, and the reply shows it.
var counter = cli.App{
	Name: "counter",
	Build: func() (framework.Chart, error) {
		return framework.Chart{Name: "counter", Initial: "s", States: []framework.State{{Name: "s", On: []framework.Transition{
			{Event: framework.JoinRoom, Reply: framework.Say("hi")},
			{Match: framework.AnyMessage(), Call: "count", Reply: framework.Say("{{.Text}} #{{.Vars.n}}")},
		}}}}, nil
	},
	Handlers: map[string]framework.Handler{"count": func(_ context.Context, t *framework.Turn) error {
		n, _ := strconv.Atoi(t.Vars["n"])
		t.Set("n", strconv.Itoa(n+1))
		return nil
	}},
}

func counterMessage(id, text string) string {
	body, _ := json.Marshal(map[string]any{"appID": "app", "roomID": "r1", "event": "MESSAGE", "botState": "s",
		"data": map[string]any{"_id": id, "message": text, "sender": map[string]any{"_id": "u1"}}})
	return string(body)
}

// replyOf is the reply's text in a webhook answer.
func replyOf(t *testing.T, answer string) string {
	t.Helper()
	var a struct{ Data struct{ Message string } }
	require.NoError(t, json.Unmarshal([]byte(answer), &a), answer)
	return a.Data.Message
}

// Each store keeps a room's session from turn to turn and answers a
// redelivery with the first answer's bytes; the log says which it is.
func TestServeStores(t *testing.T) {
	for _, tc := range []struct {
		name string
		args func(t *testing.T) []string
		vars func(t *testing.T) map[string]string
		log  []string
	}{
		{"bolt by flag, directory created", func(t *testing.T) []string {
			return []string{"-data", filepath.Join(t.TempDir(), "a", "b")}
		}, nil, []string{"session store: bolt", "fsmbot.db", "session_ttl=168h0m0s", "dedupe_window=24h0m0s"}},
		{"bolt by DATA_DIR", nil, func(t *testing.T) map[string]string {
			return map[string]string{"DATA_DIR": t.TempDir(), "SESSION_TTL": "1h", "DEDUPE_WINDOW": "10m"}
		}, []string{"session store: bolt", "session_ttl=1h0m0s", "dedupe_window=10m0s"}},
		{"memory", func(*testing.T) []string {
			return []string{"-memory", "-session-ttl", "2h", "-dedupe-window", "1h"}
		}, nil, []string{"session store: memory", "lost when the process stops", "session_ttl=2h0m0s", "dedupe_window=1h0m0s"}},
		{"memory by MEMORY_STORE", nil, func(*testing.T) map[string]string {
			return map[string]string{"MEMORY_STORE": "true"}
		}, []string{"session store: memory"}},
		{"redis", func(t *testing.T) []string {
			return []string{"-redis", storetest.StartRedis(t)}
		}, nil, []string{"session store: redis", "url=redis://127.0.0.1:", "prefix=fsmbot:counter:"}},
		{"redis by REDIS_URL", nil, func(t *testing.T) map[string]string {
			return map[string]string{"REDIS_URL": storetest.StartRedis(t)}
		}, []string{"session store: redis"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"serve", "-addr", "127.0.0.1:0"}
			if tc.args != nil {
				args = append(args, tc.args(t)...)
			}
			var vars map[string]string
			if tc.vars != nil {
				vars = tc.vars(t)
			}
			url, stop, logs := startApp(t, counter, args, vars)
			_, first := post(t, url, counterMessage("m1", "a"), nil)
			assert.Equal(t, "a #1", replyOf(t, first))
			_, again := post(t, url, counterMessage("m1", "a"), nil)
			assert.Equal(t, first, again, "a redelivery gets the same bytes")
			_, next := post(t, url, counterMessage("m2", "b"), nil)
			assert.Equal(t, "b #2", replyOf(t, next), "the session carried on")
			require.Equal(t, 0, stop())
			for _, want := range tc.log {
				assert.Contains(t, logs.String(), want)
			}
		})
	}
}

// A bolt store outlives the process: served again from the same directory,
// a room carries on and an answered message is answered the same.
func TestServeBoltSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	args := []string{"serve", "-addr", "127.0.0.1:0", "-data", dir}
	url, stop, _ := startApp(t, counter, args, nil)
	_, first := post(t, url, counterMessage("m1", "a"), nil)
	require.Equal(t, 0, stop())
	assert.FileExists(t, filepath.Join(dir, cli.DataFile))

	url, stop, _ = startApp(t, counter, args, nil)
	_, again := post(t, url, counterMessage("m1", "a"), nil)
	assert.Equal(t, first, again)
	_, next := post(t, url, counterMessage("m2", "b"), nil)
	assert.Equal(t, "b #2", replyOf(t, next))

	// One process per data directory: a second one is refused, saying why.
	r := run(t, counter, "", args...)
	r.check(t, 1, nil, []string{"file in use by another process", "give each process its own -data, or run replicas with -redis"})
	require.Equal(t, 0, stop())
}

// Two replicas over one Redis: one's answer is the other's.
func TestServeRedisReplicas(t *testing.T) {
	redisURL := storetest.StartRedis(t)
	args := []string{"serve", "-addr", "127.0.0.1:0"}
	vars := map[string]string{"REDIS_URL": redisURL}
	a, _, _ := startApp(t, counter, args, vars)
	b, _, _ := startApp(t, counter, args, vars)
	_, first := post(t, a, counterMessage("m1", "a"), nil)
	_, again := post(t, b, counterMessage("m1", "a"), nil)
	assert.Equal(t, first, again)
	_, next := post(t, b, counterMessage("m2", "b"), nil)
	assert.Equal(t, "b #2", replyOf(t, next))
}

func TestBadStoreConfiguration(t *testing.T) {
	notDir := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(notDir, nil, 0o600))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedPort := ln.Addr().String()
	ln.Close()
	for _, tc := range []struct {
		name   string
		args   []string
		env    map[string]string
		code   int
		want   []string
		unwant string
	}{
		{"data and redis", []string{"-data", "d", "-redis", "redis://x"}, nil, 2, []string{"-data (DATA_DIR) and -redis (REDIS_URL) both choose where sessions are kept"}, ""},
		{"memory and DATA_DIR", []string{"-memory"}, map[string]string{"DATA_DIR": "d"}, 2, []string{"-data (DATA_DIR) and -memory (MEMORY_STORE)"}, ""},
		{"REDIS_URL and MEMORY_STORE", nil, map[string]string{"REDIS_URL": "redis://x", "MEMORY_STORE": "1"}, 2, []string{"-redis (REDIS_URL) and -memory (MEMORY_STORE)"}, ""},
		{"empty data", []string{"-data", ""}, nil, 2, []string{"-data needs a directory"}, ""},
		{"zero TTL", []string{"-memory", "-session-ttl", "0s"}, nil, 2, []string{"must be positive"}, ""},
		{"bad SESSION_TTL", nil, map[string]string{"SESSION_TTL": "a week"}, 1, []string{"SESSION_TTL"}, ""},
		{"bad DEDUPE_WINDOW", nil, map[string]string{"DEDUPE_WINDOW": "-1h"}, 1, []string{"DEDUPE_WINDOW"}, ""},
		{"bad MEMORY_STORE", nil, map[string]string{"MEMORY_STORE": "maybe"}, 1, []string{"MEMORY_STORE"}, ""},
		{"data is a file", []string{"-data", notDir}, nil, 1, []string{"data directory"}, ""},
		{"redis not there, password hidden", []string{"-redis", "redis://u:s3cret@" + closedPort}, nil, 1, []string{"redis at redis://u:xxxxx@"}, "s3cret"},
		{"not a redis URL", []string{"-redis", "http://u:s3cret@example.com"}, nil, 1, []string{"REDIS_URL"}, "s3cret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			args := append([]string{"serve", "-addr", "127.0.0.1:0"}, tc.args...)
			code := counter.Run(context.Background(), args, env(tc.env), cli.IO{Err: &stderr})
			assert.Equal(t, tc.code, code, stderr.String())
			for _, w := range tc.want {
				assert.Contains(t, stderr.String(), w)
			}
			if tc.unwant != "" {
				assert.NotContains(t, stderr.String(), tc.unwant)
			}
		})
	}
}

func TestServeHelpNamesStores(t *testing.T) {
	r := run(t, faq, "", "serve", "-h")
	r.check(t, 0, nil, []string{"-data DIR", "DATA_DIR", "-redis URL", "REDIS_URL", "-memory", "MEMORY_STORE",
		"-session-ttl", "SESSION_TTL", "-dedupe-window", "DEDUPE_WINDOW", `(default "./data")`, "(default 168h0m0s)", "(default 24h0m0s)"})
}

// chat keeps the room's variables from turn to turn, as serve does; a new
// room starts afresh.
func TestChatKeepsSession(t *testing.T) {
	r := run(t, counter, "a\nb\n/reset\nc\n", "chat")
	r.check(t, 0, []string{"a #1", "b #2", "(new room chat-2)", "c #1"}, nil)
	assert.Equal(t, 1, strings.Count(r.stdout, "c #"), r.stdout)
}

// A chart built in Go is what every command runs; --chart still loads YAML.
func TestBuild(t *testing.T) {
	run(t, counter, "", "lint").check(t, 0, nil, nil)
	run(t, counter, "", "graph").check(t, 0, []string{"s"}, nil)
	run(t, counter, "", "explain", "x").check(t, 0, []string{"s#1"}, nil)
	run(t, counter, "", "serve", "-h").check(t, 0, nil, []string{"the app's own, built in Go"})

	broken := counter
	broken.Build = func() (framework.Chart, error) { return framework.Chart{}, os.ErrNotExist }
	run(t, broken, "", "lint").check(t, 1, nil, []string{"build chart: file does not exist"})
	invalid := counter
	invalid.Build = func() (framework.Chart, error) { return framework.Chart{Initial: "nowhere"}, nil }
	run(t, invalid, "", "lint").check(t, 1, nil, []string{"the chart has no states"})
}
