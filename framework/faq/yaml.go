package faq

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/internal/yamlsyntax"
	"gopkg.in/yaml.v3"
)

// LoadYAML reads a knowledge base written in YAML:
//
//	synonyms:                 # optional: groups of interchangeable words
//	  - [退款, 退钱, 退费]
//	entries:
//	  - id: refund_time       # letters, digits, _ - . ; unique
//	    question: 退款多久到账？
//	    phrasings: [钱什么时候退回来, 退款几天能到]   # optional
//	    keywords: [到账]       # optional
//	    answer: "…"           # a text, a list of variants, or a message
//	    tags: [售后]           # optional
//	    next: menu            # optional
//	entries_csv: faq.csv      # optional: more entries, from a CSV file
//
// An answer is written like a chart's reply: a text, a list of variants of
// which each turn picks one (texts or messages), or one message of any type,
// such as {type: image, original_url: …}. Top-level keys starting with x-
// are ignored, to hold YAML anchors.
//
// entries_csv: names a CSV file, as LoadCSV reads it, relative to this one:
// a team that keeps its FAQ in a spreadsheet keeps its synonyms here, and
// they apply to the CSV file's entries as to entries:. Its entries follow
// those of entries:, if any, and ids are unique across both. Only Load and
// LoadFS can read the second file: LoadYAML reports entries_csv: as a
// problem.
//
// Every problem is reported, each with its file:line:col, in an *Error:
// syntax errors, unknown or repeated keys, missing or duplicate ids, empty
// texts and lists, a phrasing written for two entries.
func LoadYAML(name string, data []byte) (*KnowledgeBase, error) {
	return load(name, ".yaml", data, nil)
}

// loader collects the problems of a file.
type loader struct {
	file     string
	problems []framework.Problem
	lines    [][]byte // the file's lines, for CSV columns
	// read returns the data of a file named relative to this one, and the
	// name it goes by; nil when there are only this file's bytes.
	read func(rel string) (string, []byte, error)
	*entrySet
}

// entrySet is what the entries of a knowledge base share, whichever file
// each comes from: the synonyms, and where each id, question and phrasing
// was first written, to report one written twice.
type entrySet struct {
	syn   *synonyms
	ids   map[string]framework.Pos
	owner map[string]textOwner // a cleaned text → where it was first written
}

type textOwner struct {
	id  string
	pos framework.Pos
}

func newEntrySet() *entrySet {
	return &entrySet{ids: map[string]framework.Pos{}, owner: map[string]textOwner{}}
}

func (l *loader) add(line, col int, fix, format string, args ...any) {
	l.problems = append(l.problems, framework.Problem{
		Pos:  framework.Pos{File: l.file, Line: line, Col: max(col, 1)},
		What: fmt.Sprintf(format, args...),
		Fix:  fix,
	})
}

func (l *loader) report(n *yaml.Node, fix, format string, args ...any) {
	l.add(n.Line, n.Column, fix, format, args...)
}

