package chart

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
	"gopkg.in/yaml.v3"
)

// reply reads a reply: a text, a list of variants (texts or messages) of
// which each turn picks one, or one message of any type.
func (p *parser) reply(f pair) framework.Reply {
	v, ok := p.value(f)
	if !ok {
		return nil
	}
	switch v.Kind {
	case yaml.ScalarNode:
		return framework.Say(p.replyText(f.key, v))
	case yaml.MappingNode:
		return framework.Send(p.message(v))
	}
	if len(v.Content) == 0 {
		p.report(v, "write at least one variant, or remove "+f.key+":", "%s is an empty list", f.key)
		return nil
	}
	r := make(framework.Reply, 0, len(v.Content))
	for _, item := range v.Content {
		item = resolve(item)
		switch {
		case item.Kind == yaml.MappingNode:
			r = append(r, p.message(item))
		case item.Kind == yaml.ScalarNode && !isNull(item):
			r = append(r, framework.Message{Type: "text", Text: p.replyText(f.key, item)})
		default:
			p.report(item, `write each variant as a text, or as a message like {type: image, original_url: …}`,
				"a variant of %s is %s", f.key, describe(item))
		}
	}
	return r
}

// replyText returns the text of a scalar said as a reply. A | or > block
// ends with a line break that YAML keeps but that a chat bubble shows as an
// empty line, so it is dropped.
func (p *parser) replyText(key string, n *yaml.Node) string {
	if strings.TrimSpace(n.Value) == "" {
		p.report(n, "write the text to say, or remove "+key+":", "%s is blank", key)
	}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return strings.TrimRight(n.Value, "\n")
	}
	return n.Value
}

// message reads one message of a reply: {type: image, original_url: …}.
func (p *parser) message(n *yaml.Node) framework.Message {
	m := framework.Message{Type: "text"}
	hasText := false
	for _, f := range p.fields(n, "a reply message", messageKeys) {
		switch f.key {
		case "type":
			m.Type, _ = p.text(f)
		case "text":
			if v, ok := p.value(f); ok && v.Kind == yaml.ScalarNode {
				m.Text = p.replyText(f.key, v)
			} else if ok {
				p.report(v, "write the text after text:, or below it after text: |", "text must be text, not %s", describe(v))
			}
			hasText = true
		case "original_url":
			m.OriginalURL, _ = p.text(f)
		case "thumbnail_url":
			m.ThumbnailURL, _ = p.text(f)
		case "url":
			m.URL, _ = p.text(f)
		case "sticker":
			m.Sticker, _ = p.text(f)
		case "width":
			m.Width, _ = p.integer(f)
		case "height":
			m.Height, _ = p.integer(f)
		case "duration":
			m.Duration, _ = p.number(f, 0, math.MaxFloat64)
		case "latitude":
			m.Latitude, _ = p.number(f, -90, 90)
		case "longitude":
			m.Longitude, _ = p.number(f, -180, 180)
		case "extra":
			m.Extra = p.extra(f)
		}
	}
	if m.Type == "text" && !hasText {
		p.report(n, "add text:, or set type: for another kind of message (image, sticker, location, …)", "a text message has no text")
	}
	return m
}

// extra turns any YAML value into the JSON the chat server carries in a
// message's extra field, keeping keys in the order they are written.
func (p *parser) extra(f pair) json.RawMessage {
	v, ok := p.value(f)
	if !ok {
		return nil
	}
	var b bytes.Buffer
	if !p.writeJSON(&b, v) {
		return nil
	}
	return b.Bytes()
}

func (p *parser) writeJSON(b *bytes.Buffer, n *yaml.Node) bool {
	n = resolve(n)
	ok := true
	switch n.Kind {
	case yaml.MappingNode:
		b.WriteByte('{')
		for i, f := range p.pairs(n, "key", "extra") {
			if i > 0 {
				b.WriteByte(',')
			}
			_ = writeJSONValue(b, f.key) // a string always encodes
			b.WriteByte(':')
			ok = p.writeJSON(b, f.v) && ok
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, item := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			ok = p.writeJSON(b, item) && ok
		}
		b.WriteByte(']')
	default:
		ok = p.writeScalar(b, n)
	}
	return ok
}

// writeScalar writes a YAML scalar as JSON: null, true, 3, 2.5 as such, and
// everything else (dates included) as the text written.
func (p *parser) writeScalar(b *bytes.Buffer, n *yaml.Node) bool {
	var v any = n.Value
	switch n.ShortTag() {
	case "!!null":
		v = nil
	case "!!bool", "!!int", "!!float":
		var x any
		err := n.Decode(&x)
		if f, isFloat := x.(float64); err != nil || isFloat && (math.IsInf(f, 0) || math.IsNaN(f)) {
			p.report(n, "write a plain number, or put it in quotes to send it as text", "extra holds %s, which JSON cannot carry", describe(n))
			return false
		}
		v = x
	}
	if err := writeJSONValue(b, v); err != nil {
		p.report(n, "put it in quotes to send it as text", "extra holds %s, which JSON cannot carry", describe(n))
		return false
	}
	return true
}

// writeJSONValue writes v as JSON, leaving < > & as they are: extra is read
// by apps, not pasted into web pages.
func writeJSONValue(b *bytes.Buffer, v any) error {
	e := json.NewEncoder(b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return err
	}
	b.Truncate(b.Len() - 1) // Encode ends with a line break
	return nil
}
