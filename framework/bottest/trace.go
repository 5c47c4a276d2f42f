package bottest

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
)

// maxLabel is how much of a candidate's label FormatTrace shows: a keyword
// list can run to dozens of words, and the id says where to read the rest.
const maxLabel = 60

// FormatTrace renders the trace of one turn for people, as test failures
// and "explain" show it:
//
//	start → handoff by start#4: keywords: 转人工 | 轉人工 | 人工客服 …
//	candidates:
//	  start#2  pattern missed  keywords: 结束人工 | 結束人工 | 取消人工
//	  start#3  pattern missed  exact: 0 | 人工 | 客服人员 | 客服人員
//	  start#4  fired           keywords: 转人工 | 轉人工 | 人工客服 | 找人工 | …
//	reply: 好的，已为您转接人工客服，请稍候…
//	time: match 8µs, total 31µs
//
// Lines for set variables, variables, handler calls, notes (Turn.Note), a
// skipped turn and an error appear when the turn has them.
func FormatTrace(tr *framework.Trace) string {
	if tr == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s → %s", tr.From, tr.To)
	switch {
	case tr.Transition != "" && tr.Label != "":
		fmt.Fprintf(&b, " by %s: %s", tr.Transition, tr.Label)
	case tr.Transition != "":
		fmt.Fprintf(&b, " by %s", tr.Transition)
	case tr.Skipped != "":
		fmt.Fprintf(&b, ": no transition fired (%s)", tr.Skipped)
	default:
		b.WriteString(": no transition fired")
	}
	b.WriteString("\n")
	if len(tr.Candidates) > 0 {
		b.WriteString("candidates:\n")
		idWidth, outcomeWidth := 0, 0
		for _, c := range tr.Candidates {
			idWidth = max(idWidth, len(c.ID))
			outcomeWidth = max(outcomeWidth, min(len(c.Outcome), len("pattern missed")))
		}
		for _, c := range tr.Candidates {
			line := fmt.Sprintf("  %-*s  %-*s  %s", idWidth, c.ID, outcomeWidth, c.Outcome, clip(c.Label, maxLabel))
			b.WriteString(strings.TrimRight(line, " "))
			b.WriteString("\n")
		}
	}
	if len(tr.Set) > 0 {
		parts := make([]string, len(tr.Set))
		for i, a := range tr.Set {
			parts[i] = fmt.Sprintf("%s=%q", a.Name, a.Value)
		}
		fmt.Fprintf(&b, "set: %s\n", strings.Join(parts, ", "))
	}
	if len(tr.Vars) > 0 {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(tr.Vars)) {
			parts = append(parts, fmt.Sprintf("%s=%q", k, tr.Vars[k]))
		}
		fmt.Fprintf(&b, "vars: %s\n", strings.Join(parts, ", "))
	}
	if len(tr.Calls) > 0 {
		fmt.Fprintf(&b, "calls: %s\n", strings.Join(tr.Calls, ", "))
	}
	for _, k := range slices.Sorted(maps.Keys(tr.Notes)) {
		fmt.Fprintf(&b, "note %s: %s\n", k, noteText(tr.Notes[k]))
	}
	if tr.Reply != nil {
		b.WriteString("reply: ")
		b.WriteString(indentAfterFirst(*tr.Reply, "       "))
		b.WriteString("\n")
	} else {
		b.WriteString("reply: none\n")
	}
	if tr.Error != "" {
		fmt.Fprintf(&b, "error: %s\n", tr.Error)
	}
	fmt.Fprintf(&b, "time: match %s, total %s\n", round(tr.MatchTime), round(tr.TotalTime))
	return b.String()
}

// noteText shows a note's value: a string as is, anything else as JSON.
func noteText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}

// clip shortens s to n runes, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// round keeps durations readable: 12.345µs, not 12.345678µs.
func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	case d >= time.Microsecond:
		return d.Round(100 * time.Nanosecond)
	}
	return d
}

// indent puts prefix before every non-empty line of s.
func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "")
}

// indentAfterFirst aligns the continuation lines of a multi-line text under
// its first line.
func indentAfterFirst(s, prefix string) string {
	return strings.ReplaceAll(s, "\n", "\n"+prefix)
}
