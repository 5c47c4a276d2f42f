package cli

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/bottest"
)

const testHelp = `
Runs conversation transcripts (YAML, see package bottest) against the bot, in
process. PATH is a transcript file or a directory of them (every *.yaml and
*.yml, recursively). Each failing step is printed as file:line: step: what,
followed by the trace of its turn; then a summary, "N passed, M failed".
Exits 1 if a transcript fails.

A transcript that says now: (see package bottest) plays against the bot with
its clock fixed at that time, for guards on the hour or weekday.

With --coverage it also prints the share of the chart's transitions the
transcripts fired, and where in the chart the ones never taken are.`

func (r *runner) test(ctx context.Context, args []string) error {
	fl := r.flagSet("test", testHelp)
	chartPath := r.chartFlag(fl)
	coverage := fl.Bool("coverage", false, "print the share of transitions the transcripts fired, and those they never did")
	verbose := fl.Bool("v", false, "name each transcript as it passes or fails")
	paths, err := r.parse(fl, args)
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		return usagef("no transcripts: give files or directories, such as testdata/transcripts")
	}
	transcripts, err := bottest.Load(paths...)
	if err != nil {
		return err
	}
	if len(transcripts) == 0 {
		return fmt.Errorf("no transcripts (*.yaml, *.yml) in %s", strings.Join(paths, ", "))
	}
	opts, err := r.botOptions("error")
	if err != nil {
		return err
	}
	bot, err := r.load(*chartPath, opts)
	if err != nil {
		return err
	}
	// A transcript with now: plays against a bot whose clock says that time;
	// one bot (and target) per time. The charts are the same: so are their
	// transitions, which coverage counts on bot.
	targets := map[time.Time]bottest.Target{{}: bottest.InProcess(bot)}
	targetFor := func(tr bottest.Transcript) (bottest.Target, error) {
		key := tr.Now.UTC() // the zero time for a transcript without now:
		if t, ok := targets[key]; ok {
			return t, nil
		}
		o := opts
		o.Now = tr.Clock()
		b, err := r.load(*chartPath, o)
		if err != nil {
			return nil, err
		}
		targets[key] = bottest.InProcess(b)
		return targets[key], nil
	}

	out := r.io.Out
	var all []bottest.StepResult
	passed, failed := 0, 0
	for _, tr := range transcripts {
		if err := ctx.Err(); err != nil {
			return err
		}
		target, err := targetFor(tr)
		if err != nil {
			return err
		}
		tctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		results := tr.Play(tctx, target)
		cancel()
		all = append(all, results...)
		if n := len(results); n > 0 && results[n-1].Failure != "" {
			failed++
			if *verbose {
				fmt.Fprintf(out, "FAIL %s (%s)\n", tr.Name, tr.File)
			}
			fmt.Fprintln(out, bottest.FormatFailure(tr, results[n-1]))
			continue
		}
		passed++
		if *verbose {
			fmt.Fprintf(out, "ok   %s (%s, %d steps)\n", tr.Name, tr.File, len(results))
		}
	}
	if *coverage {
		report := bottest.Coverage(bot, all)
		fmt.Fprintln(out, report)
		fired, total := report.Sources()
		fmt.Fprintf(out, "          %d of the %d transitions written in the chart fired from at least one state\n", fired, total)
		if groups := report.MissedBySource(); len(groups) > 0 {
			fmt.Fprintln(out, "never taken:")
			for _, g := range groups {
				pos := g.Pos.String()
				if pos == "" {
					pos = "(no position)"
				}
				where := strings.Join(g.Missed, ", ")
				if g.Total > 1 {
					where = fmt.Sprintf("in %d of %d states: %s", len(g.Missed), g.Total, where)
				}
				fmt.Fprintf(out, "  %s: %s  [%s]\n", pos, describeShort(g.Transition), where)
			}
		}
	}
	fmt.Fprintf(out, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return exitCode(1)
	}
	return nil
}

// describeShort is bottest.Describe with the trigger clipped: a keyword list
// runs to dozens of words, and the position says where to read them all.
func describeShort(t framework.TransitionInfo) string {
	d := bottest.Describe(t)
	if t.To == "" {
		return clip(d, 60)
	}
	head, _ := strings.CutSuffix(d, " → "+t.To)
	return clip(head, 60) + " → " + t.To
}

// clip shortens s to n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
