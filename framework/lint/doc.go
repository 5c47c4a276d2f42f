// Package lint finds the mistakes in a chart that compile but make a bot
// misbehave: states no room reaches, states a room never leaves,
// transitions that an earlier one always beats, events and messages nothing
// answers, variables nothing sets.
//
// framework.New already rejects what cannot run (unknown targets, bad
// regular expressions, unregistered handlers). Check looks at what does run,
// through the bot's Graph, with the engine's semantics: a room is always in
// a leaf; a leaf tries its own transitions, then its ancestors', then the
// chart's global ones (unless a state on the way sets NoGlobals), the first
// that matches firing; then its fallbacks, deepest first, then the chart's.
//
//	bot, err := chart.Compile("faq.yaml", data, opts)
//	…
//	for _, f := range lint.Check(bot) {
//		fmt.Println(f) // faq.yaml:12:7: warning: state "x" is unreachable: … (unreachable)
//	}
//
// # Severities
//
// An Error is certainly broken: a transition that can never fire, a room
// that is stuck and silent for good. A Warning is a likely mistake: legal,
// sometimes meant, usually not. A chart with errors should not be deployed
// (HasErrors); warnings are for the author to read.
//
// # Rules
//
// unreachable (warning): a state no room can ever be in. Rooms start in the
// initial state (a compound state stands for its initial leaf, down through
// initial children) and, when their botState names nothing, in the unknown
// state; a state with aliases counts as reachable, as rooms may still be in
// its old name. From there, every transition that can fire takes rooms on:
// to its target's initial leaf, or through History back to where they were.
// The message says why: nothing enters the state, or only transitions in
// unreachable states or that can never fire do, or it is a compound state's
// child that is not its initial one and nothing targets directly. This is a
// richer version of the check framework.New does (Bot.Warnings), which only
// asks whether any transition names the state.
//
// dead-end: a reachable leaf where nothing that can fire leads anywhere or
// says anything. A transition helps if it goes to another state (History
// included), says something, calls a handler (which may), or re-enters the
// state when that says something; staying silently does not. A handoff
// state that swallows every message with a silent fallback is fine as long
// as a transition leads out ("结束人工"). When nothing helps for any event,
// the room is stuck and silent for good: an error. When only room events
// (JOIN_ROOM, …) help and the messages it has transitions or fallbacks for
// stay silently, it is a warning.
//
// shadowed: a transition that can never fire because an earlier one in the
// same leaf, for the same event and without a guard, catches everything it
// would match: any (or a type: list with text, or with its types) before a
// message pattern; a non-message event with no pattern before another for
// the same event; keywords or all_of whose words are inside its words
// (keywords: [退款] catches exact: [我要退款]: the normalized text contains
// 退款). Each leaf is judged across the order the engine tries: own,
// ancestors', global transitions, then fallbacks. A transition that never
// fires in any leaf it belongs to is an error, reported once; one that
// cannot fire in some leaves only (a child's catch-all before its parent's
// or a global transition) is a warning naming them, as is a single word of
// a transition that can never match. A fallback that transitions always
// answer first, in every state it serves, is an error; a fallback
// overridden by a deeper one is how fallbacks work and is not reported.
// Regular expressions and custom matchers are never taken to catch
// anything.
//
// duplicate-pattern: the same word, once normalized (framework.Normalize;
// exact also ignores punctuation around it), twice in one transition, or in
// a transition after an earlier one that already matches it for the same
// event, without a guard. A word after a guarded transition with the same
// word is the guard's "else" and is fine. A warning, except when every word
// of a transition is such a repeat: then it can never fire, an error.
//
// unhandled-event (warning): JOIN_ROOM, ADD_MEMBERS or DELETE_MEMBERS
// events that no state has a transition for, listed in one finding, as
// ignoring them is often meant; and a reachable leaf that has no transition
// for messages and no fallback at all, while a room event leads out of it
// (without one, it is a dead end, reported as such only).
//
// unset-variable (warning): a variable a template reads (.Vars.NAME) or a
// guard reads (vars.NAME) that nothing in the chart sets: no set:, no named
// regex group, no command's "args", no form slot. Go handlers and custom
// matchers may set variables lint cannot see, so this is only a warning, and
// it names the handlers the chart calls; a near miss gets a "did you mean".
//
// Transitions that YAML anchors share between states have one position; a
// problem with them is reported once.
package lint
