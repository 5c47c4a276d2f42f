// Package framework is the core of fsmbot, a framework for customer-service
// chat bots written as finite-state machines.
//
// # What fsmbot is
//
// A chat server (IMKit chat server v2) keeps, for every room, one string for
// the room's robot: the botState. Whenever something happens in the room (a
// member joins, members are added or removed, someone writes a message) the
// chat server POSTs the event to the robot's webhook together with that
// botState, and the robot answers with the room's next state (toBotState)
// and, optionally, one message to post. The conversation's state therefore
// lives in the chat server, not in the bot: a bot keeps nothing between
// turns, any copy of it can answer any room, and a restart loses nothing.
//
// fsmbot turns that protocol into a way to write bots. A bot is a Chart:
// states, each with the transitions that leave it. New checks a chart once
// and compiles it into an immutable Bot; Bot.Run handles one event (one
// "turn") and returns a Result: the state to go to and the message to say.
//
// This package is the domain and depends on no wire format. Adapters live in
// subpackages that depend on it, never the other way round: webhook decodes
// the chat server's JSON into an Event and encodes a Result as its response,
// chart loads charts from YAML, server is the HTTP endpoint, bottest runs
// conversation tests, cli is the command line shared by the bots.
//
// # One turn
//
//	POST /webhook  {"event": "MESSAGE", "botState": "menu", "data": {"message": "我要退货！", …}}
//	  │  package server: token check, body limit, deadline
//	  │  package webhook: tolerant JSON → *Event{Type: MESSAGE, State: "menu", Message: {Text: "我要退货！"}}
//	  ▼
//	Bot.Run(ctx, ev)
//	  1. resolve the botState: "" (a new room) → Chart.Initial; an alias → the
//	     state that lists it; anything else → Chart.UnknownState (Initial when
//	     unset), with a warning in the log;
//	  2. skip what must not be answered: an event type the chat server may add
//	     tomorrow, a message from a robot;
//	  3. choose the first transition of the state, in declared order, whose
//	     Event and Match fit the event; for a message that none fits, the
//	     state's Fallback, else the chart's;
//	  4. fire it on a looplab/fsm machine positioned at the state: the
//	     transition's Reply, its handler (Call), then the target state's
//	     entry Reply;
//	  5. compose what was said into the one message the chat server accepts.
//	  ▼
//	Result{From: "menu", To: "refund", Transition: "menu#1", Reply: &Message{Text: "…"}}
//	  │  package webhook
//	  ▼
//	{"senderID": "<robot ID>", "toBotState": "refund", "data": {"message": "…", "messageType": "text"}}
//
// Result.To is always a state's real name, so a room whose botState was an
// alias or unknown is moved to a real state by its next turn. When nothing
// fires, Result.To is the state the turn started in, Result.Reply is nil and
// Result.Skipped says why ("unknown event", "robot sender", "no match").
//
// # Charts, states and transitions
//
// A Chart is plain data, written in Go or loaded from YAML by package chart:
//
//	framework.Chart{
//		Name:    "shop",
//		RobotID: "robot001",
//		Initial: "menu",
//		States: []framework.State{
//			{
//				Name:  "menu",
//				Reply: framework.Say("请选择：1 退货 2 查订单"),
//				On: []framework.Transition{
//					{Event: framework.JoinRoom, Reply: framework.Say("{{.Sender.Nickname}}，您好！")},
//					{Match: framework.Exact("1", "退货"), To: "refund"},
//					{Match: framework.Keywords("订单"), To: "order"},
//				},
//				Fallback: &framework.Transition{Reply: framework.Say("请回复 1 或 2")},
//			},
//			{
//				Name:  "refund",
//				Reply: framework.Say("请输入订单号"),
//				On: []framework.Transition{
//					{Match: framework.Regex(`(?P<order>\d{6,})`), To: "menu", Call: "refund",
//						Reply: framework.Say("订单 {{.Vars.order}} 已提交退货。")},
//				},
//			},
//			…
//		},
//	}
//
// A State has a Name, an entry Reply said whenever a transition enters it,
// the transitions On that leave it, and an optional Fallback. A Transition
// has an Event (empty means MESSAGE), a Match, a target To, a Reply and the
// name of a Handler to Call. To works in three ways:
//
//   - another state: move there; the target's entry Reply follows the
//     transition's own Reply;
//   - empty: stay, and say only the transition's Reply (an answer that does
//     not change the conversation, such as "在的");
//   - the state itself: re-enter it, saying its entry Reply again (a
//     re-prompt). looplab/fsm reports such a self-transition as a
//     NoTransitionError; the engine treats it as the success it is.
//
// New checks everything a turn would otherwise find out too late and reports
// all problems at once in a *ChartError, each with where it is (Pos) and what
// to do: no states, no or unknown initial state, unknown targets, duplicate
// states and aliases, regular expressions and templates that do not parse,
// handlers not registered, a MESSAGE transition without a pattern, a text
// pattern on another event, robot_added anywhere but ADD_MEMBERS, empty
// words. What is suspicious but legal, such as a state no transition enters,
// is returned by Bot.Warnings instead.
//
// # Matching and normalization
//
// Customers type the same thing in many ways: full-width or half-width
// characters depending on the input method, upper or lower case, spaces or
// none, punctuation or none. Text patterns therefore never see raw text but
// Normalize(text), and their own words are normalized the same way when the
// chart is compiled:
//
//   - Unicode NFKC: full-width letters, digits and punctuation become ASCII
//     ("ＶＩＰ１２３，！" → "vip123,!"), half-width katakana become full-width;
//   - case folding ("VIP" → "vip");
//   - whitespace trimmed, collapsed to one space between Latin words, and
//     removed next to CJK characters, which are written without spaces
//     ("我想 apply 退款 ！" → "我想apply退款!");
//   - nothing else: Traditional and Simplified Chinese stay distinct ("退貨"
//     does not match "退货": list both), emoji stay.
//
// The patterns, from strictest to loosest:
//
//   - Exact(words…): the whole text is one of the words, ignoring
//     punctuation and symbols around it: Exact("退货") matches "退货！" and
//     Exact("1") matches "１。". The pattern for menu choices.
//   - Command(names…): "/help", "/order 12345", "/order 退款": the command,
//     then the end, a space or a CJK character; what follows is
//     Vars["args"]. Command("help") and Command("/help") are the same.
//   - Regex(pattern): a Go regular expression that finds the normalized
//     text; named groups become Vars: (?P<order>\d{6,}). Because the text is
//     normalized, write patterns in lower case and without spaces next to
//     Chinese.
//   - AllOf(words…): the text contains every word.
//   - Keywords(words…): the text contains any word, as a substring, which is
//     what Chinese without spaces needs: Keywords("退款") matches
//     "我想申请退款可以吗". Substrings cut both ways: Keywords("no") also
//     matches "know"; prefer Exact or Regex for short Latin words.
//   - MessageType(types…): the message is an image, a sticker, a location, …
//   - AnyMessage(): every message, for catch-alls.
//   - RobotAdded(): on ADD_MEMBERS, the members added include this robot
//     (by robot ID; without one, any robot).
//   - Custom(name, m): Go code.
//
// Non-message events (JOIN_ROOM, ADD_MEMBERS, DELETE_MEMBERS) need no
// pattern: a transition with that Event and a zero Match fires on every such
// event.
//
// Order is the tie-breaker: the first transition that matches wins, so list
// specific patterns before broad ones. A MESSAGE that none matches goes to
// the state's Fallback, then to the chart's; a fallback's Match may be left
// zero (it then takes every message) or narrow it, in which case a message it
// does not match goes on to the next fallback. With no fallback left the turn
// is skipped with "no match": the room keeps its state and nothing is said.
//
// # Replies and templates
//
// A Reply is one or more variant messages; each turn says one variant chosen
// at random, so a bot does not sound like a recording. Say builds text
// replies, Send any message type (an image with OriginalURL, a sticker, a
// location). Options.Rand makes the choice repeatable in tests.
//
// A variant's Text is a text/template executed over the Turn:
//
//	{{.Sender.Nickname}}  who sent the event
//	{{.Room}}             the room's ID
//	{{.Text}}             what the customer typed, as typed
//	{{.Vars.order}}       a regex capture, Vars["args"] of a command, or what a handler Set
//	{{.From}}             the state the turn started in
//
// Missing variables print as nothing. Templates are parsed by New and only
// ever executed over data: what a customer types, "{{.Vars}}" included, is
// printed, never executed.
//
// The chat server takes one message per webhook answer, so a turn's replies
// are composed into one: texts (the transition's, a handler's, the target's
// entry reply) are joined with "\n"; a media message wins over text, the last
// one if there are several. To send more, push messages through the chat
// server's API from a handler.
//
// # Handlers
//
// A Handler is Go code a transition calls by name (Transition.Call), from
// Options.Handlers: it looks an order up, saves a choice, calls an API. It
// reads the Turn, may Set variables, and may Say or Reply more messages,
// which come after the transition's own reply and before the target's entry
// reply. The transition's own Reply is rendered before the handler runs, so
// print what a handler Sets in the target state's entry Reply (or Say it from
// the handler). New rejects a chart that calls a handler that is not
// registered.
//
// Vars last one turn: between turns the chat server keeps the botState and
// nothing else. A flow that collects answers over several turns (a form)
// keeps them in a store keyed by Turn.Room, which a handler reads back into
// Vars each turn; examples/pizza shows one.
//
// # Errors, timeouts and panics
//
// Run never panics and always returns a usable Result. When a handler
// returns an error, panics (a *PanicError carries the value and the stack),
// or is still running when ctx's deadline passes (ErrTimeout, wrapping
// context.DeadlineExceeded), the Result keeps the room in the state the turn
// started in, says Chart.ErrorReply (DefaultErrorReply when unset, in Chinese
// and English), drops the turn's variables and other replies, and carries
// the cause in Result.Err for the log. A panicking Custom matcher is handled
// the same way.
//
// Under a deadline a handler runs on its own goroutine, so one that ignores
// ctx cannot hold the webhook answer past the deadline: the answer goes out
// on time and the handler's late work is discarded with the turn. Handlers
// should still honour ctx, or they keep running after the turn is over.
//
// # Loop protection
//
// The robot's own replies come back to it as MESSAGE events, and so do other
// robots' messages. Answering them could make two robots talk forever, so a
// message whose sender IsRobot, or whose sender ID is the robot ID
// (Chart.RobotID, overridden by Options.RobotID), is skipped with "robot
// sender", keeping the state. Chart.AnswerRobots turns this off for bots
// that must talk to robots. Other events are not filtered: a robot joining a
// room triggers JOIN_ROOM transitions like anyone else.
//
// Unknown event types are skipped too ("unknown event"): the chat server may
// add events, and an old bot must keep working.
//
// # Renaming states
//
// Rooms keep their botState across deploys, so renaming a state would strand
// every room that is in it. List the old name in State.Aliases instead: a
// room whose botState is an alias continues in the state that lists it, and
// its next answer moves it to the new name. A botState that names no state
// and no alias (a state removed in a new deploy) is logged as a warning and
// sent to Chart.UnknownState, or to the initial state.
//
// # Concurrency and performance
//
// A Bot is immutable after New: run any number of turns on it at once. Each
// turn has its own Turn and its own looplab/fsm machine; a *fsm.FSM is never
// shared between turns. The text of a turn is normalized once, whatever the
// number of patterns, and a text that is already plain ASCII costs no
// allocation.
package framework
