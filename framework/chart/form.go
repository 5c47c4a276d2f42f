package chart

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
	"gopkg.in/yaml.v3"
)

// A form (framework.Form) is a state that asks for values one by one. Its
// YAML:
//
//	refund:
//	  form:
//	    slots:
//	      - name: order
//	        ask: 请输入订单号
//	        type: regex
//	        pattern: '(?P<order>\d{8})'
//	    confirm: 订单 {{.Vars.order}}，确认吗？
//	    on_complete: {call: lookup_order, to: order_info}

// slotTypes are the types a slot may have, as framework.SlotType.
var slotTypes = []string{
	string(framework.SlotText), string(framework.SlotNumber), string(framework.SlotInteger), string(framework.SlotEmail),
	string(framework.SlotPhone), string(framework.SlotDate), string(framework.SlotChoice), string(framework.SlotRegex),
}

// slotTypeSynonyms are the names authors reach for instead of a slot type.
var slotTypeSynonyms = map[string]string{
	"string": "text", "str": "text", "any": "text", "free": "text", "freetext": "text",
	"int": "integer", "whole": "integer", "count": "integer",
	"float": "number", "decimal": "number", "numeric": "number", "amount": "number", "digits": "number",
	"mail": "email", "emailaddress": "email",
	"tel": "phone", "telephone": "phone", "mobile": "phone", "cellphone": "phone", "phonenumber": "phone", "手机": "phone", "手机号": "phone",
	"day": "date", "datetime": "date", "日期": "date",
	"select": "choice", "enum": "choice", "options": "choice", "option": "choice", "choices": "choice", "menu": "choice", "list": "choice",
	"pattern": "regex", "regexp": "regex", "re": "regex", "regular": "regex",
}

// slotName is what a slot may be called: a variable that a template can
// read as {{.Vars.name}}.
var slotName = regexp.MustCompile(`^[\p{L}_][\p{L}\p{N}_]*$`)

// form walks a state's form:. where names the state in messages.
func (p *parser) form(f pair, where string) *framework.Form {
	v, ok := p.value(f)
	if !ok {
		return nil
	}
	what := "the form of " + where
	v, ok = p.mapping(v, what, "indent the form's keys (slots:, on_complete:, …) below form:")
	if !ok {
		return nil
	}
	form := &framework.Form{}
	var slots, complete, onCancel *pair
	var words []choiceWord
	for _, g := range p.fields(v, what, formKeys) {
		switch g.key {
		case "slots":
			slots = &g
			form.Slots, words = p.slots(g, what)
		case "confirm":
			form.Confirm = p.reply(g)
		case "cancel":
			form.Cancel = p.cancelWords(g)
		case "on_cancel":
			onCancel = &g
			form.OnCancel = p.formTransition(g, "on_cancel of "+what)
		case "on_complete":
			complete = &g
			form.OnComplete = p.formTransition(g, "on_complete of "+what)
		case "on_fail":
			form.OnFail = p.formTransition(g, "on_fail of "+what)
		}
	}
	if slots == nil && !misspelt(v, formKeys, "slots") {
		p.report(f.kn, "add slots:, a list of the values to ask for, each starting with \"- name:\"", "%s has no slots", what)
	}
	if onCancel != nil && form.Cancel != nil && len(form.Cancel) == 0 {
		p.report(onCancel.kn, "remove on_cancel:, or list the words that cancel under cancel:", "on_cancel of %s is never used: cancel: [] turns cancelling off", what)
	}
	switch {
	case complete == nil && misspelt(v, formKeys, "on_complete"):
	case complete == nil:
		p.report(f.kn, "add on_complete: {to: STATE}: where the customer goes once every slot is filled", "%s has no on_complete", what)
	case form.OnComplete.To == "" && !isNull(complete.v) && resolve(complete.v).Kind == yaml.MappingNode && len(resolve(complete.v).Content) > 0 &&
		!misspelt(resolve(complete.v), formTransitionKeys, "to"):
		p.report(complete.kn, "add to: with the state the customer goes to once every slot is filled", "on_complete of %s has no to:", what)
	}
	p.checkWords(form.Cancel, words)
	return form
}