// where names a place for messages: its line if it is in this file, else
// file:line.
func (l *loader) where(p framework.Pos) string {
	if p.File == l.file {
		return fmt.Sprintf("line %d", p.Line)
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// err returns the problems in order: this file's, then those of the file it
// includes.
func (l *loader) err() error {
	if len(l.problems) == 0 {
		return nil
	}
	included := func(p framework.Problem) int {
		if p.Pos.File == l.file {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(l.problems, func(a, b framework.Problem) int {
		return cmp.Or(
			cmp.Compare(included(a), included(b)),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
		)
	})
	// A value used through several aliases is reported once.
	l.problems = slices.Compact(l.problems)
	return &Error{Problems: l.problems}
}

var (
	topKeys     = []string{"synonyms", "entries", "entries_csv"}
	entryKeys   = []string{"id", "question", "phrasings", "keywords", "answer", "tags", "next"}
	messageKeys = []string{"type", "text", "original_url", "thumbnail_url", "url", "sticker", "width", "height", "duration", "latitude", "longitude", "extra"}
)

func (l *loader) yaml(data []byte) *KnowledgeBase {
	kb := &KnowledgeBase{File: l.file}
	data, ok := l.text(data)
	if !ok {
		return kb
	}
	root, err := decodeYAML(data)
	switch {
	case errors.Is(err, io.EOF) || err == nil && isNull(root):
		l.add(1, 1, "write entries: with at least one entry", "the file is empty")
		return kb
	case err != nil:
		l.syntaxError(err, data)
		return kb
	}
	if !l.checkAliases(root) {
		return kb
	}
	root = resolve(root)
	if root.Kind != yaml.MappingNode {
		l.report(root, "start the file with entries:", "the file holds %s, not a knowledge base", describe(root))
		return kb
	}
	var entries, csvFile *yaml.Node
	for _, f := range l.fields(root, "the file", topKeys, true) {
		switch f.key.Value {
		case "synonyms":
			kb.Synonyms = l.synonyms(f.value)
		case "entries":
			entries = f.value
		case "entries_csv":
			csvFile = f.value
		}
	}
	if entries == nil && csvFile == nil {
		l.report(root, "add entries: with at least one entry, or entries_csv: naming a CSV file of them", "the file has no entries:")
		return kb
	}
	l.syn = newSynonyms(kb.Synonyms)
	if entries != nil {
		l.entries(kb, entries)
	}
	if csvFile != nil {
		l.csvEntries(kb, csvFile)
	}
	return kb
}

// csvEntries adds the entries of the CSV file that n names, relative to
// this file. Their problems name the CSV file.
func (l *loader) csvEntries(kb *KnowledgeBase, n *yaml.Node) {
	rel, ok := l.scalar(n, "entries_csv")
	switch {
	case !ok:
		return
	case l.read == nil:
		l.report(n, "load the knowledge base with faq.Load or faq.LoadFS, which find the CSV file next to it",
			"entries_csv: names a second file, which LoadYAML cannot read")
		return
	case path.IsAbs(rel) || filepath.IsAbs(rel):
		l.report(n, "write the path relative to this file, like faq.csv", "entries_csv: %s is not a relative path", rel)
		return
	case !strings.EqualFold(path.Ext(rel), ".csv"):
		l.report(n, "name a .csv file, as a spreadsheet exports it", "entries_csv: %s is not a .csv file", rel)
		return
	}
	name, data, err := l.read(rel)
	if err != nil {
		l.report(n, "write the path of the CSV file relative to this file", "entries_csv: %v", err)
		return
	}
	c := &loader{file: name, entrySet: l.entrySet}
	kb.Entries = append(kb.Entries, c.csv(data).Entries...)
	l.problems = append(l.problems, c.problems...)
}

// text checks that data is UTF-8 text that YAML accepts, and drops a byte
// order mark.
func (l *loader) text(data []byte) ([]byte, bool) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			l.add(line, col, "save the file with the UTF-8 encoding", "the file is not UTF-8 text")
			return nil, false
		case r == '\n':
			line, col = line+1, 0
		case !yamlsyntax.AllowedRune(r), r == 0xfeff: // a byte order mark only starts a file
			l.add(line, col, "delete it: it is invisible in most editors, so retype the text around it",
				"the file contains the control character %U, which YAML does not allow", r)
			return nil, false
		}
		col++
		i += size
	}
	return data, true
}

// decodeYAML parses the one document of data.
func decodeYAML(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	doc, err := yamlsyntax.DecodeDocument(dec)
	if err != nil {
		return nil, err
	}
	switch second, err := yamlsyntax.DecodeDocument(dec); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, err
	case !isNull(second.Content[0]):
		return nil, fmt.Errorf("yaml: line %d: the file holds a second YAML document after ---", second.Line)
	}
	return doc.Content[0], nil
}

