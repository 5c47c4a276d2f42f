package bottest_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/bottest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A transcript's now: fixes the clock of the bot that plays it, through
// Transcript.Clock and framework.Options.Now.
func TestNow(t *testing.T) {
	const src = `name: 下班后
now: 2026-11-27T23:30:00+08:00
steps:
  - say: 人工
    expect: {state: closed}
`
	trs, err := bottest.Parse("late.yaml", []byte(src))
	require.NoError(t, err)
	require.Len(t, trs, 1)
	tr := trs[0]
	assert.True(t, tr.Now.Equal(time.Date(2026, 11, 27, 15, 30, 0, 0, time.UTC)), "now: %v", tr.Now)
	require.NotNil(t, tr.Clock())
	assert.True(t, tr.Clock()().Equal(tr.Now))

	// The hour guard sees 23 in Asia/Shanghai: the transcript passes at any
	// real time of day.
	bot, err := framework.New(framework.Chart{
		Name: "hours", Initial: "start", TimeZone: "Asia/Shanghai",
		States: []framework.State{
			{Name: "start", On: []framework.Transition{
				{Match: framework.Exact("人工"), If: "hour >= 9 && hour < 22", To: "open"},
				{Match: framework.Exact("人工"), To: "closed"},
			}},
			{Name: "open", Reply: framework.Say("请稍候")},
			{Name: "closed", Reply: framework.Say("请留言")},
		},
	}, framework.Options{Now: tr.Clock(), Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	for _, r := range tr.Play(context.Background(), bottest.InProcess(bot)) {
		assert.Empty(t, r.Failure)
	}

	// Without now:, no clock: the bot keeps the real time.
	trs, err = bottest.Parse("plain.yaml", []byte("steps:\n  - say: 人工\n"))
	require.NoError(t, err)
	assert.True(t, trs[0].Now.IsZero())
	assert.Nil(t, trs[0].Clock())
}

func TestNowMustBeATime(t *testing.T) {
	for _, bad := range []string{"tomorrow", "2026-11-27 10:00", "[1, 2]"} {
		_, err := bottest.Parse("bad.yaml", []byte("now: "+bad+"\nsteps:\n  - say: hi\n"))
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "bad.yaml:1: now:")
		assert.Contains(t, err.Error(), "RFC 3339")
	}
}
