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
	bottest.RunFiles(t, bottest.InProcess(newBot(t)), "testdata")
}

func TestTranscriptsOverHTTP(t *testing.T) {
	srv := httptest.NewServer(server.New(newBot(t), server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	bottest.RunFiles(t, bottest.HTTP(srv.URL+"/webhook", nil), "testdata")
}

// The transcripts visit every state of the chart.
func TestTranscriptsReachEveryState(t *testing.T) {
	bot := newBot(t)
	transcripts, err := bottest.Load("testdata")
	require.NoError(t, err)
	visited := map[string]bool{}
	for _, tr := range transcripts {
		for _, r := range tr.Play(t.Context(), bottest.InProcess(bot)) {
			visited[r.Answer.State] = true
		}
	}
	for _, s := range bot.States() {
		require.True(t, visited[s], "no transcript reaches state %q", s)
	}
}