// syntaxError reports yaml.v3's error on the line it is about.
func (l *loader) syntaxError(err error, data []byte) {
	line, msg, fix, ok := yamlsyntax.Locate(err, data)
	if !ok {
		l.add(1, 1, "", "the YAML cannot be read: %s", msg)
		return
	}
	l.add(line, 1, fix, "YAML syntax error: %s", msg)
}

// maxValues bounds the values a file holds once its aliases are expanded.
const maxValues = 100000

// checkAliases reports a file whose aliases expand to too many values (a
// few lines can otherwise stand for billions of them), or name a value that
// holds them.
func (l *loader) checkAliases(root *yaml.Node) bool {
	const busy = -1
	sizes := map[*yaml.Node]int{}
	var loop *yaml.Node
	var size func(n *yaml.Node, depth int) int
	size = func(n *yaml.Node, depth int) int {
		if n == nil || depth > 10000 {
			return maxValues + 1
		}
		switch s, ok := sizes[n]; {
		case ok && s == busy:
			return maxValues + 1
		case ok:
			return s
		}
		sizes[n] = busy
		s := 1
		if n.Kind == yaml.AliasNode {
			if sizes[n.Alias] == busy && loop == nil {
				loop = n
			}
			s = size(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			if s > maxValues {
				break
			}
			s += size(c, depth+1)
		}
		sizes[n] = s
		return s
	}
	if size(root, 0) <= maxValues {
		return true
	}
	if loop != nil {
		l.report(loop, "an alias cannot stand for a value that holds it", "the alias *%s is inside the value it names", loop.Value)
		return false
	}
	line := 0
	for n := range sizes {
		if n.Kind == yaml.AliasNode && (line == 0 || n.Line < line) {
			line = n.Line
		}
	}
	l.add(max(line, 1), 1, "write the values out, or use fewer aliases (*name)",
		"the file's aliases expand to more than %d values", maxValues)
	return false
}

// field is a key of a mapping and its value.
type field struct {
	key, value *yaml.Node
}

// fields returns the fields of a mapping whose keys are known, reporting the
// others and repeated keys. Keys starting with x- are skipped silently when
// extensions is set.
func (l *loader) fields(n *yaml.Node, what string, known []string, extensions bool) []field {
	var out []field
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			l.report(k, "keys are plain words", "%s has %s as a key", what, describe(k))
			continue
		}
		if k.Value == "<<" {
			l.report(k, "write the keys out: merge keys (<<) are not supported here", "%s uses a merge key", what)
			continue
		}
		if extensions && strings.HasPrefix(k.Value, "x-") {
			continue
		}
		if first, ok := seen[k.Value]; ok {
			l.report(k, fmt.Sprintf("remove one of them: the first is on line %d", first.Line), "%s has %s: twice", what, k.Value)
			continue
		}
		seen[k.Value] = k
		if !slices.Contains(known, k.Value) {
			fix := "the keys here are " + strings.Join(known, ", ")
			if near := nearest(k.Value, known); near != "" {
				fix = "did you mean " + near + ":? " + fix
			}
			l.report(k, fix, "%s has an unknown key %s:", what, k.Value)
			continue
		}
		out = append(out, field{k, v})
	}
	return out
}

// nearest returns the known key within two edits of a misspelt one, if any.
func nearest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if d := editDistance([]byte(strings.ToLower(key)), k, 2); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

