package main

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/bottest"
	"github.com/fsmbot/fsmbot/framework/chart"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/fsmbot/fsmbot/statecharts"
	"github.com/stretchr/testify/require"
)

// transcripts are the bot's conversation tests; testdata/script holds the
// command-line tests (script_test.go).
const transcripts = "testdata/transcripts"

func newBot(t *testing.T) *framework.Bot {
	t.Helper()
	data, err := statecharts.FS.ReadFile("faq.yaml")
	require.NoError(t, err)
	bot, err := chart.Compile("faq.yaml", data, framework.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	require.Empty(t, bot.Warnings())
	return bot
}

func TestTranscriptsInProcess(t *testing.T) {
	bottest.RunFiles(t, bottest.InProcess(newBot(t)), transcripts)
}

func TestTranscriptsOverHTTP(t *testing.T) {
	srv := httptest.NewServer(server.New(newBot(t), server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	bottest.RunFiles(t, bottest.HTTP(srv.URL+"/webhook", nil), transcripts)
}

// The transcripts visit every state of the chart.
func TestTranscriptsReachEveryState(t *testing.T) {
	bot := newBot(t)
	all, err := bottest.Load(transcripts)
	require.NoError(t, err)
	visited := map[string]bool{}
	for _, tr := range all {
		for _, r := range tr.Play(t.Context(), bottest.InProcess(bot)) {
			visited[r.Answer.State] = true
		}
	}
	for _, s := range bot.States() {
		require.True(t, visited[s], "no transcript reaches state %q", s)
	}
}

// Every transition written in the chart fires in some transcript, from at
// least one state. (The shared list, on: *common, is compiled into each of
// the fourteen states that use it; not every state tries every line: see
// go run ./bots/faq test --coverage bots/faq/testdata/transcripts.)
func TestTranscriptsCoverEveryLine(t *testing.T) {
	bot := newBot(t)
	all, err := bottest.Load(transcripts)
	require.NoError(t, err)
	var results []bottest.StepResult
	for _, tr := range all {
		results = append(results, tr.Play(t.Context(), bottest.InProcess(bot))...)
	}
	report := bottest.Coverage(bot, results)
	t.Log(report)
	for _, g := range report.BySource() {
		require.NotZero(t, g.Fired, "no transcript fires %s: %s", g.Pos, bottest.Describe(g.Transition))
	}
}
