package framework

import "maps"

// Turn is one event being handled: what handlers, matchers and reply
// templates see. Templates read its fields: {{.Sender.Nickname}}, {{.Room}},
// {{.Text}}, {{.Vars.name}}.
type Turn struct {
	Event  *Event
	Sender Client
	Room   string // the room's ID
	// Text is the message's text as the customer typed it (empty when the
	// event is not a text message).
	Text string
	// From is the state the turn started in, after aliases were resolved.
	From string
	// Vars are the turn's variables: regex captures, command arguments and
	// whatever handlers Set.
	Vars map[string]string

	bot        *Bot
	normalized string
	normDone   bool
	replies    []Message
	fired      *transition
	err        error
}

// Normalized returns Text after Normalize, computed once per turn.
func (t *Turn) Normalized() string {
	if !t.normDone {
		t.normalized = Normalize(t.Text)
		t.normDone = true
	}
	return t.normalized
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

// varsCopy returns the variables for a Result, safe from later changes.
func (t *Turn) varsCopy() map[string]string { return maps.Clone(t.Vars) }
