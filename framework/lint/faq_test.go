package lint_test

import (
	"log/slog"
	"testing"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/chart"
	"github.com/fsmbot/fsmbot/framework/lint"
	"github.com/fsmbot/fsmbot/statecharts"
	"github.com/stretchr/testify/require"
)

// The FAQ bot the repository ships must lint without errors. Its warnings,
// if any, are in the test log.
func TestFAQChartHasNoErrors(t *testing.T) {
	data, err := statecharts.FS.ReadFile("faq.yaml")
	require.NoError(t, err)
	bot, err := chart.Loader{Flows: statecharts.FS, Files: statecharts.FS}.Compile("statecharts/faq.yaml", data, framework.Options{Logger: slog.New(slog.DiscardHandler)})
	require.NoError(t, err)
	found := lint.Check(bot)
	for _, f := range found {
		t.Log(f)
	}
	require.False(t, lint.HasErrors(found), "lint finds errors in statecharts/faq.yaml")
}
