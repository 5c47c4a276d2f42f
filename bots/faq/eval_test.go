package main

import (
	"os"
	"testing"

	"github.com/fsmbot/fsmbot/framework/faq"
	"github.com/fsmbot/fsmbot/statecharts"
	"github.com/stretchr/testify/require"
)

// The knowledge base answers the questions customers ask, and declines the
// ones outside the shop's business. The targets are 0.90; below 0.85 fails.
func TestKnowledgeBaseEvaluation(t *testing.T) {
	kb, err := faq.LoadFS(statecharts.FS, "kb/faq.yaml")
	require.NoError(t, err)
	data, err := os.ReadFile("testdata/faq_eval.tsv")
	require.NoError(t, err)
	queries, err := faq.LoadQueries("testdata/faq_eval.tsv", data)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(queries), 200)

	report := faq.Evaluate(faq.NewIndex(kb, faq.Options{}), queries)
	t.Log("\n" + report.String())
	require.GreaterOrEqual(t, report.Precision, 0.85, "top-1 precision")
	require.GreaterOrEqual(t, report.Rejection, 0.85, "out-of-scope rejection")
}