// choiceWord is a word that picks a choice: its value or a synonym, where
// it is written.
type choiceWord struct {
	slot, value, word string
	n                 *yaml.Node
}

// slots walks a form's slots:, a list, and returns them with the words that
// pick their choices.
func (p *parser) slots(f pair, where string) ([]framework.Slot, []choiceWord) {
	v, ok := p.value(f)
	if !ok {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		p.report(v, `start each slot with "- ", like:  - name: order`, "slots of %s must be a list of slots, not %s", where, describe(v))
		return nil, nil
	}
	if len(v.Content) == 0 {
		p.report(v, "add at least one slot, like - {name: order, ask: 请输入订单号}", "slots of %s is an empty list", where)
		return nil, nil
	}
	out := make([]framework.Slot, 0, len(v.Content))
	var words []choiceWord
	for i, item := range v.Content {
		s, w := p.slot(item, fmt.Sprintf("slot %d of %s", i+1, where))
		out = append(out, s)
		words = append(words, w...)
	}
	return out, words
}

// slot walks one slot. Its position is its first key's, where its list
// item starts.
func (p *parser) slot(n *yaml.Node, where string) (framework.Slot, []choiceWord) {
	n = resolve(n)
	s := framework.Slot{Pos: p.modelPos(n)}
	if n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		s.Pos = p.modelPos(n.Content[0])
	}
	n, ok := p.mapping(n, where, `write the slot's keys (name:, ask:, type:, …) after its "- "`)
	if !ok {
		return s, nil
	}
	var name, ask, typ, pattern, choices *pair
	var words []choiceWord
	for _, f := range p.fields(n, where, slotKeys) {
		switch f.key {
		case "name":
			name = &f
			if s.Name, ok = p.text(f); ok && !slotName.MatchString(s.Name) {
				p.report(resolve(f.v), "name it with letters, digits and _, starting with a letter, like order_id: it is read as {{.Vars.NAME}}",
					"slot name %q is not a variable name", s.Name)
			}
		case "ask":
			ask = &f
			s.Ask = p.reply(f)
		case "type":
			typ = &f
			s.Type = p.slotType(f)
		case "choices":
			choices = &f
			s.Choices, words = p.choices(f)
		case "pattern":
			pattern = &f
			s.Pattern, _ = p.text(f)
		case "invalid":
			s.Invalid = p.reply(f)
		case "max_attempts":
			if m, ok := p.integer(f); ok && m == 0 {
				p.report(resolve(f.v), "write 1 or more, or remove max_attempts: for 3", "max_attempts must be at least 1, not 0")
			} else {
				s.MaxAttempts = m
			}
		case "on_fail":
			t := p.formTransition(f, "on_fail of "+where)
			s.OnFail = &t
		}
	}
	if name != nil && s.Name != "" {
		where = fmt.Sprintf("slot %q", s.Name)
	}
	if name == nil && !misspelt(n, slotKeys, "name") {
		p.report(n, "add name: with the variable the answer goes in, like name: order", "%s has no name", where)
	}
	if ask == nil && !misspelt(n, slotKeys, "ask") {
		p.report(n, "add ask: with the question, like ask: 请输入订单号", "%s has no ask", where)
	}
	switch {
	case typ != nil && s.Type == "":
		// reported by slotType
	case s.Type == framework.SlotChoice && choices == nil:
		p.report(typ.kn, "add choices:, the list of accepted answers", "%s is a choice but has no choices", where)
	case s.Type == framework.SlotRegex && pattern == nil:
		p.report(typ.kn, `add pattern: with the regular expression, like pattern: '(?P<order>\d{8})'`, "%s is a regex but has no pattern", where)
	case choices != nil && s.Type != framework.SlotChoice:
		p.report(choices.kn, "add type: choice, or remove choices:", "%s has choices but is not of type choice", where)
	case pattern != nil && s.Type != framework.SlotRegex:
		p.report(pattern.kn, "add type: regex, or remove pattern:", "%s has a pattern but is not of type regex", where)
	}
	if s.Type != framework.SlotChoice {
		return s, nil
	}
	for i := range words {
		words[i].slot = s.Name
	}
	return s, words
}

