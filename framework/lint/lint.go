package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// Severity says how sure Check is that a finding is a mistake.
type Severity int

// The severities, from least to most certain.
const (
	// Warning is a likely mistake: something that is legal, and may be
	// meant, but usually is not.
	Warning Severity = iota
	// Error is something certainly broken: a transition that can never
	// fire, a room that is stuck for good.
	Error
)

// String is "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// Finding is one problem Check found in a chart.
type Finding struct {
	Severity Severity
	Pos      framework.Pos
	// Rule is the rule that found it: "unreachable", "dead-end",
	// "shadowed", "duplicate-pattern", "unhandled-event" or
	// "unset-variable".
	Rule string
	// Message says what is wrong and, in parentheses, what to do.
	Message string
}

// String formats f like a compiler message:
//
//	faq.yaml:12:7: warning: state "x" is unreachable: … (unreachable)
func (f Finding) String() string {
	var b strings.Builder
	if p := f.Pos.String(); p != "" {
		b.WriteString(p)
		b.WriteString(": ")
	}
	b.WriteString(f.Severity.String())
	b.WriteString(": ")
	b.WriteString(f.Message)
	b.WriteString(" (")
	b.WriteString(f.Rule)
	b.WriteString(")")
	return b.String()
}

// The rules' names, as in Finding.Rule.
const (
	ruleUnreachable      = "unreachable"
	ruleDeadEnd          = "dead-end"
	ruleShadowed         = "shadowed"
	ruleDuplicatePattern = "duplicate-pattern"
	ruleUnhandledEvent   = "unhandled-event"
	ruleUnsetVariable    = "unset-variable"
)

// Check lints a compiled bot: it looks for states no room can reach, states
// a room cannot leave, transitions and words that can never match, events
// and messages nothing handles, and variables nothing sets. Findings are
// sorted by position; a nil bot has none.
func Check(bot *framework.Bot) []Finding {
	if bot == nil {
		return nil
	}
	l := &linter{m: newModel(bot)}
	l.shadowed()
	l.duplicateWords()
	l.unreachable()
	l.deadEnds()
	l.unhandledEvents()
	l.unsetVariables()
	return tidy(l.findings)
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Severity == Error })
}

// linter collects findings over one model.
type linter struct {
	m        *model
	findings []Finding
	reached  map[*node]bool // filled by unreachable
}

func (l *linter) report(sev Severity, pos framework.Pos, rule, format string, args ...any) {
	l.findings = append(l.findings, Finding{Severity: sev, Pos: pos, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// tidy sorts findings by position and drops repeats: transitions shared by
// several states through a YAML alias have one position, and one problem
// with them is reported once.
func tidy(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(b.Severity, a.Severity), // errors first
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.Compact(fs)
}
