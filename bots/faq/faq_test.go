package main

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/bottest"
	"github.com/fsmbot/fsmbot/framework/chart"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/fsmbot/fsmbot/framework/store/memory"
	"github.com/fsmbot/fsmbot/statecharts"
	"github.com/stretchr/testify/require"
)

// transcripts are the bot's conversation tests; testdata/script holds the
// command-line tests (script_test.go).
const transcripts = "testdata/transcripts"

// newBot compiles the embedded chart, with its flows and its knowledge base
// (kb/faq.yaml, beside it), as the command does. now, when not nil, is the
// bot's clock: a transcript's now: (business hours decide what a handoff
// does).
func newBot(t testing.TB, now func() time.Time) *framework.Bot {
	t.Helper()
	data, err := statecharts.FS.ReadFile("faq.yaml")
	require.NoError(t, err)
	bot, err := chart.Loader{Flows: statecharts.FS, Files: statecharts.FS}.Compile("faq.yaml", data,
		framework.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: now})
	require.NoError(t, err)
	require.Empty(t, bot.Warnings())
	return bot
}

// load reads the transcripts.
func load(t *testing.T) []bottest.Transcript {
	t.Helper()
	all, err := bottest.Load(transcripts)
	require.NoError(t, err)
	return all
}

// runEach plays each transcript against a target made for it, with a bot
// whose clock says the transcript's now:.
func runEach(t *testing.T, target func(bot *framework.Bot) bottest.Target) {
	for _, tr := range load(t) {
		bottest.Run(t, target(newBot(t, tr.Clock())), []bottest.Transcript{tr})
	}
}

func TestTranscriptsInProcess(t *testing.T) {
	runEach(t, bottest.InProcess)
}

// Over HTTP the server keeps the rooms' sessions in memory, as serve does in
// its store: the knowledge base's suggestions must last until the next
// message, which picks one by its number.
func TestTranscriptsOverHTTP(t *testing.T) {
	runEach(t, func(bot *framework.Bot) bottest.Target {
		store := memory.New(framework.StoreOptions{})
		t.Cleanup(func() { store.Close() })
		srv := httptest.NewServer(server.New(bot, server.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Store: store}))
		t.Cleanup(srv.Close)
		return bottest.HTTP(srv.URL+"/webhook", nil)
	})
}

// play plays every transcript in process, each with its clock.
func play(t *testing.T) []bottest.StepResult {
	var results []bottest.StepResult
	for _, tr := range load(t) {
		results = append(results, tr.Play(t.Context(), bottest.InProcess(newBot(t, tr.Clock())))...)
	}
	return results
}

// The transcripts visit every state of the chart.
func TestTranscriptsReachEveryState(t *testing.T) {
	visited := map[string]bool{}
	for _, r := range play(t) {
		visited[r.Answer.State] = true
	}
	for _, s := range newBot(t, nil).States() {
		found := visited[s]
		for v := range visited { // "handoff/waiting<menu" is in handoff/waiting
			found = found || strings.HasPrefix(v, s+framework.HistorySeparator)
		}
		require.True(t, found, "no transcript reaches state %q", s)
	}
}

// Every transition of the chart fires in some transcript: 100% coverage,
// as go run ./bots/faq test --coverage bots/faq/testdata/transcripts says.
// Global transitions and those of parent states are one transition each,
// however many states they serve, so this is within reach.
func TestTranscriptsCoverEveryTransition(t *testing.T) {
	report := bottest.Coverage(newBot(t, nil), play(t))
	t.Log(report)
	for _, g := range report.MissedBySource() {
		t.Errorf("no transcript fires %s: %s %v", g.Pos, bottest.Describe(g.Transition), g.Missed)
	}
	require.Equal(t, report.Total(), report.Covered())
}

// A transcript that reaches the handoff says when it happens (now:): what
// the handoff does with the next message depends on the hour, and a
// transcript must not pass at 10:00 and fail at 23:00.
func TestHandoffTranscriptsFixTheTime(t *testing.T) {
	for _, tr := range load(t) {
		if !tr.Now.IsZero() {
			continue
		}
		for _, r := range tr.Play(t.Context(), bottest.InProcess(newBot(t, nil))) {
			if strings.HasPrefix(r.Answer.State, "handoff/") {
				t.Errorf("%s:%d: %s reaches %s: give the transcript a time, such as now: 2026-11-27T10:00:00+08:00", tr.File, r.Step.Line, tr.Name, r.Answer.State)
				break
			}
		}
	}
}