func (l *loader) synonyms(n *yaml.Node) [][]string {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		l.report(n, "write a list of groups, like - [退款, 退钱]", "synonyms must be a list of groups, not %s", describe(n))
		return nil
	}
	var groups [][]string
	type place struct {
		node  *yaml.Node
		group int
	}
	where := map[string]place{} // cleaned member → where it was first written
	for gi, g := range n.Content {
		g = resolve(g)
		if g.Kind != yaml.SequenceNode {
			l.report(g, "write each group as a list, like - [退款, 退钱]", "a synonym group must be a list, not %s", describe(g))
			continue
		}
		var group []string
		for _, m := range g.Content {
			m = resolve(m)
			s, ok := l.scalar(m, "a synonym")
			if !ok {
				continue
			}
			key := string(clean(nil, s, 0))
			if key == "" {
				l.report(m, "write a word, or remove it", "the synonym %q has no letters, digits or Chinese characters", s)
				continue
			}
			if first, ok := where[key]; ok {
				// The same word twice in a group, maybe spelt differently
				// (优惠劵 and 优惠券 are folded together): harmless.
				if first.group != gi {
					l.report(m, fmt.Sprintf("keep it in one group: it is already in the group on line %d", first.node.Line), "the synonym %q is in two groups", s)
				}
				continue
			}
			where[key] = place{m, gi}
			group = append(group, s)
		}
		if len(group) < 2 && len(g.Content) < 2 {
			l.report(g, "a group lists at least two words that mean the same", "a synonym group has only %d word", len(group))
			continue
		}
		if len(group) > 0 {
			groups = append(groups, group)
		}
	}
	return groups
}

func (l *loader) entries(kb *KnowledgeBase, n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		l.report(n, `write a list of entries, each starting with "- id:"`, "entries must be a list, not %s", describe(n))
		return
	}
	if len(n.Content) == 0 {
		l.report(n, "write at least one entry", "entries is an empty list")
		return
	}
	for _, en := range n.Content {
		en = resolve(en)
		if en.Kind != yaml.MappingNode {
			l.report(en, "write each entry as id:, question:, answer: and so on", "an entry must be a mapping, not %s", describe(en))
			continue
		}
		e := Entry{Pos: framework.Pos{File: l.file, Line: en.Line, Col: en.Column}}
		var idNode, questionNode, answerNode *yaml.Node
		var phrasings []*yaml.Node
		for _, f := range l.fields(en, "an entry", entryKeys, false) {
			switch f.key.Value {
			case "id":
				idNode = f.value
				e.ID, _ = l.scalar(f.value, "id")
			case "question":
				questionNode = f.value
				e.Question, _ = l.scalar(f.value, "question")
			case "phrasings":
				e.Phrasings, phrasings = l.texts(f, true)
			case "keywords":
				e.Keywords, _ = l.texts(f, true)
			case "answer":
				answerNode = f.value
				e.Answer = l.reply(f.value)
			case "tags":
				e.Tags, _ = l.texts(f, false)
			case "next":
				e.Next, _ = l.scalar(f.value, "next")
			}
		}
		switch {
		case idNode == nil:
			l.report(en, "give every entry an id: a short name like refund_time", "an entry has no id:")
		case e.ID != "":
			l.addID(e.ID, idNode.Line, idNode.Column)
		}
		if questionNode == nil {
			l.report(en, "write the question this entry answers", "the entry %s has no question:", e.ID)
		} else if e.Question != "" {
			l.addText(e.ID, e.Question, questionNode.Line, questionNode.Column, "question")
		}
		for _, p := range phrasings {
			l.addText(e.ID, p.Value, p.Line, p.Column, "phrasing")
		}
		if answerNode == nil {
			l.report(en, "write the answer: a text, a list of variants, or a message", "the entry %s has no answer:", e.ID)
		}
		kb.Entries = append(kb.Entries, e)
	}
}

// checkID says what is wrong with an id, or "".
func checkID(id string) string {
	if id == "none" {
		return `is reserved: evaluation files use "none" for questions no entry answers`
	}
	for _, r := range id {
		if !(r == '_' || r == '-' || r == '.' || r < utf8.RuneSelf && classOf(r) == classWord) {
			return fmt.Sprintf("contains %q", r)
		}
	}
	return ""
}

