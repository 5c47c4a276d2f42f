package framework

import (
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"
)

// Reply is what the bot says: one or more variant messages, of which each turn
// picks one at random so that a bot does not sound like a recording. A
// variant's Text is a text/template over the Turn: {{.Sender.Nickname}},
// {{.Room}}, {{.Text}}, {{.Vars.order}}. Templates are parsed when the chart is
// compiled; what customers type is only ever data to them.
type Reply []Message

// Say is a text Reply with one or more variants.
func Say(variants ...string) Reply {
	r := make(Reply, len(variants))
	for i, v := range variants {
		r[i] = Message{Type: "text", Text: v}
	}
	return r
}

// Send is a Reply of any message type (image with OriginalURL, sticker,
// location, …), with one or more variants.
func Send(variants ...Message) Reply { return Reply(variants) }

// DefaultErrorReply is said when a handler fails and the chart sets no
// ErrorReply of its own.
var DefaultErrorReply = Say("抱歉，系统开小差了，请稍后再试。Sorry, something went wrong, please try again later.")

// compiledReply holds a Reply's parsed templates.
type compiledReply struct {
	variants []variant
}

type variant struct {
	msg  Message
	text text // msg.Text, compiled
}

func compileReply(r Reply) (*compiledReply, error) {
	if len(r) == 0 {
		return nil, nil
	}
	c := &compiledReply{variants: make([]variant, len(r))}
	for i, m := range r {
		if m.Type == "" {
			m.Type = "text"
		}
		if m.Type == "text" && strings.TrimSpace(m.Text) == "" {
			return nil, fmt.Errorf("reply %d is empty text", i+1)
		}
		x, err := compileText(m.Text)
		if err != nil {
			return nil, fmt.Errorf("reply %v", err)
		}
		c.variants[i] = variant{msg: m, text: x}
	}
	return c, nil
}

// isPlain reports whether a parsed template is only text.
func isPlain(t *template.Template) bool {
	for _, n := range t.Root.Nodes {
		if n.Type() != parse.NodeText {
			return false
		}
	}
	return true
}

// plainText is the text of a template that isPlain: its source without
// comments and trim markers.
func plainText(t *template.Template) string {
	var b strings.Builder
	for _, n := range t.Root.Nodes {
		b.Write(n.(*parse.TextNode).Text)
	}
	return b.String()
}

// render picks a variant and executes its template over t.
func (c *compiledReply) render(t *Turn) (Message, error) {
	v := &c.variants[0]
	if len(c.variants) > 1 {
		v = &c.variants[t.bot.intN(len(c.variants))]
	}
	msg := v.msg
	s, err := v.text.render(t)
	if err != nil {
		return Message{}, fmt.Errorf("reply %w", err)
	}
	msg.Text = s
	return msg, nil
}

// compose turns the replies a turn collected into the one message the chat
// server accepts: text parts are joined line by line; a media message (image,
// sticker, …) wins over text, the last one if there are several.
func compose(parts []Message) *Message {
	switch len(parts) {
	case 0:
		return nil
	case 1:
		return &parts[0]
	}
	for i := len(parts) - 1; i >= 0; i-- {
		if parts[i].MessageType() != "text" {
			return &parts[i]
		}
	}
	n := len(parts) - 1
	for _, p := range parts {
		n += len(p.Text)
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Text)
	}
	// parts belong to the finished turn: the first one can carry the text.
	parts[0].Text = b.String()
	return &parts[0]
}
