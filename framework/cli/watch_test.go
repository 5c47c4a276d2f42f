package cli_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pingChart answers "ping" with reply.
func pingChart(reply string) string {
	return "bot: watched\ninitial: start\nstates:\n  start:\n    on:\n      - exact: ping\n        reply: " + reply + "\n"
}

// replace writes content to path as editors save: a new file renamed over
// the old one.
func replace(t *testing.T, path, content string) {
	t.Helper()
	tmp := path + ".swp"
	require.NoError(t, os.WriteFile(tmp, []byte(content), 0o644))
	require.NoError(t, os.Rename(tmp, path))
}

func TestServeWatch(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bot.yaml")
	require.NoError(t, os.WriteFile(path, []byte(pingChart("v1")), 0o644))
	url, stop, logs := startFAQ(t, []string{"serve", "--addr", "127.0.0.1:0", "--chart", path, "--watch"}, nil)
	defer stop()

	pings := 0
	ping := func() string { // each a new message: a redelivery would get its first answer
		pings++
		status, answer := post(t, url, `{"roomID":"r","event":"MESSAGE","botState":"start","data":{"_id":"m`+strconv.Itoa(pings)+`","message":"ping","messageType":"text","sender":{"_id":"u"}}}`, nil)
		require.Equal(t, 200, status, answer)
		return answer
	}
	require.Contains(t, ping(), `"message":"v1"`)

	// A new valid version, saved as editors do: served.
	replace(t, path, pingChart("v2"))
	require.Eventually(t, func() bool { return strings.Contains(ping(), `"message":"v2"`) }, 10*time.Second, 20*time.Millisecond, "logs: %s", logs)
	assert.Contains(t, logs.String(), "chart reloaded")

	// Written in place, several times in a row: one reload, of the last.
	for _, v := range []string{"v3a", "v3b", "v3"} {
		require.NoError(t, os.WriteFile(path, []byte(pingChart(v)), 0o644))
	}
	require.Eventually(t, func() bool { return strings.Contains(ping(), `"message":"v3"`) }, 10*time.Second, 20*time.Millisecond, "logs: %s", logs)

	// Broken: v3 keeps serving, and the log says where the chart is wrong.
	replace(t, path, pingChart("v4")+"        to: nowhere\n")
	problem := regexp.MustCompile(regexp.QuoteMeta(path) + `:6:\d+: .*nowhere`)
	require.Eventually(t, func() bool { return problem.MatchString(logs.String()) }, 10*time.Second, 20*time.Millisecond, "logs: %s", logs)
	assert.Contains(t, logs.String(), "chart not reloaded, still serving the previous version")
	assert.Contains(t, ping(), `"message":"v3"`)

	// Compiles, but lint finds an error (a transition that can never fire):
	// v3 keeps serving.
	replace(t, path, pingChart("v5")+"      - exact: ping\n        reply: v5b\n")
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "lint found errors") }, 10*time.Second, 20*time.Millisecond, "logs: %s", logs)
	assert.Regexp(t, regexp.QuoteMeta(path)+`:8:\d+: error: `, logs.String())
	assert.Contains(t, ping(), `"message":"v3"`)

	// Fixed: served again.
	replace(t, path, pingChart("v6"))
	require.Eventually(t, func() bool { return strings.Contains(ping(), `"message":"v6"`) }, 10*time.Second, 20*time.Millisecond, "logs: %s", logs)

	require.Equal(t, 0, stop())
}

func TestServeChart(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, chart string
		want        string
	}{
		{"does not compile", pingChart("v") + "        to: nowhere\n", `:6:\d+: .*nowhere`},
		{"lint error", pingChart("v") + "      - exact: ping\n        reply: v2\n", `:8:\d+: error: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "_")+".yaml", tc.chart)
			r := run(t, faq, "", "serve", "--addr", "127.0.0.1:0", "--chart", path)
			r.check(t, 1, nil, []string{"re:^" + regexp.QuoteMeta(path) + tc.want})
			assert.NotContains(t, r.stdout, "serving its webhook")
		})
	}
	// A valid chart from disk is served.
	path := writeFile(t, dir, "ok.yaml", pingChart("from disk"))
	url, stop, _ := startFAQ(t, []string{"--addr", "127.0.0.1:0", "--chart", path}, nil)
	_, answer := post(t, url, `{"roomID":"r","event":"MESSAGE","data":{"message":"ping","sender":{"_id":"u"}}}`, nil)
	assert.Contains(t, answer, `"message":"from disk"`)
	assert.Equal(t, 0, stop())
}
