package framework

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// Form is a state that asks for values one by one (slot filling): "your
// order number?", "the phone you ordered with?". Each slot's question is a
// child state of the form's state, named "ask_" + the slot's name, so a
// form shows in botState paths ("refund_form/ask_order"), diagrams and
// coverage like any other state. Filled slots are turn variables, kept
// across turns when the bot has a session store.
type Form struct {
	Slots []Slot
	// Confirm, when set, is asked after the last slot (a template that can
	// show the slots: "订单 {{.Vars.order}}，确认提交吗？"). A yes completes
	// the form; a no asks every slot again. Yes and no understand Chinese and
	// English synonyms (是/好的/确认/yes…, 不/否/不对/no…).
	Confirm Reply
	// Cancel lists words that leave the form for OnCancel; nil means
	// DefaultCancelWords. An empty non-nil list disables cancelling.
	Cancel   []string
	OnCancel Transition
	// OnComplete fires when every slot is filled (and confirmed): its To,
	// Set, Call and Reply, like a transition's.
	OnComplete Transition
	// OnFail is where a slot that ran out of attempts goes, unless the slot
	// names its own. Its Reply is said on the way.
	OnFail Transition
}

// Slot is one value a form asks for.
type Slot struct {
	Name string
	// Ask is the question.
	Ask Reply
	// Type decides what is accepted and how it is stored; see SlotType.
	Type SlotType
	// Choices are the accepted values of a SlotChoice: a customer may answer
	// with the value, a synonym, or its number in the list ("2").
	Choices []Choice
	// Pattern is the regular expression of a SlotRegex; its first named
	// group, or the whole match, is the value.
	Pattern string
	// Invalid is said when an answer is not accepted; empty means a default
	// for the type.
	Invalid Reply
	// MaxAttempts is how many answers are tried before OnFail; zero means 3.
	MaxAttempts int
	// OnFail overrides the form's OnFail for this slot.
	OnFail *Transition
	Pos    Pos
}

// Choice is one accepted value of a choice slot.
type Choice struct {
	Value    string
	Synonyms []string
}

// DefaultCancelWords leave a form.
var DefaultCancelWords = []string{"取消", "算了", "不要了", "不填了", "退出", "cancel", "quit"}

// YesWords and NoWords answer a form's confirmation.
var (
	YesWords = []string{"是", "是的", "对", "对的", "好", "好的", "确认", "确定", "没错", "正确", "可以", "嗯", "yes", "y", "ok", "okay", "sure", "confirm"}
	NoWords  = []string{"不", "不是", "否", "不对", "错了", "不确定", "重新填写", "重填", "修改", "no", "n", "nope", "wrong"}
)

// attemptsVar counts a slot's rejected answers.
const attemptsVar = "_attempts"