// slotType reads a slot's type:.
func (p *parser) slotType(f pair) framework.SlotType {
	v, ok := p.value(f)
	if !ok {
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		p.report(v, "write one of: "+strings.Join(slotTypes, ", "), "type must be a slot type, not %s", describe(v))
		return ""
	}
	s := strings.TrimSpace(v.Value)
	if slices.Contains(slotTypes, s) {
		return framework.SlotType(s)
	}
	fix := "use one of: " + strings.Join(slotTypes, ", ")
	canon := canonical(s)
	if t, ok := slotTypeSynonyms[canon]; ok {
		fix = fmt.Sprintf("did you mean %s?", t)
	} else if t := closest(canon, slotTypes); t != "" {
		fix = fmt.Sprintf("did you mean %s?", t)
	}
	p.report(v, fix, "%s is not a slot type", describe(v))
	return ""
}

// choices reads a choice slot's choices: a list of values, each a text or
// {value: …, synonyms: […]}.
func (p *parser) choices(f pair) ([]framework.Choice, []choiceWord) {
	v, ok := p.value(f)
	if !ok {
		return nil, nil
	}
	if v.Kind != yaml.SequenceNode {
		p.report(v, `start each choice with "- ", like:  - 质量问题  or  - {value: 质量问题, synonyms: [坏了]}`, "choices must be a list, not %s", describe(v))
		return nil, nil
	}
	if len(v.Content) == 0 {
		p.report(v, "write at least one choice inside [ ], or remove choices:", "choices is an empty list")
		return nil, nil
	}
	out := make([]framework.Choice, 0, len(v.Content))
	var words []choiceWord
	for i, item := range v.Content {
		item = resolve(item)
		switch {
		case item.Kind == yaml.ScalarNode && !isNull(item) && strings.TrimSpace(item.Value) != "":
			out = append(out, framework.Choice{Value: item.Value})
			words = append(words, choiceWord{value: item.Value, word: item.Value, n: item})
		case item.Kind == yaml.MappingNode:
			if c, w, ok := p.choice(item, i+1); ok {
				out = append(out, c)
				words = append(words, w...)
			}
		default:
			p.report(item, "write each choice as a text, or as {value: 质量问题, synonyms: [坏了, 破损]}", "choice %d is %s", i+1, describe(item))
		}
	}
	return out, words
}

// choice reads a choice written as a mapping.
func (p *parser) choice(n *yaml.Node, i int) (framework.Choice, []choiceWord, bool) {
	var c framework.Choice
	var words []choiceWord
	where := fmt.Sprintf("choice %d", i)
	if len(n.Content) == 2 {
		if k, v := resolve(n.Content[0]), resolve(n.Content[1]); k.Kind == yaml.ScalarNode && !slices.Contains(choiceKeyNames, k.Value) && v.Kind == yaml.SequenceNode {
			// - 质量问题: [坏了, 破损]
			p.report(n, fmt.Sprintf("write {value: %s, synonyms: […]}", k.Value), "%s must be a text, or a value: with synonyms:, not %s: followed by a list", where, k.Value)
			return c, nil, false
		}
	}
	fields := p.fields(n, where, choiceKeys)
	var valueNode, synonyms *yaml.Node
	for _, f := range fields {
		switch f.key {
		case "value":
			valueNode = resolve(f.v)
			c.Value, _ = p.text(f)
		case "synonyms":
			c.Synonyms, _ = p.texts(f)
			synonyms = resolve(f.v)
		}
	}
	if valueNode == nil {
		if !misspelt(n, choiceKeys, "value") {
			p.report(n, "add value: with the text the slot takes when this choice is picked", "%s has no value", where)
		}
		return c, nil, false
	}
	if c.Value == "" {
		return c, nil, false
	}
	words = append(words, choiceWord{value: c.Value, word: c.Value, n: valueNode})
	switch {
	case synonyms == nil:
	case synonyms.Kind == yaml.ScalarNode:
		for _, w := range c.Synonyms {
			words = append(words, choiceWord{value: c.Value, word: w, n: synonyms})
		}
	case synonyms.Kind == yaml.SequenceNode:
		for _, item := range synonyms.Content {
			if item = resolve(item); item.Kind == yaml.ScalarNode && slices.Contains(c.Synonyms, item.Value) {
				words = append(words, choiceWord{value: c.Value, word: item.Value, n: item})
			}
		}
	}
	return c, words, true
}

