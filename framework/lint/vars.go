package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// unsetVariables reports variables that templates (.Vars.NAME) and guards
// (vars.NAME) read but nothing in the chart sets: no set:, no regex group
// (?P<NAME>…), no command's "args". Rule unset-variable, a warning: Go
// handlers and custom matchers may set variables, and lint cannot see
// inside them.
func (l *linter) unsetVariables() {
	m := l.m
	set := map[string]bool{}
	var handlers []string
	addAction := func(a framework.ActionInfo) {
		for _, v := range a.Sets {
			set[v] = true
		}
		if a.Call != "" && !internalHandler.MatchString(a.Call) && !slices.Contains(handlers, a.Call) {
			handlers = append(handlers, a.Call)
		}
	}
	for _, n := range m.nodes {
		addAction(n.info.Enter)
		addAction(n.info.Exit)
	}
	custom := false
	for _, t := range m.trans {
		addAction(t.info.Action)
		for _, v := range t.info.Captures {
			set[v] = true
		}
		if v := slotVariable(t); v != "" {
			set[v] = true
		} else {
			custom = custom || t.info.Match.Kind() == framework.MatchCustom
		}
	}
	var names []string
	for v := range set {
		names = append(names, v)
	}
	slices.Sort(names)
	slices.Sort(handlers)

	// Why lint cannot be sure, and what to do.
	var unsure, fix string
	switch {
	case len(handlers) > 0:
		fix = fmt.Sprintf("if Go handler %s sets it, ignore this: lint cannot see inside handlers", joinOr(handlers))
	case custom:
		fix = "if a custom matcher sets it, ignore this: lint cannot see inside matchers"
	default:
		unsure = ", and the chart calls no Go handler"
		fix = "set it, or stop reading it"
	}
	check := func(pos framework.Pos, reads []string, form, where string) {
		for _, v := range reads {
			if set[v] {
				continue
			}
			fix := fix
			if s := closest(v, names); s != "" {
				fix = fmt.Sprintf("did you mean "+form+"? else ", s) + fix
			}
			l.report(Warning, pos, ruleUnsetVariable,
				"%s reads "+form+", but nothing sets %q: no set:, regex group, command args or form slot%s (%s)",
				where, v, v, unsure, fix)
		}
	}
	for _, n := range m.nodes {
		check(n.info.Pos, n.info.Enter.Reads, ".Vars.%s", fmt.Sprintf("state %q, when entered,", n.info.Path))
		check(n.info.Pos, n.info.Exit.Reads, ".Vars.%s", fmt.Sprintf("state %q, when left,", n.info.Path))
	}
	for _, t := range m.trans {
		who := subject(t)
		if !t.info.Fallback && !t.info.Global {
			who = "transition " + who
		}
		check(t.info.Pos, t.info.Action.Reads, ".Vars.%s", who)
		check(t.info.Pos, t.info.GuardReads, "vars.%s", "the guard of "+who)
	}
}

// internalHandler is how the handlers a form makes for itself show; they
// set only the form's own bookkeeping.
var internalHandler = regexp.MustCompile(`^form\.handler\d+$`)

// slotVariable is the variable a form's slot sets: the answer to slot NAME
// is matched, in the form's child state ask_NAME, by a custom matcher
// labelled "slot TYPE", which sets NAME.
func slotVariable(t *trans) string {
	m := t.info.Match
	if m.Kind() != framework.MatchCustom || t.from == nil || !strings.HasPrefix(m.String(), "custom: slot ") {
		return ""
	}
	name, ok := strings.CutPrefix(t.from.info.Name, "ask_")
	if !ok {
		return ""
	}
	return name
}

// closest is the name in names nearest to v, for a "did you mean": at most
// two edits away and fewer than half of v's letters; "" when none is.
func closest(v string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := distance(v, n); d < bestD && 2*d < len([]rune(v)) {
			best, bestD = n, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
