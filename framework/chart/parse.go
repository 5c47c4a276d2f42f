package chart

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
	"gopkg.in/yaml.v3"
)

// chart walks the top-level mapping.
func (p *parser) chart(root *yaml.Node) framework.Chart {
	c := framework.Chart{File: p.file, Pos: p.pos(root), KeyPos: map[string]framework.Pos{}}
	root, ok := p.mapping(root, "the chart", "start the file with bot:, initial: and states:, each at the start of a line")
	if !ok {
		return c
	}
	named := false
	for _, f := range p.fields(root, "the chart", chartKeys) {
		if v := resolve(f.v); !isNull(v) {
			c.KeyPos[f.key] = p.pos(v)
		}
		switch f.key {
		case "bot":
			c.Name, _ = p.text(f)
			named = true
		case "robot_id":
			c.RobotID, _ = p.text(f)
		case "initial":
			c.Initial, _ = p.text(f)
		case "unknown_state":
			c.UnknownState, _ = p.text(f)
		case "answer_robots":
			c.AnswerRobots, _ = p.boolean(f)
		case "time_zone":
			c.TimeZone, _ = p.text(f)
		case "error_reply":
			c.ErrorReply = p.reply(f)
		case "global":
			c.Global = p.transitions(f, func(i int) string { return fmt.Sprintf("global transition %d", i) })
		case "fallback":
			c.Fallback = p.fallback(f, "the chart's fallback")
		case "states":
			c.States, _ = p.states(f, "")
		}
	}
	// The name is what logs, diagrams and the chat server's admins know the
	// bot by; a file name is no substitute, as files get renamed.
	if !named {
		p.report(root, "add bot: followed by the bot's name, at the top of the file", "the chart has no bot: name")
	}
	return c
}

// states walks a states mapping, keeping the order the author wrote. parent
// is the path of the state that holds them, "" at the top. ok is false when
// the value is not a mapping of states.
func (p *parser) states(f pair, parent string) ([]framework.State, bool) {
	v, ok := p.value(f)
	if !ok {
		return nil, false
	}
	v, ok = p.mapping(v, "states", "write each state as its name and a colon, with its keys indented below it")
	if !ok {
		return nil, false
	}
	entries := p.pairs(v, "state", "states")
	states := make([]framework.State, 0, len(entries))
	for _, e := range entries {
		states = append(states, p.state(e, parent))
	}
	return states, true
}

// state walks one state. Its position is its name's, where an author looks
// for it. parent is the path of the state that holds it, "" at the top.
func (p *parser) state(e pair, parent string) framework.State {
	s := framework.State{Name: e.key, Pos: p.modelPos(e.kn)}
	path := e.key
	if parent != "" {
		path = parent + framework.PathSeparator + e.key
	}
	where := fmt.Sprintf("state %q", path)
	v := resolve(e.v)
	if isNull(v) || v.Kind == yaml.MappingNode && len(v.Content) == 0 {
		p.report(e.kn, "give it a reply: to say, and transitions under on:", "state %q is empty", path)
		return s
	}
	v, ok := p.mapping(v, where, "indent its keys (reply:, on:, …) below the state's name; to make it say something, write reply: first")
	if !ok {
		return s
	}
	var initial, states, use, with, form, fallback *pair
	statesOK := false
	for _, f := range p.fields(v, where, stateKeys) {
		switch f.key {
		case "aliases":
			s.Aliases, _ = p.texts(f)
		case "reply":
			s.Reply = p.reply(f)
		case "on_enter":
			s.OnEnter = p.does(f, where)
		case "on_exit":
			s.OnExit = p.does(f, where)
		case "on":
			s.On = p.transitions(f, func(i int) string { return fmt.Sprintf("transition %d of %s", i, where) })
		case "fallback":
			s.Fallback = p.fallback(f, "the fallback of "+where)
			fallback = &f
		case "initial":
			s.Initial, _ = p.text(f)
			initial = &f
		case "states":
			s.States, statesOK = p.states(f, path)
			states = &f
		case "history":
			s.History, _ = p.boolean(f)
		case "globals":
			if b, ok := p.boolean(f); ok {
				s.NoGlobals = !b
			}
		case "use":
			use = &f
		case "with":
			with = &f
		case "form":
			s.Form = p.form(f, where)
			form = &f
		}
	}
	switch {
	case form != nil:
		// The form makes the state's children, one per slot.
		for _, own := range []*pair{states, initial, use, with} {
			if own != nil {
				p.report(own.kn, fmt.Sprintf("remove %s: — the form makes a child state per slot, ask_NAME, and confirm", own.key),
					"%s is a form and has %s:", where, own.key)
			}
		}
		if fallback != nil {
			p.report(fallback.kn, "remove fallback: — an answer a slot cannot take gets the slot's invalid: reply, and on_fail: once max_attempts are spent",
				"%s is a form, which answers every message itself: its fallback would never be used", where)
		}
		if states != nil || use != nil {
			s.States, s.Initial = nil, ""
		}
	case use != nil:
		for _, own := range []*pair{states, initial} {
			if own != nil {
				p.report(own.kn, fmt.Sprintf("remove %s:, or remove use: and write the states here", own.key),
					"%s has both use: and %s:, but the flow it uses supplies its states", where, own.key)
			}
		}
		if states == nil && initial == nil {
			s.States, s.Initial = p.include(*use, with, path)
		}
	case with != nil:
		p.report(with.kn, "with: gives a flow its parameters: add use: with the flow's name, or remove with:", "%s has with: but no use:", where)
	case initial != nil && states == nil:
		p.report(initial.kn, "remove initial:, or add states: below it", "%s has initial: but no states", where)
	case initial != nil && statesOK && s.Initial != "":
		p.checkInitial(resolve(initial.v), s.Initial, s.States, "of "+where)
	}
	return s
}

