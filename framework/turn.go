package framework

// Turn is one event being handled: what handlers, matchers and reply
// templates see. Templates read its fields: {{.Sender.Nickname}}, {{.Room}},
// {{.Text}}, {{.Vars.name}}, {{.Session.name}}.
type Turn struct {
	Event  *Event
	Sender Client
	Room   string // the room's ID
	// Text is the message's text as the customer typed it (empty when the
	// event is not a text message).
	Text string
	// From is the leaf the turn started in, after aliases were resolved.
	From string
	// Vars are the turn's variables: regex captures, command arguments, set:
	// and whatever handlers Set.
	Vars map[string]string
	// Session holds the room's remembered variables, when the bot has a
	// session store.
	Session map[string]string

	bot        *Bot
	normalized string
	bare       string   // normalized, punctuation around it trimmed, for exact
	mask       runeMask // the runes of normalized, for the prefilters of match.go
	replies    []Message
	replyBuf   [2]Message // backs replies: most turns say one or two things
	fired      *transition
	exits      []*state
	enters     []*state
	routeBuf   [8]*state // backs exits and enters in charts up to 4 deep
	env        *GuardEnv
	trace      *Trace
	// The flags side by side take one word: a Turn is allocated every turn,
	// and with the mask it stays in the same allocation size class.
	normDone bool
	bareDone bool
	maskDone bool
	dryRun   bool
}

// Normalized returns Text after Normalize, computed once per turn.
func (t *Turn) Normalized() string {
	if !t.normDone {
		t.normalized = Normalize(t.Text)
		t.normDone = true
	}
	return t.normalized
}

// bareText is Normalized without the punctuation around it, computed once.
func (t *Turn) bareText() string {
	if !t.bareDone {
		t.bare = trimPunct(t.Normalized())
		t.bareDone = true
	}
	return t.bare
}

// textMask is the runeMask of Normalized, computed once: keyword and regex
// matchers check it to skip searches that cannot succeed.
func (t *Turn) textMask() *runeMask {
	if !t.maskDone {
		t.mask = maskOf(t.Normalized())
		t.maskDone = true
	}
	return &t.mask
}

// Set sets a turn variable.
func (t *Turn) Set(name, value string) {
	if t.Vars == nil {
		t.Vars = make(map[string]string, 4)
	}
	t.Vars[name] = value
}

// Reply adds a message to the turn's reply.
func (t *Turn) Reply(m Message) {
	if m.Type == "" {
		m.Type = "text"
	}
	t.replies = append(t.replies, m)
}

// Say adds a text message to the turn's reply.
func (t *Turn) Say(text string) { t.Reply(Message{Type: "text", Text: text}) }