// addID records the id of an entry, written at line:col, reporting one
// that another entry has, in any file of the knowledge base, or that is
// malformed.
func (l *loader) addID(id string, line, col int) {
	if first, ok := l.ids[id]; ok {
		l.add(line, col, fmt.Sprintf("ids name one entry each: the other %s is on %s", id, l.where(first)), "duplicate id %q", id)
		return
	}
	l.ids[id] = framework.Pos{File: l.file, Line: line, Col: col}
	if msg := checkID(id); msg != "" {
		l.add(line, col, "use letters, digits, _ - and . only, like refund_time", "the id %q %s", id, msg)
	}
}

// addText records a question or phrasing of entry id, written at line:col,
// reporting one written twice, the same once synonyms are replaced: for two
// entries, which makes them tie for ever, or twice in one.
func (l *loader) addText(id, text string, line, col int, what string) {
	prepared := l.syn.replace(nil, clean(nil, text, 0))
	if len(prepared) == 0 {
		l.add(line, col, "write words a customer would type", "the %s %q has no letters, digits or Chinese characters to match", what, text)
		return
	}
	key := string(prepared)
	first, ok := l.owner[key]
	switch {
	case !ok:
		l.owner[key] = textOwner{id, framework.Pos{File: l.file, Line: line, Col: col}}
	case first.id == id:
		l.add(line, col, fmt.Sprintf("remove it: it says the same as %s", l.where(first.pos)), "the %s %q is written twice in %s", what, text, id)
	default:
		l.add(line, col, fmt.Sprintf("keep it in one entry: it is also in %s, %s", first.id, l.where(first.pos)), "the %s %q belongs to two entries", what, text)
	}
}

// scalar returns the text of a scalar value, reporting other values and
// blank text.
func (l *loader) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		l.report(n, "write a text", "%s must be a text, not %s", what, describe(n))
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		l.report(n, "write a text", "%s is blank", what)
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// texts reads a list of texts, or one text. nonEmpty reports an empty list.
func (l *loader) texts(f field, nonEmpty bool) ([]string, []*yaml.Node) {
	n := f.value
	what := f.key.Value
	switch {
	case n.Kind == yaml.ScalarNode && !isNull(n):
		s, ok := l.scalar(n, what)
		if !ok {
			return nil, nil
		}
		return []string{s}, []*yaml.Node{n}
	case n.Kind != yaml.SequenceNode:
		l.report(n, "write a list, like ["+what+" 1, "+what+" 2]", "%s must be a list of texts, not %s", what, describe(n))
		return nil, nil
	case len(n.Content) == 0 && nonEmpty:
		l.report(n, "write at least one, or remove "+what+":", "%s is an empty list", what)
		return nil, nil
	}
	var out []string
	var nodes []*yaml.Node
	for _, item := range n.Content {
		item = resolve(item)
		if s, ok := l.scalar(item, "an item of "+what); ok {
			out = append(out, s)
			nodes = append(nodes, item)
		}
	}
	return out, nodes
}

// reply reads an answer: a text, a list of variants, or a message.
func (l *loader) reply(n *yaml.Node) framework.Reply {
	switch {
	case n.Kind == yaml.ScalarNode && !isNull(n):
		return framework.Say(l.replyText(n))
	case n.Kind == yaml.MappingNode:
		return framework.Send(l.message(n))
	case n.Kind != yaml.SequenceNode:
		l.report(n, "write a text, a list of variants, or a message like {type: image, original_url: …}", "answer must not be %s", describe(n))
		return nil
	case len(n.Content) == 0:
		l.report(n, "write at least one variant", "answer is an empty list")
		return nil
	}
	r := make(framework.Reply, 0, len(n.Content))
	for _, item := range n.Content {
		item = resolve(item)
		switch {
		case item.Kind == yaml.MappingNode:
			r = append(r, l.message(item))
		case item.Kind == yaml.ScalarNode && !isNull(item):
			r = append(r, framework.Message{Type: "text", Text: l.replyText(item)})
		default:
			l.report(item, "write each variant as a text, or as a message like {type: image, original_url: …}", "a variant of answer is %s", describe(item))
		}
	}
	return r
}