// checkInitial reports an initial: that names none of states.
func (p *parser) checkInitial(n *yaml.Node, initial string, states []framework.State, of string) {
	names := make([]string, len(states))
	for i, s := range states {
		if s.Name == initial {
			return
		}
		names[i] = s.Name
	}
	fix := "name one of: " + strings.Join(names, ", ")
	if name := closest(canonical(initial), names); name != "" {
		fix = fmt.Sprintf("did you mean %s?", name)
	}
	p.report(n, fix, "initial %q %s is not one of its states", initial, of)
}

// transitions walks a list of transitions: a state's on:, the chart's
// global:. name names the i-th (from 1) in messages.
func (p *parser) transitions(f pair, name func(i int) string) []framework.Transition {
	v, ok := p.value(f)
	if !ok {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.report(v, `start each transition with "- ", like:  - exact: 菜单`, "%s must be a list of transitions, not %s", f.key, describe(v))
		return nil
	}
	ts := make([]framework.Transition, 0, len(v.Content))
	for i, item := range v.Content {
		ts = append(ts, p.transition(item, name(i+1), transitionKeys,
			`write the transition's keys (a pattern such as exact:, then reply:, to:) after its "- "`))
	}
	return ts
}

// fallback walks a fallback: a transition whose pattern may be left out, as
// it answers whatever no other transition did.
func (p *parser) fallback(f pair, where string) *framework.Transition {
	v, ok := p.value(f)
	if !ok {
		return nil
	}
	if v.Kind == yaml.ScalarNode {
		p.report(v, "write fallback: alone on its line, and below it, indented, reply: followed by the text",
			"%s must be a mapping of keys with values, not %s", where, describe(v))
		return nil
	}
	t := p.transition(v, where, fallbackKeys, `write its keys (reply:, to:, …) below fallback:, indented, without "- "`)
	return &t
}

// transition walks one transition. Its position is its first key's, where
// its list item starts.
func (p *parser) transition(n *yaml.Node, where string, k keys, fix string) framework.Transition {
	n = resolve(n)
	t := framework.Transition{Pos: p.modelPos(n)}
	if n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		t.Pos = p.modelPos(n.Content[0]) // not the { of {exact: "1", to: a}
	}
	n, ok := p.mapping(n, where, fix)
	if !ok {
		return t
	}
	var pattern string // the pattern key seen first
	for _, f := range p.fields(n, where, k) {
		switch f.key {
		case "event":
			t.Event = p.event(f)
		case "if":
			t.If, _ = p.text(f)
		case "guard":
			t.Guard, _ = p.text(f)
		case "set":
			t.Set = p.set(f)
		case "reply":
			t.Reply = p.reply(f)
		case "call":
			t.Call, _ = p.text(f)
		case "to":
			t.To, _ = p.text(f)
		default:
			if pattern != "" {
				p.report(f.kn, fmt.Sprintf("keep one pattern per transition, and write a second transition for %s:", f.key),
					"%s has two patterns, %s and %s", where, pattern, f.key)
				continue
			}
			pattern = f.key
			t.Match = p.pattern(f)
		}
	}
	return t
}

