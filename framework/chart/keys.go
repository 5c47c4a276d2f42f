package chart

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// keys is what one kind of mapping may hold.
type keys struct {
	known []string
	// misplaced says what to do with a key that belongs to another kind of
	// mapping: most unknown keys are right keys at the wrong indentation.
	misplaced map[string]string
	// extensions allows keys starting with "x-": they hold YAML anchors
	// that the rest of the file reuses, and mean nothing themselves.
	extensions bool
}

var (
	patternKeys    = []string{"exact", "keywords", "all_of", "regex", "command", "type", "any", "robot_added", "faq"}
	stateKeyNames  = []string{"aliases", "reply", "on_enter", "on_exit", "on", "fallback", "initial", "states", "history", "globals", "use", "with", "form"}
	chartKeyNames  = []string{"bot", "robot_id", "initial", "unknown_state", "answer_robots", "time_zone", "error_reply", "global", "fallback", "states"}
	flowKeyNames   = []string{"flow", "description", "params", "initial", "states"}
	actionKeys     = []string{"if", "guard", "set", "call", "reply", "to"}
	doKeys         = []string{"set", "call", "reply"} // what on_enter and on_exit do
	messageKeyList = []string{"type", "text", "original_url", "thumbnail_url", "url", "sticker", "width", "height", "duration", "latitude", "longitude", "extra"}
	formKeyNames   = []string{"slots", "confirm", "cancel", "on_cancel", "on_complete", "on_fail"}
	slotKeyNames   = []string{"name", "ask", "type", "choices", "pattern", "invalid", "max_attempts", "on_fail"}
	choiceKeyNames = []string{"value", "synonyms"}
	// chartOnly are the chart's keys that no state has.
	chartOnly = []string{"bot", "robot_id", "unknown_state", "answer_robots", "time_zone", "error_reply"}
	// stateOnly are the state's keys that nothing else has.
	stateOnly = []string{"aliases", "on_enter", "on_exit", "history", "use", "with", "form"}
	// formOnly are the form's keys that nothing else has; slotOnly the
	// slot's.
	formOnly = []string{"slots", "confirm", "cancel", "on_cancel", "on_complete"}
	slotOnly = []string{"ask", "choices", "pattern", "invalid", "max_attempts"}
)

const (
	inState      = "this key belongs to a state: indent it under the state's name, below states:"
	inTransition = `this key belongs to a transition: transitions are a list under a state's on:, each starting with "- "`
	atTop        = "this key belongs at the top of the file, not indented"
	inMessage    = "this key belongs to a message: write it under reply:, like reply: {type: image, original_url: …}"
	inFlow       = "this key belongs to a flow file in the flow library; a chart starts with bot:"
	notInFlow    = "this key belongs to the chart, not to a flow: a flow holds flow:, description:, params:, initial: and states:"
	globalAtTop  = "global: is a top-level key; inside a state use on:"
	inChoice     = "this key belongs to a choice: write the choice as {value: 质量问题, synonyms: [坏了, 破损]} in the list under choices:"
	inForm       = "this key belongs to a form: indent it under the state's form:"
	inSlot       = `this key belongs to a form's slot: slots are a list under form: slots:, each starting with "- "`
	nextToForm   = "this key belongs to the state: write it next to form:, not under it"
	formDecides  = "the form decides when on_complete:, on_cancel: and on_fail: fire: remove the pattern"
	formNoGuard  = "the form decides when on_complete:, on_cancel: and on_fail: fire, so they have no if: or guard:; to choose where to go by a condition, go to a state whose transitions have if:"
	slotMovesOn  = "a slot moves on to the next one by itself: to go elsewhere when it runs out of attempts, write on_fail: {to: …}; when the form is filled, on_complete: under form:"
)

