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
	c := framework.Chart{File: p.file, Pos: p.pos(root)}
	root, ok := p.mapping(root, "the chart", "start the file with bot:, initial: and states:, each at the start of a line")
	if !ok {
		return c
	}
	named := false
	for _, f := range p.fields(root, "the chart", chartKeys) {
		if v := resolve(f.v); !isNull(v) {
			p.at[f.key] = p.pos(v)
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
		case "error_reply":
			c.ErrorReply = p.reply(f)
		case "fallback":
			c.Fallback = p.fallback(f, "the chart's fallback")
		case "states":
			c.States = p.states(f)
		}
	}
	// The name is what logs, diagrams and the chat server's admins know the
	// bot by; a file name is no substitute, as files get renamed.
	if !named {
		p.report(root, "add bot: followed by the bot's name, at the top of the file", "the chart has no bot: name")
	}
	return c
}

// states walks the states mapping, keeping the order the author wrote.
func (p *parser) states(f pair) []framework.State {
	v, ok := p.value(f)
	if !ok {
		return nil
	}
	v, ok = p.mapping(v, "states", "write each state as its name and a colon, with its keys indented below it")
	if !ok {
		return nil
	}
	entries := p.pairs(v, "state", "states")
	states := make([]framework.State, 0, len(entries))
	for _, e := range entries {
		states = append(states, p.state(e))
	}
	return states
}

// state walks one state. Its position is its name's, where an author looks
// for it.
func (p *parser) state(e pair) framework.State {
	s := framework.State{Name: e.key, Pos: p.pos(e.kn)}
	where := fmt.Sprintf("state %q", e.key)
	v := resolve(e.v)
	if isNull(v) || v.Kind == yaml.MappingNode && len(v.Content) == 0 {
		p.report(e.kn, "give it a reply: to say, and transitions under on:", "state %q is empty", e.key)
		return s
	}
	v, ok := p.mapping(v, where, "indent its keys (reply:, on:, …) below the state's name; to make it say something, write reply: first")
	if !ok {
		return s
	}
	for _, f := range p.fields(v, where, stateKeys) {
		switch f.key {
		case "aliases":
			s.Aliases, _ = p.texts(f)
		case "reply":
			s.Reply = p.reply(f)
		case "on":
			s.On = p.transitions(f, where)
		case "fallback":
			s.Fallback = p.fallback(f, "the fallback of "+where)
		}
	}
	return s
}

// transitions walks a state's on: list.
func (p *parser) transitions(f pair, where string) []framework.Transition {
	v, ok := p.value(f)
	if !ok {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.report(v, `start each transition with "- ", like:  - exact: 菜单`, "on must be a list of transitions, not %s", describe(v))
		return nil
	}
	ts := make([]framework.Transition, 0, len(v.Content))
	for i, item := range v.Content {
		ts = append(ts, p.transition(item, fmt.Sprintf("transition %d of %s", i+1, where), transitionKeys,
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
	t := framework.Transition{Pos: p.pos(n)}
	n, ok := p.mapping(n, where, fix)
	if !ok {
		return t
	}
	var pattern string // the pattern key seen first
	for _, f := range p.fields(n, where, k) {
		switch f.key {
		case "event":
			t.Event = p.event(f)
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
