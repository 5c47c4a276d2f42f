// Package bottest tests bots with conversation transcripts written in YAML.
//
// A transcript is a conversation: each step sends one event, as the chat
// server would, and checks the answer. The room's state is carried from step
// to step, so a transcript reads like the conversation it tests:
//
//	name: 查运费
//	steps:
//	  - event: JOIN_ROOM
//	    expect: {state: menu, reply_contains: 欢迎}
//	  - say: 运费多少
//	    expect: {state: shipping_fee, reply_contains: [包邮, 99]}
//	  - say: 转人工
//	    expect: {state: handoff}
//	  - say: 在吗
//	    expect: {no_reply: true}
//
// A transcript that depends on the time of day, such as a handoff that
// behaves differently outside business hours, fixes it with a top-level
// now: (RFC 3339), next to name and steps:
//
//	name: 下班后转人工
//	now: 2026-11-27T23:30:00+08:00
//	steps: …
//
// It is Transcript.Now; whoever builds the bot for the transcript passes
// Transcript.Clock as framework.Options.Now (the test command of package
// cli does). Play cannot: the clock is the bot's.
//
// Step keys: event (JOIN_ROOM, ADD_MEMBERS, DELETE_MEMBERS, MESSAGE; MESSAGE
// when say or type is given), say, type (a message type such as image),
// sender and members ({id, nickname, is_robot}), and state (to set the room's
// botState before the step). Expect keys: state, reply (the whole text),
// reply_contains (a string or a list), no_reply, type. Unknown keys are
// errors, so a misspelt expectation never passes silently.
//
// The same transcripts run in process (InProcess) and over HTTP against a
// real webhook (HTTP), from go test with Run or RunFiles, or from a bot's
// command line ("faq test testdata/transcripts").
//
// In process, turns run through framework.Rooms with a store in memory, as
// a served bot runs them: a room's variables (a form's answers) last from
// step to step. Each Play talks in a room of its own, with message IDs of
// its own, so plays never share a session, in process or over HTTP against
// a bot that keeps its rooms.
//
// In process, every turn is traced (framework.WithTrace): a failing step is
// reported as file:line: step: what, followed by the trace of its turn
// (FormatFailure, FormatTrace), so the failure says which transitions were
// tried and why the expected one did not fire. Coverage counts which of the
// bot's transitions the steps fired:
//
//	report := bottest.Coverage(bot, results)
//	fmt.Println(report) // coverage: 87.5% of transitions (7/8)
//	for _, g := range report.MissedBySource() { … } // where in the chart
package bottest