// does walks what entering or leaving a state does: on_enter:, on_exit:.
func (p *parser) does(f pair, where string) framework.Action {
	var a framework.Action
	v, ok := p.value(f)
	if !ok {
		return a
	}
	what := f.key + " of " + where
	v, ok = p.mapping(v, what, fmt.Sprintf("write set:, call: or reply: indented below %s:", f.key))
	if !ok {
		return a
	}
	if len(v.Content) == 0 {
		p.report(v, fmt.Sprintf("write set:, call: or reply: in it, or remove %s:", f.key), "%s is empty", what)
		return a
	}
	for _, g := range p.fields(v, what, doesKeys) {
		switch g.key {
		case "set":
			a.Set = p.set(g)
		case "call":
			a.Call, _ = p.text(g)
		case "reply":
			a.Reply = p.reply(g)
		}
	}
	return a
}

// set walks set:, the variables an action assigns, in the order written.
// Values are templates; a number or true written without quotes is its text.
func (p *parser) set(f pair) []framework.Assign {
	v, ok := p.value(f)
	if !ok {
		return nil
	}
	v, ok = p.mapping(v, "set", `write each variable as its name, a colon and its value, like set: {order: "{{.Vars.order}}"}`)
	if !ok {
		return nil
	}
	entries := p.pairs(v, "variable", "set")
	if len(entries) == 0 {
		p.report(v, "write a variable in it, like set: {step: done}, or remove set:", "set is empty")
		return nil
	}
	out := make([]framework.Assign, 0, len(entries))
	for _, e := range entries {
		val := resolve(e.v)
		switch {
		case isNull(val):
			p.report(e.kn, fmt.Sprintf(`write a value after %s:, or "" to empty the variable`, e.key), "set %s has no value", e.key)
		case val.Kind != yaml.ScalarNode:
			p.report(val, fmt.Sprintf(`write one text or template, like %s: "{{.Text}}"`, e.key), "set %s must be a single value, not %s", e.key, describe(val))
		default:
			value := val.Value
			if val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				value = strings.TrimRight(value, "\n")
			}
			out = append(out, framework.Assign{Name: e.key, Value: value})
		}
	}
	return out
}

// pattern turns a pattern key into a framework.Match.
func (p *parser) pattern(f pair) framework.Match {
	switch f.key {
	case "regex":
		s, _ := p.text(f)
		return framework.Regex(s)
	case "any":
		p.yes(f, "remove any:, or write any: true to match every message")
		return framework.AnyMessage()
	case "robot_added":
		p.yes(f, "remove robot_added:, or write robot_added: true to match when this robot is added to a room")
		return framework.RobotAdded()
	case "faq":
		return p.faq(f)
	}
	words, _ := p.texts(f)
	switch f.key {
	case "exact":
		return framework.Exact(words...)
	case "keywords":
		return framework.Keywords(words...)
	case "all_of":
		return framework.AllOf(words...)
	case "command":
		return framework.Command(words...)
	}
	return framework.MessageType(words...)
}

// yes checks a pattern that is only ever switched on: "any: false" would
// read as "match nothing", which no transition needs, so it is surely a
// mistake.
func (p *parser) yes(f pair, fix string) {
	if b, ok := p.boolean(f); ok && !b {
		p.report(resolve(f.v), fix, "%s: false matches nothing", f.key)
	}
}

// eventName is how the chat server names events: JOIN_ROOM, ADD_MEMBERS.
var eventName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// event reads an event type. Names the chat server may add tomorrow are
// accepted, as the engine ignores events it does not know; names in the
// wrong case are not, as they would silently never match.
func (p *parser) event(f pair) framework.EventType {
	s, ok := p.text(f)
	if !ok {
		return ""
	}
	if eventName.MatchString(s) {
		return framework.EventType(s)
	}
	fix := "use JOIN_ROOM, ADD_MEMBERS, DELETE_MEMBERS or MESSAGE"
	up := strings.ToUpper(strings.Join(strings.Fields(s), "_"))
	if framework.EventType(up).Known() {
		fix = "event names are written in capitals: " + up
	}
	p.report(resolve(f.v), fix, "event %q is not an event name", s)
	return ""
}
