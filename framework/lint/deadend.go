package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// deadEnds reports reachable leaves a room cannot get out of (rule
// dead-end), and leaves with nothing at all for messages (rule
// unhandled-event), each leaf once:
//
//   - nothing that can fire there moves the room or says anything, for any
//     event: a dead end, an error: the room is stuck and silent for good;
//   - only other events (JOIN_ROOM, …) do, while its message transitions
//     and fallbacks all stay silently: a dead end for messages, a warning;
//   - only other events do, and it has no message transition and no
//     fallback at all: an unhandled MESSAGE, a warning.
//
// A transition helps when it goes to another state (or through History),
// says something, calls a handler (which may), or re-enters the state when
// entering or leaving it says something. Staying silently does not help:
// a handoff state whose fallback swallows every message is fine only with
// a transition out, such as "结束人工".
func (l *linter) deadEnds() {
	for _, leaf := range l.m.leaves {
		if !l.reached[leaf] {
			continue // reported as unreachable
		}
		p := l.m.plans[leaf]
		messages, helps := false, false
		var others []string // other events that help
		for i, t := range p.seq {
			ev := t.info.Event
			if i >= p.nc && ev != framework.MessageEvent {
				continue // never tried
			}
			if ev == framework.MessageEvent {
				messages = true
			}
			if !p.live(i) || !l.m.helps(leaf, t) {
				continue
			}
			if ev == framework.MessageEvent {
				helps = true
			} else if !slices.Contains(others, string(ev)) {
				others = append(others, string(ev))
			}
		}
		pos, path := leaf.info.Pos, leaf.info.Path
		switch {
		case helps:
		case len(others) == 0:
			l.report(Error, pos, ruleDeadEnd,
				"state %q is a dead end: nothing there leads out or says anything, so a room that gets here stays silent for good (add a transition out, such as exact: 菜单 to the menu, or a fallback that answers)", path)
		case messages:
			l.report(Warning, pos, ruleDeadEnd,
				"state %q is a dead end for messages: its transitions and fallbacks for messages stay silently; only %s leads out or answers (add a transition out on a message, such as exact: 菜单 to the menu)",
				path, joinOr(others))
		default:
			l.report(Warning, pos, ruleUnhandledEvent,
				"state %q handles no MESSAGE: it has no transition for messages and no fallback, so every message there goes unanswered; only %s leads out or answers (add transitions for messages, or a fallback)",
				path, joinOr(others))
		}
	}
}

// helps reports whether t, fired from leaf, takes the room somewhere or
// says something.
func (m *model) helps(leaf *node, t *trans) bool {
	if says(t.info.Action) || t.info.To == framework.History {
		return true
	}
	x := m.target(t)
	switch {
	case x == nil:
		return false
	case x.leaf() != leaf:
		return true
	}
	// Back into itself: it exits and enters leaf and its ancestors up to x.
	for s := leaf; s != nil; s = s.parent {
		if says(s.info.Enter) || says(s.info.Exit) {
			return true
		}
		if s == x {
			break
		}
	}
	return false
}

// says reports whether an action says something, or calls a handler that
// may.
func says(a framework.ActionInfo) bool { return len(a.Replies) > 0 || a.Call != "" }

// unhandledEvents reports the room events no state reacts to, in one
// finding: rule unhandled-event, a warning, since ignoring them is often
// meant.
func (l *linter) unhandledEvents() {
	events := []struct {
		ev   framework.EventType
		what string
	}{
		{framework.JoinRoom, "someone joins a room"},
		{framework.AddMembers, "members are added, this robot among them"},
		{framework.DeleteMembers, "members are removed"},
	}
	var missing, names []string
	for _, e := range events {
		handled := false
		for _, leaf := range l.m.leaves {
			p := l.m.plans[leaf]
			for _, t := range p.seq[:p.nc] {
				handled = handled || t.info.Event == e.ev
			}
		}
		if !handled {
			missing = append(missing, fmt.Sprintf("%s (%s)", e.ev, e.what))
			names = append(names, string(e.ev))
		}
	}
	if len(missing) == 0 {
		return
	}
	these, a := "it", "a transition"
	if len(missing) > 1 {
		these, a = "them", "transitions"
	}
	l.report(Warning, framework.Pos{File: l.m.file}, ruleUnhandledEvent,
		"no state handles %s: the bot ignores %s and says nothing (if it should react, add %s with event: %s; if not, ignore this)",
		joinOr(missing), these, a, joinOr(names))
}

func joinOr(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