var (
	chartKeys = keys{
		known:      chartKeyNames,
		extensions: true,
		misplaced: misplacedAs(inState, stateOnly...).with(inState, "reply", "on").
			with("did you mean global:? A state's globals: false keeps the chart's global transitions out of it", "globals").
			with(inTransition, "event").with(inTransition, patternKeys...).with(inTransition, actionKeys...).
			with(inFlow, "flow", "description", "params"),
	}
	stateKeys = keys{
		known: stateKeyNames,
		misplaced: misplacedAs(inTransition, "event").with(inTransition, patternKeys...).with(inTransition, actionKeys...).
			with(atTop, chartOnly...).
			with(globalAtTop, "global").
			with(inForm, formOnly...).with(inForm, "on_fail").with(inSlot, slotOnly...),
	}
	formKeys = keys{
		known: formKeyNames,
		misplaced: misplacedAs(inSlot, slotOnly...).with(inSlot, "name", "type").
			with(nextToForm, stateKeyNames...).
			with("this key belongs to on_complete: (or on_cancel:, on_fail:), like on_complete: {call: lookup_order, to: order_info}", "to", "call", "set").
			with("a form reads the answers itself; for another way out, write on: next to form:, with a transition", "event", "exact", "keywords", "all_of", "regex", "command", "any").
			with(inChoice, choiceKeyNames...).
			with(atTop, chartOnly...).with(atTop, "global"),
	}
	slotKeys = keys{
		known: slotKeyNames,
		misplaced: misplacedAs("this key belongs to the form: write it under form:, next to slots:", formOnly...).
			with("did you mean ask:? A slot asks its question with ask:", "reply").
			with("did you mean pattern:? With type: regex, pattern: is the regular expression an answer must match", "regex").
			with("a slot's type decides which answers it takes: remove the pattern, or use type: regex with pattern:", "exact", "keywords", "all_of", "command", "any").
			with(slotMovesOn, "to", "call", "set").
			with("a slot has no condition: it asks until it is answered or runs out of attempts", "if", "guard").
			with(inChoice, choiceKeyNames...).
			with(nextToForm, stateOnly...).with(nextToForm, "on", "fallback", "states", "initial"),
	}
	choiceKeys = keys{
		known: choiceKeyNames,
		misplaced: misplacedAs("this key belongs to the slot, not to one of its choices", slotKeyNames...).
			with("a choice is picked by its value, its synonyms or its number: remove the pattern, or list the words under synonyms:", "exact", "keywords", "regex"),
	}
	// formTransitionKeys are those of on_complete:, on_cancel: and on_fail:
	// (of a form or of a slot): a transition's, but the pattern.
	formTransitionKeys = keys{
		known: []string{"set", "call", "reply", "to"},
		misplaced: misplacedAs(formDecides, "event").with(formDecides, patternKeys...).
			with(formNoGuard, "if", "guard").
			with(inMessage, messageKeyList[1:]...).
			with("this key belongs to the form: write it under form:, next to slots:", formOnly...).
			with(inState, stateOnly...).with(inState, "on", "fallback", "initial", "states").
			with(atTop, chartOnly...).with(atTop, "global"),
	}
	flowKeys = keys{
		known:      flowKeyNames,
		extensions: true,
		misplaced: misplacedAs(inState, stateOnly...).with(inState, "reply", "on").
			with(inTransition, "event").with(inTransition, patternKeys...).with(inTransition, actionKeys...).
			with(notInFlow, chartOnly...).with(notInFlow, "global", "globals").
			with("a flow has no fallback of its own: give its states, or the state that uses it, a fallback:", "fallback").
			with("a flow file starts with flow: followed by its name, not bot:", "bot"),
	}
	transitionKeys = keys{
		known: slices.Concat([]string{"event"}, patternKeys, actionKeys),
		misplaced: misplacedAs(inMessage, messageKeyList[1:]...).
			with("a transition holds no transitions: list them all under the state's on:", "on").
			with(inState, stateOnly...).with(inState, "fallback").
			with("this key belongs to a state (or the top of the file), not to a transition", "initial", "states").
			with(atTop, chartOnly...).with(atTop, "global"),
	}
	fallbackKeys = keys{
		known: slices.Concat(patternKeys, actionKeys),
		misplaced: misplacedAs(inMessage, messageKeyList[1:]...).
			with("a fallback answers messages only: remove event:, or make this a transition under on:", "event").
			with(inState, stateOnly...).with(inState, "on", "fallback").
			with("this key belongs to a state (or the top of the file), not to a fallback", "initial", "states").
			with(atTop, chartOnly...).with(atTop, "global"),
	}
	// doesKeys are those of on_enter: and on_exit:.
	doesKeys = keys{
		known: doKeys,
		misplaced: misplacedAs("entering or leaving a state cannot move the room: put to: on a transition", "to").
			with("entering or leaving a state has no condition: put if: or guard: on a transition", "if", "guard").
			with(inMessage, messageKeyList[1:]...).
			with(inTransition, "event").with(inTransition, patternKeys...).
			with(inState, stateOnly...).with(inState, "on", "fallback", "initial", "states"),
	}
	messageKeys = keys{
		known:     messageKeyList,
		misplaced: misplacedAs("a message holds no transition keys: write this next to reply:, not under it", "to", "call", "event", "reply", "set", "if", "guard"),
	}
)

