package cli

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/lint"
)

const lintHelp = `
Checks the chart: it must load and compile, and lint must find no error in it.
Prints each problem as file:line:col: what. Exits 1 if the chart does not
load or has errors, 0 if it has warnings only.`

func (r *runner) lint(ctx context.Context, args []string) error {
	fl := r.flagSet("lint", lintHelp)
	chartPath := r.chartFlag(fl)
	rest, err := r.parse(fl, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q (the chart is given with --chart)", rest[0])
	}
	bot, err := r.loadTool(*chartPath)
	if err != nil {
		return err
	}
	found := check(bot)
	for _, line := range found.problems() {
		fmt.Fprintln(r.io.Out, line)
	}
	if found.hasErrors() {
		return exitCode(1)
	}
	return nil
}

// findings are what lint, and the compiler's own warnings, say of a bot.
type findings struct {
	lint []lint.Finding
	// warnings are the bot's Warnings that no lint finding already reports.
	warnings []framework.Problem
}

// check lints bot, adding the compiler's warnings that lint does not
// report itself: a finding at the same place, by the rule the warning names
// ("unreachable"), covers it.
func check(bot *framework.Bot) findings {
	f := findings{lint: lint.Check(bot)}
	for _, w := range bot.Warnings() {
		if !f.covers(w) {
			f.warnings = append(f.warnings, w)
		}
	}
	return f
}

func (f findings) covers(w framework.Problem) bool {
	for _, l := range f.lint {
		if l.Pos == w.Pos && strings.Contains(w.What, strings.ReplaceAll(l.Rule, "-", " ")) {
			return true
		}
	}
	return false
}

func (f findings) hasErrors() bool { return lint.HasErrors(f.lint) }

// problems are the findings, one line each, errors first.
func (f findings) problems() []string {
	var errs, others []string
	for _, l := range f.lint {
		if lint.HasErrors([]lint.Finding{l}) {
			errs = append(errs, l.String())
		} else {
			others = append(others, l.String())
		}
	}
	for _, w := range f.warnings {
		others = append(others, warningLine(w))
	}
	return append(errs, others...)
}

func warningLine(w framework.Problem) string {
	pos := w.Pos.String()
	w.Pos = framework.Pos{}
	if pos == "" {
		return "warning: " + w.String()
	}
	return pos + ": warning: " + w.String()
}

// Error makes findings with errors the error of a command that refuses the
// chart.
func (f findings) Error() string { return strings.Join(f.problems(), "\n") }

// log writes each finding to logger: errors as errors, the rest as
// warnings.
func (f findings) log(logger *slog.Logger) {
	for _, l := range f.lint {
		if lint.HasErrors([]lint.Finding{l}) {
			logger.Error("lint: " + l.String())
		} else {
			logger.Warn("lint: " + l.String())
		}
	}
	for _, w := range f.warnings {
		logger.Warn("chart: " + warningLine(w))
	}
}