// cancelWords reads a form's cancel:, the words that leave it: a word or a
// list of them; [] turns cancelling off.
func (p *parser) cancelWords(f pair) []string {
	v, ok := p.value(f)
	if !ok {
		return nil
	}
	switch {
	case v.Kind == yaml.SequenceNode && len(v.Content) == 0:
		return []string{} // none: the form cannot be cancelled
	case v.Kind == yaml.ScalarNode && v.ShortTag() == "!!bool":
		p.report(v, "write cancel: [] to turn cancelling off, or list the words that cancel, like cancel: [取消, 算了]",
			"cancel must be a word or a list of words, not %s", describe(v))
		return nil
	}
	words, _ := p.texts(f)
	return words
}

// formTransition walks on_complete:, on_cancel: or on_fail: (of a form or
// a slot): a transition without a pattern, as the form decides when it
// fires.
func (p *parser) formTransition(f pair, where string) framework.Transition {
	v, ok := p.value(f)
	if !ok {
		return framework.Transition{}
	}
	if v.Kind == yaml.ScalarNode {
		p.report(v, fmt.Sprintf("write %s: {to: %s}", f.key, v.Value), "%s must be a mapping of keys with values, not %s", where, describe(v))
		return framework.Transition{}
	}
	t := p.transition(v, where, formTransitionKeys, fmt.Sprintf("write its keys (to:, reply:, …) below %s:, indented, without \"- \"", f.key))
	if v.Kind == yaml.MappingNode && len(v.Content) == 0 {
		p.report(v, fmt.Sprintf("write to: and what to say (reply:), or remove %s:", f.key), "%s is empty", where)
	}
	return t
}

// checkWords reports the words that pick a choice but that the form takes
// for a cancel, which is tried first, and the words that pick two choices
// of one slot. cancel is the form's cancel:.
func (p *parser) checkWords(cancel []string, words []choiceWord) {
	fix := "remove it from the choices, or list the form's cancel: words without it"
	if cancel == nil {
		cancel = framework.DefaultCancelWords
		fix = fmt.Sprintf("remove it from the choices, or list the form's cancel: words without it (by default: %s)", strings.Join(cancel, ", "))
	}
	cancels := make(map[string]bool, len(cancel))
	for _, w := range cancel {
		cancels[framework.NormalizeWord(framework.MatchExact, w)] = true
	}
	type first struct{ slot, key string }
	taken := map[first]string{}
	for _, w := range words {
		key := framework.NormalizeWord(framework.MatchExact, w.word)
		if cancels[key] {
			p.report(w.n, fix, "%s cancels the form: it can never pick the choice %s of slot %q", w.word, w.value, w.slot)
			continue
		}
		if prev, dup := taken[first{w.slot, key}]; dup && prev != w.value {
			p.report(w.n, "keep the word in one choice only", "%s picks two choices of slot %q: %s and %s", w.word, w.slot, prev, w.value)
			continue
		}
		taken[first{w.slot, key}] = w.value
	}
}

// misspelt reports whether mapping n has an unknown key, already reported,
// that was meant to be key: a second problem saying key is missing would
// only repeat it.
func misspelt(n *yaml.Node, k keys, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := resolve(n.Content[i])
		if kn.Kind != yaml.ScalarNode || slices.Contains(k.known, kn.Value) {
			continue
		}
		hint := k.hint(pair{key: kn.Value, kn: kn, v: n.Content[i+1]})
		if strings.HasPrefix(hint, "did you mean "+key+"?") || strings.HasPrefix(hint, "did you mean "+key+":?") {
			return true
		}
	}
	return false
}
