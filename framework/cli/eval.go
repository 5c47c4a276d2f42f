package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/fsmbot/fsmbot/framework/faq"
)

const evalHelp = `
Scores the bot's knowledge base on a labelled set of questions (a TSV file:
a question, a tab, the id of the entry that should answer it, or none for a
question outside the shop's business): top-1 precision, how often the right
entry is at least among the suggestions, how often out-of-scope questions
are declined, and every miss. Try thresholds with the flags before putting
them in the chart's faq: pattern.`

func (r *runner) eval(ctx context.Context, args []string) error {
	fl := r.flagSet("eval", evalHelp)
	kbPath := fl.String("kb", "", "a knowledge base `file` on disk instead of the bot's own")
	var opts faq.Options
	fl.Float64Var(&opts.MinScore, "min-score", 0, "the score an answer needs (default 0.45)")
	fl.Float64Var(&opts.MinLead, "min-lead", 0, "how far the answer must lead the second entry, as a share of its score (default 0.2)")
	fl.Float64Var(&opts.SuggestScore, "suggest-score", 0, "the score a suggestion needs (default 0.35)")
	rest, err := r.parse(fl, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usagef("eval takes one file of questions")
	}
	var kb *faq.KnowledgeBase
	switch {
	case *kbPath != "":
		kb, err = faq.Load(*kbPath)
	case r.app.KnowledgeBase != "" && r.app.Charts != nil:
		kb, err = faq.LoadFS(r.app.Charts, r.app.KnowledgeBase)
	default:
		return usagef("this bot has no knowledge base: give one with --kb FILE")
	}
	if err != nil {
		return err
	}
	data, err := os.ReadFile(rest[0])
	if err != nil {
		return err
	}
	queries, err := faq.LoadQueries(rest[0], data)
	if err != nil {
		return err
	}
	report := faq.Evaluate(faq.NewIndex(kb, opts), queries)
	_, err = fmt.Fprint(r.io.Out, report.String())
	return err
}