// expandForm turns a form state into a compound state with a child per
// slot, and a confirmation child, so the rest of the compiler sees ordinary
// states. The internal guards and handlers it uses are registered in cc.
func (cc *compiler) expandForm(s State) State {
	f := s.Form
	if len(s.States) > 0 {
		cc.bad(s.Pos, "remove states: — the form makes a child state per slot", "state %q is a form and has child states", s.Name)
	}
	if len(f.Slots) == 0 {
		cc.bad(s.Pos, "add slots", "form %q has no slots", s.Name)
		return s
	}
	cancel := f.Cancel
	if cancel == nil {
		cancel = DefaultCancelWords
	}
	onComplete := f.OnComplete
	if onComplete.To == "" {
		cc.bad(s.Pos, "add on_complete: {to: STATE}", "form %q does not say where to go when complete", s.Name)
	}

	// leave is the transition the cancel words fire, in every question.
	leave := func(pos Pos) []Transition {
		if len(cancel) == 0 {
			return nil
		}
		t := f.OnCancel
		t.Match = Exact(cancel...)
		if t.Pos.IsZero() {
			t.Pos = pos
		}
		if t.To == "" {
			t.To = onComplete.To
		}
		return []Transition{t}
	}

	s.States = nil
	s.Initial = ""
	seen := map[string]bool{}
	for i, slot := range f.Slots {
		if slot.Name == "" || seen[slot.Name] {
			cc.bad(slot.Pos, "give every slot a different name", "form %q: slot %d has no name or a repeated one", s.Name, i+1)
			continue
		}
		seen[slot.Name] = true
		parse, err := newSlotParser(slot)
		if err != nil {
			cc.bad(slot.Pos, "", "form %q, slot %q: %v", s.Name, slot.Name, err)
			continue
		}
		max := slot.MaxAttempts
		if max <= 0 {
			max = 3
		}
		invalid := slot.Invalid
		if len(invalid) == 0 {
			invalid = Say(parse.invalid)
		}
		fail := f.OnFail
		if slot.OnFail != nil {
			fail = *slot.OnFail
		}
		if fail.To == "" {
			fail.To = onComplete.To
		}

		// The answer moves on: to the next slot, the confirmation, or out.
		next := Transition{Match: Custom("slot "+string(slot.Type), parse), Pos: slot.Pos}
		switch {
		case i+1 < len(f.Slots):
			next.To = "ask_" + f.Slots[i+1].Name
		case len(f.Confirm) > 0:
			next.To = "confirm"
		default:
			next = mergeTransition(next, onComplete)
		}
		on := append(leave(slot.Pos), next)

		retry := cc.internalGuard(func(t *Turn) bool { return attempts(t)+1 < max })
		fail.Match = AnyMessage()
		if fail.Pos.IsZero() {
			fail.Pos = slot.Pos
		}
		s.States = append(s.States, State{
			Name:       "ask_" + slot.Name,
			Reply:      slot.Ask,
			OnEnter:    Action{Set: []Assign{{Name: attemptsVar, Value: "0"}}},
			On:         on,
			Fallback:   &Transition{Guard: retry, Call: cc.internalHandler(countAttempt), Reply: invalid, Pos: slot.Pos},
			lastResort: &fail,
			Pos:        slot.Pos,
		})
	}
	if len(f.Confirm) > 0 && len(s.States) > 0 {
		yes := mergeTransition(Transition{Match: Exact(YesWords...), Pos: s.Pos}, onComplete)
		on := append(leave(s.Pos), yes, Transition{Match: Exact(NoWords...), To: s.States[0].Name, Pos: s.Pos})
		s.States = append(s.States, State{
			Name:     "confirm",
			Reply:    f.Confirm,
			On:       on,
			Fallback: &Transition{Reply: Say("请回复「是」确认，或回复「否」重新填写。Please answer yes or no."), Pos: s.Pos},
			Pos:      s.Pos,
		})
	}
	return s
}

// mergeTransition fires t with done's target and actions, at done's
// position when it has one, so that problems with them point there.
func mergeTransition(t, done Transition) Transition {
	t.To, t.Set, t.Call, t.Reply = done.To, done.Set, done.Call, done.Reply
	if !done.Pos.IsZero() {
		t.Pos = done.Pos
	}
	if done.If != "" || done.Guard != "" {
		t.If, t.Guard = done.If, done.Guard
	}
	return t
}

func attempts(t *Turn) int {
	n, _ := strconv.Atoi(t.Vars[attemptsVar])
	return n
}

func countAttempt(_ context.Context, t *Turn) error {
	t.Set(attemptsVar, strconv.Itoa(attempts(t)+1))
	return nil
}

// internalGuard registers a guard the compiler made, under a name no chart
// can write.
func (cc *compiler) internalGuard(g Guard) string {
	name := fmt.Sprintf("\x00guard%d", len(cc.guards))
	cc.guards[name] = g
	return name
}

// internalHandler registers a handler the compiler made. It runs inline: it
// is the compiler's own code, quick and trusted.
func (cc *compiler) internalHandler(h Handler) string {
	name := fmt.Sprintf("\x00handler%d", len(cc.handlers))
	cc.handlers[name] = h
	cc.inline[name] = true
	return name
}

// slotParser is a Matcher that accepts a slot's answers and sets its value.
type slotParser struct {
	slot    Slot
	invalid string
	accept  func(t *Turn) (string, bool)
}

func (p *slotParser) Match(t *Turn) bool {
	v, ok := p.accept(t)
	if ok {
		t.Set(p.slot.Name, v)
	}
	return ok
}

// displayName is how an internal name shows in traces and errors.
func displayName(name string) string {
	if strings.HasPrefix(name, "\x00") {
		return "form." + strings.TrimLeft(name, "\x00")
	}
	return name
}