type misplacement map[string]string

func misplacedAs(fix string, names ...string) misplacement {
	return misplacement{}.with(fix, names...)
}

func (m misplacement) with(fix string, names ...string) misplacement {
	for _, n := range names {
		m[n] = fix
	}
	return m
}

// synonyms are words authors reach for instead of a key's name.
var synonyms = map[string][]string{
	"say": {"reply"}, "answer": {"reply"}, "response": {"reply"}, "respond": {"reply"},
	"message": {"reply", "text"}, "content": {"text"}, "messagetype": {"type"},
	"goto": {"to"}, "go": {"to"}, "next": {"to"}, "target": {"to"}, "then": {"to"},
	"handler": {"call"}, "action": {"call"}, "run": {"call"}, "do": {"call"}, "function": {"call"},
	"contains": {"keywords"}, "pattern": {"regex"},
	"equals": {"exact"}, "is": {"exact"}, "all": {"all_of"}, "both": {"all_of"},
	"transitions": {"on"}, "when": {"on", "if"}, "triggers": {"on"},
	"default": {"fallback"}, "else": {"fallback"}, "otherwise": {"fallback"},
	"name": {"bot", "flow"}, "start": {"initial"}, "robot": {"robot_id"},
	"condition": {"if"}, "guards": {"guard"}, "assign": {"set"}, "vars": {"set"}, "variables": {"set"},
	"let": {"set"}, "onentry": {"on_enter"}, "entry": {"on_enter"}, "enter": {"on_enter"}, "onexit": {"on_exit"}, "exit": {"on_exit"},
	"children": {"states"}, "substates": {"states"}, "include": {"use"}, "flow": {"use"}, "params": {"with"}, "parameters": {"with", "params"},
	"args": {"with"}, "arguments": {"with"}, "timezone": {"time_zone"}, "tz": {"time_zone"}, "zone": {"time_zone"},
	"globaltransitions": {"global"}, "always": {"global"}, "remember": {"history"},
	"lat": {"latitude"}, "lng": {"longitude"}, "lon": {"longitude"}, "long": {"longitude"},
	"image": {"original_url"}, "src": {"original_url"}, "thumb": {"thumbnail_url"}, "thumbnail": {"thumbnail_url"},
	"messagetypes": {"type"}, "types": {"type"},
	// forms
	"fields": {"slots"}, "questions": {"slots"}, "steps": {"slots"}, "confirmation": {"confirm"}, "confirmationmessage": {"confirm"},
	"done": {"on_complete"}, "ondone": {"on_complete"}, "onsuccess": {"on_complete"}, "onfinish": {"on_complete"}, "onfilled": {"on_complete"},
	"complete": {"on_complete"}, "submit": {"on_complete"}, "onsubmit": {"on_complete"},
	"cancelwords": {"cancel"}, "quit": {"cancel"}, "exitwords": {"cancel"},
	"onerror": {"on_fail"}, "onfailure": {"on_fail"}, "ongiveup": {"on_fail"}, "fail": {"on_fail"}, "onmaxattempts": {"on_fail"},
	"prompt": {"ask"}, "question": {"ask"}, "askfor": {"ask"},
	"error": {"invalid"}, "retry": {"invalid"}, "reprompt": {"invalid"}, "invalidreply": {"invalid"}, "onwrong": {"invalid"},
	"attempts": {"max_attempts"}, "retries": {"max_attempts"}, "maxretries": {"max_attempts"}, "tries": {"max_attempts"}, "maxtries": {"max_attempts"},
	"options": {"choices"}, "values": {"choices"}, "items": {"choices"}, "kind": {"type"}, "slottype": {"type"},
	"var": {"name"}, "variable": {"name"}, "id": {"name"}, "key": {"name"},
	"regexp": {"regex", "pattern"}, "re": {"regex", "pattern"},
	"words": {"synonyms"}, "alternatives": {"synonyms"}, "also": {"synonyms"}, "synonym": {"synonyms"}, "label": {"value"},
}

