// Package chart reads a bot's chart from YAML: the states a conversation can
// be in, what the bot says in each, and which messages and events move it to
// another state. One file describes one bot.
//
// Load, LoadFS and Parse turn a file into a framework.Chart; Compile also
// compiles it into a runnable *framework.Bot. They are the methods of the
// zero Loader; a Loader whose Flows holds a library of reusable flows also
// reads charts that include them (see Flows, below). Every problem in a file
// is reported at once, each with the file, line and column where it is, what
// is wrong and what to do:
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
// matches fires: it runs its Go handler (call:), says its reply, moves the
// room to its target (to:) and says the target's own reply. A message that
// nothing matches gets the state's fallback, else the chart's fallback, else
// no answer.
//
// # The chart
//
// The top of the file holds these keys:
//
//	bot             the bot's name, for logs and diagrams (required)
//	initial         the top-level state a new room starts in (required); a
//	                compound state (below) enters its initial leaf
//	states          the states, by name, in order (required)
//	robot_id        the robot's client ID, the sender of its replies
//	unknown_state   where a room goes whose state no longer exists (a state
//	                removed in a new version); the initial state by default
//	answer_robots   true to answer messages sent by robots, this one
//	                included; false by default, so two robots never talk
//	                to each other forever
//	error_reply     what to say when a Go handler fails (a reply, below); a
//	                bilingual apology by default
//	time_zone       the IANA time zone (Asia/Shanghai) in which guards see
//	                the hour, weekday and date; the machine's zone by default
//	global          transitions that apply in every state (see Global
//	                transitions, below)
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
//	aliases    former names (or paths) of the state: rooms still in one
//	           continue here
//	reply      what the state says when a transition enters it
//	on_enter   what entering the state does: an action (below)
//	on_exit    what leaving the state does: an action
//	on         the list of transitions leaving the state; the first that
//	           matches fires
//	fallback   answers a message that none of on: matched, before the
//	           chart's fallback
//	states     the state's own states: it is then compound (below)
//	initial    which of its states a transition to it enters; the first
//	           by default
//	history    true to remember where the room came from (see History)
//	globals    false to keep the chart's global transitions out of the
//	           state and all the states inside it (a person on the line
//	           must be able to say "菜单")
//	use        the flow whose states become this state's own (see Flows)
//	with       the flow's parameters
//	form       questions the state asks one by one (see Forms)
//
// A state with none of these is a mistake: it would never say or do
// anything. A state's name must not contain / or <, which separate names in
// a botState, and must not be history, which to: reserves.
//
// # Nested states
//
// A state with states: of its own is compound; nest them to any depth. A
// room is always in a leaf, a state without states, and the chat server
// keeps the leaf's path, the names from the top joined by /:
//
//	states:
//	  refund:                     # compound
//	    initial: ask_reason       # entered when a transition goes to refund
//	    on:
//	      - exact: 取消           # applies in ask_reason and ask_order too
//	        to: menu
//	    states:
//	      ask_reason:             # botState "refund/ask_reason"
//	        reply: 请问退款原因是？
//	        fallback:
//	          set: {reason: "{{.Text}}"}
//	          to: ask_order       # a sibling
//	      ask_order:              # botState "refund/ask_order"
//	        reply: 请输入订单号
//
// A message is tried against the transitions of the room's leaf, then those
// of each state around it, innermost first, then the chart's global ones;
// then the fallbacks, in the same order, then the chart's fallback.
//
// A target (to:, initial:, unknown_state:) is a name looked up from the
// state that declares the transition: one of its own states, else a
// sibling, else a state of its parent, and so on up to the top; or a full
// path from the top, "refund/ask_order". The chart's initial: and
// unknown_state: are looked up from the top.
//
// # Global transitions
//
// The transitions under the chart's global: apply in every state, after the
// state's own and its ancestors', before any fallback: a way out from
// anywhere.
//
//	global:
//	  - keywords: [转人工, 人工客服]
//	    to: handoff
//	  - exact: [菜单, 主菜单]
//	    to: menu
//
// A state that says globals: false is left out, with all the states inside
// it.
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
//	if         a guard: an expression that must be true for the
//	           transition to fire (see Guards)
//	guard      the name of a Go guard that must hold too (see
//	           framework.Options.Guards)
//	set        variables to set: {name: value, …}, values being templates
//	           like replies' texts
//	call       the name of a Go handler to run (see framework.Options)
//	reply      what to say (a reply, below)
//	to         the state to move to (see Nested states for how the name is
//	           found), or history (see History); without it the room stays
//	           where it is, and no state is left or entered
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
// A transition whose pattern matches but whose guards do not hold is passed
// over: the next one is tried.
//
// A fallback (of a state or of the chart) is a transition without "- " and
// without event:, as it answers only messages. Its pattern may be left out,
// to answer every message that reaches it; with a pattern or a guard, the
// messages it does not take go on to the next fallback:
//
//	fallback:
//	  reply: 菜单里没有这一项，请回复 1 或 2。
//
// fallback: {} takes every message and says nothing: a state where a person
// answers, not the bot.
//
// # Guards
//
// if: is an expression (github.com/expr-lang/expr, see framework.GuardEnv)
// over the turn. It is compiled with the chart, so a misspelt name is a
// problem of the chart, not a surprise in production:
//
//	if: 'hour >= 9 && hour < 21 && weekday <= 5'
//	if: 'vars.order != ""'
//	if: 'sender.is_robot || text matches "^[0-9]+$"'
//
// It sees:
//
//	vars      the turn's variables: vars.order, vars["order"]
//	session   the room's remembered variables, when the bot keeps them
//	text      the message as typed
//	event     JOIN_ROOM, ADD_MEMBERS, DELETE_MEMBERS, MESSAGE
//	state     the path of the room's state: "refund/ask_order"
//	room      the room's ID
//	sender    sender.id, sender.nickname, sender.is_robot
//	hour      0–23, in the chart's time_zone
//	minute    0–59
//	weekday   1 Monday … 7 Sunday
//	clock     the time as text, "15:04": clock >= "09:30"
//	date      the date as text, "2006-01-02"
//
// Put an expression in 'single quotes' when it contains ": ", " #" or
// starts with a quote, [, { or !. An expression that fails while a turn
// runs (a number compared with a text) is false. The clock is
// framework.Options.Now, which tests set to a fixed time.
//
// # Actions
//
// on_enter:, on_exit: and each transition do up to three things, in this
// order: set variables, call a Go handler, say a reply:
//
//	on_enter:
//	  set: {step: "1", who: "{{.Sender.Nickname}}"}
//	  call: log_entry
//	  reply: 开始办理退款。
//
// set: keeps the order written. Its values are templates, like replies'
// texts; a number or true written without quotes is set as written ("3",
// "true"). A handler sees what set: set, and a reply what the handler set.
//
// When a transition fires, the states it leaves exit, innermost first
// (on_exit), then the transition itself acts, then the states it enters
// act, outermost first (on_enter, then the state's reply:). A transition to
// a sibling leaves and enters only the two siblings; one to the state the
// room is in leaves and enters it again; one without to: leaves and enters
// nothing. A state's reply: is the reply of its on_enter:, so a state has
// one or the other, not both. Each turn answers with one message: the texts
// said, joined by line breaks; when one of them is another kind of message
// (an image), the last such message alone.
//
// Variables (a regex capture, set:, a handler's t.Set) are seen by the
// guards, handlers and replies of the turn. They live for that turn only,
// unless the bot keeps the rooms' sessions (see framework): a turn then
// starts with the variables the room's previous turns left.
//
// # History
//
// A state that says history: true remembers where the room came from when a
// transition enters it from outside; inside it, to: history goes back
// there, entering the states on the way. This is how a handoff to a person
// returns the customer to the question they were at:
//
//	handoff:
//	  history: true
//	  globals: false
//	  states:
//	    waiting:
//	      on:
//	        - exact: 结束人工
//	          to: history
//
// The remembered path travels in the botState, after a <:
// "handoff/waiting<refund/ask_order" is in handoff/waiting and returns to
// refund/ask_order. A room that remembers nothing goes to the initial state.
//
// # Forms
//
// A state with form: asks for values one by one (slot filling): an order
// number, the phone it was placed with, a reason. It checks each answer,
// asks again when it cannot read one, and moves on when it can:
//
//	refund:
//	  form:
//	    slots:
//	      - name: order
//	        ask: 请输入订单号（8位数字）。
//	        type: regex
//	        pattern: '(?P<order>\d{8})'
//	        invalid: 订单号是8位数字，例如 20241101，请再输入一次。
//	        max_attempts: 3
//	        on_fail: {to: handoff, reply: 我帮您转接人工客服。}
//	      - name: phone
//	        ask: 请输入下单时使用的手机号。
//	        type: phone
//	      - name: reason
//	        ask: 请选择退款原因：1. 质量问题 2. 不想要了
//	        type: choice
//	        choices:
//	          - {value: 质量问题, synonyms: [坏了, 破损]}
//	          - 不想要了
//	    confirm: "订单 {{.Vars.order}}，原因：{{.Vars.reason}}。确认提交吗？"
//	    cancel: [取消, 算了]
//	    on_cancel: {to: menu, reply: 已取消。}
//	    on_complete: {call: submit_refund, to: refund_done}
//	    on_fail: {to: handoff, reply: 抱歉，我帮您转接人工客服。}
//
// form: holds:
//
//	slots        the values to ask for, in order, each starting with "- "
//	             (required)
//	confirm      asked once every slot is filled (a reply, which can show
//	             the slots as {{.Vars.NAME}}): a yes (是, 好的, 确认,
//	             yes, …) completes the form, a no (不, 否, 不对, 修改,
//	             no, …) asks every slot again; without confirm:, the last
//	             answer completes it
//	cancel       the words that, said in answer to a slot, leave the form
//	             for on_cancel: a word or a list; by default 取消, 算了,
//	             不要了, 不填了, 退出, cancel, quit; cancel: [] turns
//	             cancelling off. They are tried before the slot reads the
//	             answer, so no choice may have one as a synonym.
//	on_complete  where to go once the form is complete: to: (required),
//	             and set:, call:, reply: like a transition's; its handler
//	             sees every slot
//	on_cancel    where a cancel word goes: to:, set:, call:, reply:; to:
//	             is on_complete's by default
//	on_fail      where a slot that ran out of attempts goes, unless the
//	             slot has its own; to: is on_complete's by default
//
// on_complete:, on_cancel: and on_fail: are transitions without a pattern,
// if: or guard: the form decides when they fire.
//
// Each slot holds:
//
//	name          the variable the answer goes in, read as {{.Vars.NAME}}
//	              (required; letters, digits and _)
//	ask           the question (a reply; required)
//	type          which answers are taken, and how they are kept (below);
//	              text by default
//	choices       for type: choice, the accepted values: each a text, or
//	              {value: …, synonyms: […]}
//	pattern       for type: regex, the regular expression an answer must
//	              match; its first named group, or the whole match, is
//	              the value. Write it in 'single quotes'.
//	invalid       what to say when an answer is not taken (a reply); a
//	              message suited to the type by default
//	max_attempts  how many answers are tried before on_fail; 3 by default
//	on_fail       where this slot goes when it runs out of attempts,
//	              instead of the form's on_fail
//
// The types, and the value each keeps whatever way the customer wrote it:
//
//	text      any non-empty text, trimmed
//	number    a number: 3, 2.5, 1,299, 三, 两百 → "3", "2.5", "1299", "3", "200"
//	integer   a number without a fraction
//	email     an address, in lower case: Li@Example.com → "li@example.com"
//	phone     a mobile of mainland China or Taiwan, or a number written
//	          with + and a country code, in E.164: 138-1234-5678 →
//	          "+8613812345678"
//	date      今天, 明天, 下周一, 周五, 12月1日, 2026-12-01 → "2026-12-01",
//	          in the chart's time_zone
//	choice    one of the choices, by its value, a synonym or its number
//	          in the list ("2", 第二个) → the value
//	regex     what pattern finds
//
// The form's state becomes a compound state with a child per slot,
// ask_NAME, and one more, confirm, when it has confirm:; their paths show in
// botStates ("refund/ask_phone"), diagrams and coverage. A transition to
// the form's state starts at its first slot. Entering a slot asks its
// question; an answer it cannot read is tried against the transitions of
// the form's state (its own on:) and the chart's global ones, so that 转人工
// still works in the middle of a form, and otherwise gets invalid:. A form
// state has no states:, initial:, use: or fallback: of its own; it may have
// on:, reply:, on_enter:, history: and the rest.
//
// The answers are variables of the turn. A form needs the bot to keep the
// rooms' sessions (see framework), so that the answers of earlier turns are
// still there when the form completes.
//
// # Flows
//
// A flow is a part of a chart that several charts, or several states of one
// chart, share: a handoff to a person, a survey. Flows are files NAME.yaml in
// a library, an fs.FS given to a Loader:
//
//	l := chart.Loader{Flows: os.DirFS("statecharts")}
//	bot, err := l.Compile("faq.yaml", data, opts)
//
// A state includes one with use:, and gives its parameters with with:
//
//	states:
//	  handoff:
//	    use: handoff
//	    history: true
//	    globals: false
//	  sales:
//	    use: handoff
//	    with:
//	      team: 销售顾问
//	      open: 10
//	      done: menu
//
// The flow's states become the state's own states, so a flow used twice has
// its states twice, under each state that uses it: "handoff/waiting" and
// "sales/waiting". The state keeps its other keys (on:, fallback:,
// on_enter:, history:, globals:, …) but has no states: or initial: of its
// own: the flow supplies them.
//
// A flow file is written like a chart, but with these keys at the top:
//
//	flow          the flow's name, the name of its file (required)
//	description   what the flow does, for its readers
//	params        every parameter, with its default value; a parameter
//	              left empty (done:) has none, and every use must give it
//	initial       its state entered first; the first by default
//	states        its states, written as in a chart (required)
//	x-…           ignored, for anchors
//
// For example, handoff.yaml:
//
//	flow: handoff
//	description: 把客户转给人工客服；非工作时间请客户留言。
//	params:
//	  open: 9
//	  close: 21
//	  done: history
//	  team: 人工客服
//	states:
//	  waiting:
//	    reply: 正在为您转接${team}（${open}:00–${close}:00）…
//	    on:
//	      - any: true
//	        if: hour < ${open} || hour >= ${close}
//	        to: message
//	    fallback: {}
//	  message:
//	    reply: 请留下您的问题，我们上班后联系您。
//	    on:
//	      - any: true
//	        set: {note: "{{.Text}}", team: "${team}"}
//	        to: ${done}
//
// Before the flow is read, ${name} in any of its texts (keys included, but
// not params: itself) is replaced by the parameter's value for this use: its
// with:, else its default. The value is text put into the text: it is never
// read as YAML, but a plain ${open} that becomes 9 is then a number, and
// ${remember} that becomes true a boolean (history: ${remember}). Write $${
// for a ${ that is no parameter. In [ ] and { }, put a text that holds
// ${…} in quotes, as { and } end them. A ${name} the flow does not declare
// is a problem in the flow's file; a with: key it does not declare, and a
// parameter without a default that with: leaves out, are problems of the
// chart.
//
// Targets in a flow are looked up from its states, as in a chart: they find
// the flow's own states first, then the states of the chart around it, by
// name or by path, so a parameter can name where to go afterwards (to:
// ${done}, with done: menu or history). Aliases are botState paths: a flow
// used twice must not have any.
//
// A flow may use other flows, but not itself, directly or through another.
// A problem inside a flow is reported in the flow's file, and says where the
// flow was used (through which flows, when a flow uses it):
//
//	handoff.yaml:14:13: in flow handoff used at faq.yaml:40:10: target "mnu" is not a state (use one of: …)
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
// Variants may mix texts and messages. Texts are Go templates over the turn
// (framework.Turn): {{.Sender.Nickname}}, {{.Room}}, {{.Text}},
// {{.Vars.order}}, {{.Session.name}}. Long texts are
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
// Parse checks what the YAML says: syntax, keys, the kind of each value,
// that a state's initial: is one of its states, the flows a chart uses and
// their parameters, and that a form's slots have what their types need and
// that no word picks two choices or a choice and a cancel. framework.New, and so Compile, checks what the chart
// means: that targets and the initial state exist, that regular expressions,
// guards and templates compile, that handlers and Go guards are registered,
// that the time zone exists, that patterns suit their events, that slot
// names are not repeated and slot patterns compile. Compile
// reports YAML problems first and alone, as a half-read chart would only add
// confusing problems of its meaning.
package chart