// replyText returns the text of an answer, checking its template. A | block
// ends with a line break that a chat bubble would show as an empty line: it
// is dropped.
func (l *loader) replyText(n *yaml.Node) string {
	if strings.TrimSpace(n.Value) == "" {
		l.report(n, "write the text to say", "the answer is blank")
	}
	s := n.Value
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		s = strings.TrimRight(s, "\n")
	}
	if strings.Contains(s, "{{") {
		if _, err := template.New("answer").Option("missingkey=zero").Parse(s); err != nil {
			l.report(n, "fix the {{ }} template, or write {{`{{`}} for literal braces", "the answer's template does not parse: %s",
				strings.TrimPrefix(err.Error(), "template: answer:"))
		}
	}
	return s
}

// message reads one message of an answer: {type: image, original_url: …}.
func (l *loader) message(n *yaml.Node) framework.Message {
	m := framework.Message{Type: "text"}
	hasText := false
	for _, f := range l.fields(n, "a message", messageKeys, false) {
		v := f.value
		switch f.key.Value {
		case "type":
			m.Type, _ = l.scalar(v, "type")
		case "text":
			if v.Kind == yaml.ScalarNode {
				m.Text = l.replyText(v)
			} else {
				l.report(v, "write the text after text:", "text must be a text, not %s", describe(v))
			}
			hasText = true
		case "original_url":
			m.OriginalURL, _ = l.scalar(v, f.key.Value)
		case "thumbnail_url":
			m.ThumbnailURL, _ = l.scalar(v, f.key.Value)
		case "url":
			m.URL, _ = l.scalar(v, f.key.Value)
		case "sticker":
			m.Sticker, _ = l.scalar(v, f.key.Value)
		case "width":
			m.Width = int(l.number(v, f.key.Value, 0, math.MaxInt32))
		case "height":
			m.Height = int(l.number(v, f.key.Value, 0, math.MaxInt32))
		case "duration":
			m.Duration = l.number(v, f.key.Value, 0, math.MaxFloat64)
		case "latitude":
			m.Latitude = l.number(v, f.key.Value, -90, 90)
		case "longitude":
			m.Longitude = l.number(v, f.key.Value, -180, 180)
		case "extra":
			m.Extra = l.extra(v)
		}
	}
	if m.Type == "text" && !hasText {
		l.report(n, "add text:, or set type: for another kind of message (image, sticker, location, …)", "a text message has no text")
	}
	return m
}

func (l *loader) number(n *yaml.Node, what string, lo, hi float64) float64 {
	var x float64
	if n.Kind != yaml.ScalarNode || n.Decode(&x) != nil || math.IsNaN(x) || x < lo || x > hi {
		l.report(n, fmt.Sprintf("write a number from %g to %g", lo, hi), "%s must be a number, not %s", what, describe(n))
		return 0
	}
	return x
}

// extra turns any YAML value into the JSON a message's extra field carries.
func (l *loader) extra(n *yaml.Node) json.RawMessage {
	var v any
	if err := n.Decode(&v); err != nil {
		l.report(n, "write a mapping, list or plain value", "extra cannot be read: %v", err)
		return nil
	}
	b, err := json.Marshal(jsonable(v))
	if err != nil {
		l.report(n, "write plain numbers, or put values in quotes", "extra holds a value JSON cannot carry: %v", err)
		return nil
	}
	return b
}

// jsonable turns the maps yaml.v3 decodes into maps JSON can encode.
func jsonable(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			v[k] = jsonable(x)
		}
		return v
	case map[any]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[fmt.Sprint(k)] = jsonable(x)
		}
		return m
	case []any:
		for i, x := range v {
			v[i] = jsonable(x)
		}
	}
	return v
}

// resolve follows aliases to the node they name.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && (n.Value == "" || n.Value == "~" || n.Value == "null")
}

// describe names a YAML value for messages: a list, a mapping, nothing, the
// number 3.
func describe(n *yaml.Node) string {
	n = resolve(n)
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "a YAML alias"
}