// fields returns the pairs of mapping n whose keys k knows, reporting the
// others with a hint at what was meant. where names the mapping in messages.
func (p *parser) fields(n *yaml.Node, where string, k keys) []pair {
	var out []pair
	for _, f := range p.pairs(n, "key", where) {
		if slices.Contains(k.known, f.key) {
			out = append(out, f)
			continue
		}
		if k.extensions && strings.HasPrefix(f.key, "x-") {
			continue
		}
		p.report(f.kn, k.hint(f), "unknown key %q in %s", f.key, where)
	}
	return out
}

// hint says what an unknown key was probably meant to be.
func (k keys) hint(f pair) string {
	canon := canonical(f.key)
	for _, name := range k.known {
		if canonical(name) == canon { // Reply, robotId, error-reply
			return fmt.Sprintf("did you mean %s?", name)
		}
	}
	if fix, ok := k.misplaced[f.key]; ok {
		return fix
	}
	if slices.Contains(k.known, "states") && looksLikeState(f.v) {
		// on_entr: {reply: …} is a typo, not a state out of place.
		if name := closest(canon, k.known); slices.Contains(mappingKeys, name) {
			return fmt.Sprintf("did you mean %s?", name)
		}
		return "states go under states:, indented below it"
	}
	for _, name := range synonyms[canon] {
		if slices.Contains(k.known, name) {
			return fmt.Sprintf("did you mean %s?", name)
		}
	}
	if name := closest(canon, k.known); name != "" {
		return fmt.Sprintf("did you mean %s?", name)
	}
	return "use one of: " + strings.Join(k.known, ", ")
}

// mappingKeys are the keys whose value is a mapping of keys with values.
var mappingKeys = []string{"on_enter", "on_exit", "fallback", "states", "with", "params", "set"}

// looksLikeState reports whether n is a mapping with a state's keys.
func looksLikeState(n *yaml.Node) bool {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i < len(n.Content); i += 2 {
		if slices.Contains(stateKeyNames, n.Content[i].Value) {
			return true
		}
	}
	return false
}

// canonical folds the ways of writing a key that differ only in case and
// separators: robotId, RobotID, robot-id.
func canonical(s string) string {
	return strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(s))
}

// closest returns the known key within a few typing slips of canon, or "".
// The allowance grows with the word: one slip in "to" is another word, two
// in "keywords" are still a typo.
func closest(canon string, known []string) string {
	best, bestDist := "", 0
	for _, name := range known {
		d := distance(canon, canonical(name))
		if d <= slips(canon) && (best == "" || d < bestDist) {
			best, bestDist = name, d
		}
	}
	return best
}

func slips(s string) int {
	switch n := len([]rune(s)); {
	case n <= 4:
		return 1
	case n <= 8:
		return 2
	}
	return 3
}

// distance is the optimal string alignment distance between a and b: the
// number of inserted, deleted, replaced or swapped characters.
func distance(a, b string) int {
	s, t := []rune(a), []rune(b)
	prev2 := make([]int, len(t)+1)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}
