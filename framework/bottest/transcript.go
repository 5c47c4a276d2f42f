package bottest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"gopkg.in/yaml.v3"
)

// Transcript is one scripted conversation with a bot.
type Transcript struct {
	Name string
	File string // where it was loaded from
	// Now, when not zero, is the time the conversation happens at: the bot
	// that plays it should be built with framework.Options.Now returning
	// it, so that guards on the hour or weekday (business hours) decide the
	// same way whenever the transcript runs. Written at the top of the
	// transcript as now: 2026-11-27T10:00:00+08:00 (RFC 3339).
	Now   time.Time
	Steps []Step
}

// Clock is the clock of a bot that plays tr, for framework.Options.Now: one
// that always says tr.Now, or nil (the real time) when the transcript sets
// no time.
func (tr Transcript) Clock() func() time.Time {
	if tr.Now.IsZero() {
		return nil
	}
	now := tr.Now
	return func() time.Time { return now }
}

// Step is one event sent to the bot and what must come back.
type Step struct {
	// Event is the event type; empty means MESSAGE when Say or Type is set.
	Event framework.EventType `yaml:"event"`
	// Say is the text of a MESSAGE from the customer.
	Say string `yaml:"say"`
	// Type is the MESSAGE's messageType (image, sticker, …); empty means text.
	Type string `yaml:"type"`
	// Sender sends the step; nil means the transcript's customer.
	Sender *Member `yaml:"sender"`
	// Members are the event's members (who joined, was added or removed).
	Members []Member `yaml:"members"`
	// State, when set, overrides the room's botState before the step.
	State  string `yaml:"state"`
	Expect Expect `yaml:"expect"`
	Line   int    `yaml:"-"`
}

// Member is a room member in a transcript.
type Member struct {
	ID       string `yaml:"id"`
	Nickname string `yaml:"nickname"`
	IsRobot  bool   `yaml:"is_robot"`
}

// Expect is what a step checks. Empty fields are not checked.
type Expect struct {
	State         string   `yaml:"state"`
	Reply         string   `yaml:"reply"`
	ReplyContains wordList `yaml:"reply_contains"`
	NoReply       bool     `yaml:"no_reply"`
	Type          string   `yaml:"type"` // the reply's messageType
}

// wordList is a YAML string or list of strings.
type wordList []string

func (w *wordList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*w = wordList{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*w = list
	return nil
}

// Customer is the member who speaks in a transcript unless a step says
// otherwise.
var Customer = Member{ID: "customer", Nickname: "顾客"}

// Load reads transcripts from files and directories (every *.yaml and *.yml
// in them, recursively). A file holds one or more YAML documents, each a
// conversation: a list of steps, or a mapping with name and steps.
func Load(paths ...string) ([]Transcript, error) {
	var all []Transcript
	for _, p := range paths {
		ts, err := LoadFS(os.DirFS(filepath.Dir(p)), filepath.Base(p))
		if err != nil {
			return nil, err
		}
		for i := range ts {
			ts[i].File = filepath.Join(filepath.Dir(p), ts[i].File)
		}
		all = append(all, ts...)
	}
	return all, nil
}

// LoadFS is Load on a file system, such as an embed.FS.
func LoadFS(fsys fs.FS, name string) ([]Transcript, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		return Parse(name, data)
	}
	var all []Transcript
	err = fs.WalkDir(fsys, name, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !slices.Contains([]string{".yaml", ".yml"}, filepath.Ext(path)) {
			return err
		}
		data, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		ts, err := Parse(path, data)
		all = append(all, ts...)
		return err
	})
	return all, err
}

// Parse reads the transcripts of one file; name labels them and their errors.
func Parse(name string, data []byte) ([]Transcript, error) {
	var all []Transcript
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for doc := 1; ; doc++ {
		var node yaml.Node
		if err := dec.Decode(&node); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		tr, err := parseDoc(name, &node)
		if err != nil {
			return nil, err
		}
		if tr.Name == "" {
			tr.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
			if doc > 1 {
				tr.Name += fmt.Sprintf("#%d", doc)
			}
		}
		all = append(all, tr)
	}
	return all, nil
}

func parseDoc(name string, doc *yaml.Node) (Transcript, error) {
	tr := Transcript{File: name}
	root := doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	stepsNode := root
	if root.Kind == yaml.MappingNode {
		stepsNode = nil
		for i := 0; i+1 < len(root.Content); i += 2 {
			k, v := root.Content[i], root.Content[i+1]
			switch k.Value {
			case "name":
				tr.Name = v.Value
			case "steps":
				stepsNode = v
			case "now":
				t, err := time.Parse(time.RFC3339, v.Value)
				if err != nil || v.Kind != yaml.ScalarNode {
					return tr, fmt.Errorf("%s:%d: now: %q is not a time: write it as in RFC 3339, such as now: 2026-11-27T10:00:00+08:00", name, v.Line, v.Value)
				}
				tr.Now = t
			default:
				return tr, fmt.Errorf("%s:%d: unknown key %q (a transcript has name, now and steps)", name, k.Line, k.Value)
			}
		}
	}
	if stepsNode == nil || stepsNode.Kind != yaml.SequenceNode {
		return tr, fmt.Errorf("%s:%d: a transcript is a list of steps, or a mapping with name and steps", name, root.Line)
	}
	for _, n := range stepsNode.Content {
		var st Step
		if err := decodeStrict(n, &st); err != nil {
			return tr, fmt.Errorf("%s:%d: %v", name, n.Line, err)
		}
		st.Line = n.Line
		if st.Event == "" {
			if st.Say == "" && st.Type == "" {
				return tr, fmt.Errorf("%s:%d: a step needs say, type or event", name, n.Line)
			}
			st.Event = framework.MessageEvent
		}
		tr.Steps = append(tr.Steps, st)
	}
	return tr, nil
}

// decodeStrict decodes n into v, rejecting unknown keys so that a misspelt
// expectation fails loudly instead of checking nothing.
func decodeStrict(n *yaml.Node, v any) error {
	data, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	return dec.Decode(v)
}
