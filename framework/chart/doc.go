// Package chart reads a bot's chart from YAML: the states a conversation can
// be in, what the bot says in each, and which messages and events move it to
// another state. One file describes one bot.
//
// Load, LoadFS and Parse turn a file into a framework.Chart; Compile also
// compiles it into a runnable *framework.Bot. Every problem in a file is
// reported at once, each with the file, line and column where it is, what is
// wrong and what to do:
//
//	faq.yaml:7:5: unknown key "repy" in state "start" (did you mean reply?)
//	faq.yaml:2:10: initial state "strat" is not a state (use one of: menu, start)
//
// # A first chart
//
//	bot: faq                 # the bot's name
//	initial: start           # the state of a room the bot has never answered
//	fallback:                # what to say when nothing below matches
//	  reply: 没听懂，回复「菜单」看看我能做什么
//
//	states:
//	  start:
//	    reply: 你好！回复「菜单」看看我能做什么。
//	    on:
//	      - exact: 菜单
//	        to: menu
//	  menu:
//	    reply: |
//	      1. 退货政策
//	      2. 发票
//	    on:
//	      - exact: ["1", 退货政策]
//	        reply: 七天无理由退货。
//	      - keywords: [发票]
//	        reply: 电子发票会发到您的邮箱。
//
// A room starts in the initial state. Each message is tried against the
// transitions under on: of the room's state, top to bottom; the first that
// matches fires: it says its reply, runs its Go handler (call:), moves the
// room to its target (to:) and says the target's own reply. A message that
// nothing matches gets the state's fallback, else the chart's fallback, else
// no answer.
//
// # The chart
//
// The top of the file holds these keys:
//
//	bot             the bot's name, for logs and diagrams (required)
//	initial         the state a new room starts in (required)
//	states          the states, by name, in order (required)
//	robot_id        the robot's client ID, the sender of its replies
//	unknown_state   where a room goes whose state no longer exists (a state
//	                removed in a new version); the initial state by default
//	answer_robots   true to answer messages sent by robots, this one
//	                included; false by default, so two robots never talk
//	                to each other forever
//	error_reply     what to say when a Go handler fails (a reply, below); a
//	                bilingual apology by default
//	fallback        answers a message that nothing in the room's state
//	                matched (a transition, below, whose pattern may be left
//	                out)
//	x-…             any key starting with x- is ignored: a place for YAML
//	                anchors (&name) that states reuse (*name), such as one
//	                list of transitions shared by many states
//
// # States
//
// states: maps each state's name to what it holds. The name is what the chat
// server stores for the room, so renaming a state moves rooms in it to
// unknown_state, unless the old name is kept in aliases:.
//
//	aliases    former names of the state: rooms still in one continue here
//	reply      what the state says when a transition enters it
//	on         the list of transitions leaving the state; the first that
//	           matches fires
//	fallback   answers a message that none of on: matched, before the
//	           chart's fallback
//
// A state with none of these is a mistake: it would never say or do
// anything.
//
// # Transitions
//
// Each transition under on: starts with "- " and holds at most one pattern,
// and what to do when it fires:
//
//	event      what happens in the room: MESSAGE (the default), JOIN_ROOM,
//	           ADD_MEMBERS or DELETE_MEMBERS. Other names in capitals are
//	           accepted, for events the chat server may add, but fire only
//	           once the framework knows them.
//	reply      what to say (a reply, below)
//	call       the name of a Go handler to run (see framework.Options)
//	to         the state to move to; without it the room stays where it is
//
// The patterns, for MESSAGE transitions; each takes one word or a list of
// them, [a, b], except regex and any:
//
//	exact        the whole message is one of the words, ignoring
//	             punctuation around it: exact: ["1", 退货政策]
//	keywords     the message contains any of the words: keywords: [退货, 退款]
//	all_of       the message contains all of the words: all_of: [发票, 电子]
//	regex        the regular expression finds the message; its named
//	             groups become variables: regex: '订单号?(?P<order>\d{6,})'
//	             sets {{.Vars.order}}
//	command      the message is a command, followed by nothing or a space:
//	             command: /help; what follows is {{.Vars.args}}
//	type         the message is of one of the types: type: [image, sticker]
//	any: true    every message: a catch-all
//
// and for ADD_MEMBERS:
//
//	robot_added: true   the members added include this robot
//
// Text is compared after normalization: case, full-width letters and
// spaces between Chinese characters do not matter ("ＶＩＰ" matches "vip").
// A transition of another event than MESSAGE fires on every such event
// unless it has robot_added. Two patterns on one transition are an error:
// write two transitions, the first that matches wins. any: false and
// robot_added: false are errors too, as they would match nothing.
//
// A fallback (of a state or of the chart) is a transition without "- " and
// without event:, as it answers only messages. Its pattern may be left out,
// to answer every message that reaches it; with a pattern, the messages it
// does not match go on to the chart's fallback:
//
//	fallback:
//	  reply: 菜单里没有这一项，请回复 1 或 2。
//
// # Replies
//
// A reply (reply:, error_reply:) is a text, a list of variants of which each
// turn picks one at random so that the bot does not sound like a recording,
// or a message of another type:
//
//	reply: 你好
//	reply:
//	  - 你好
//	  - 您好，有什么可以帮您？
//	reply:
//	  type: image
//	  original_url: https://example.com/return.png
//
// Variants may mix texts and messages. Texts are Go templates over the turn:
// {{.Sender.Nickname}}, {{.Room}}, {{.Text}}, {{.Vars.order}}. Long texts are
// written as a block after |, which keeps line breaks; the line break that
// ends a block is dropped.
//
// A message holds these keys, named as in the chat server's Message but in
// snake_case:
//
//	type            text (the default), image, video, audio, file,
//	                location, sticker, url, or a type of the app's own
//	text            the text; required for a text message
//	original_url, thumbnail_url, url
//	sticker
//	width, height   whole numbers of pixels
//	duration        seconds
//	latitude, longitude
//	extra           any value, sent to the chat server as JSON
//
// # YAML
//
// Charts are YAML, in UTF-8 (UTF-16 is read too). Indent with spaces, not
// tabs. Write true and false, not yes and no, which are text. Put in quotes a text that contains ": " or " #", or that starts with
// one of [ ] { } , & * ! | > ' " % @ `; in regular expressions prefer
// 'single quotes', where a backslash is just a backslash. Write keys once:
// a repeated key is an error, not an override. Anchors and aliases (&name,
// *name) may reuse any value, such as a list of transitions shared by two
// states; merge keys (<<) are not supported. A file holds one YAML document.
//
// # What is checked where
//
// Parse checks what the YAML says: syntax, keys, and the kind of each value.
// framework.New, and so Compile, checks what the chart means: that targets
// and the initial state exist, that regular expressions and templates parse,
// that handlers are registered, that patterns suit their events. Compile
// reports YAML problems first and alone, as a half-read chart would only add
// confusing problems of its meaning.
package chart
