package faq

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
)

// Entry is one question of a knowledge base and its answer.
type Entry struct {
	ID        string
	Question  string   // the canonical question, as shown in suggestions
	Phrasings []string // other ways customers ask it
	Keywords  []string // optional: words or short phrases that point here
	Answer    framework.Reply
	Tags      []string
	Next      string // optional: the state to go to after answering
	Pos       framework.Pos
}

// KnowledgeBase is a list of entries and the synonyms that apply to them.
type KnowledgeBase struct {
	Entries []Entry
	// Synonyms are groups of interchangeable words: each member stands for
	// the group's first member, in questions as in phrasings.
	Synonyms [][]string
	File     string // where it was loaded from, if anywhere
}

// Entry returns the entry with the given id, or nil.
func (kb *KnowledgeBase) Entry(id string) *Entry {
	for i := range kb.Entries {
		if kb.Entries[i].ID == id {
			return &kb.Entries[i]
		}
	}
	return nil
}

// Error lists every problem that stops a knowledge base from loading, each
// with its file:line:col, so that an author fixes them all in one go.
type Error struct {
	Problems []framework.Problem
}

// Error lists the problems, one a line.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Load reads a knowledge base from a file: YAML (.yaml, .yml) or CSV (.csv).
// A YAML file's entries_csv: names a CSV file relative to it.
func Load(name string) (*KnowledgeBase, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return load(name, filepath.Ext(name), data, func(rel string) (string, []byte, error) {
		csv := filepath.Join(filepath.Dir(name), filepath.FromSlash(rel))
		data, err := os.ReadFile(csv)
		return csv, data, err
	})
}

// LoadFS reads a knowledge base from a file of fsys, such as an embed.FS:
// YAML (.yaml, .yml) or CSV (.csv). A YAML file's entries_csv: names a CSV
// file of fsys relative to it.
func LoadFS(fsys fs.FS, name string) (*KnowledgeBase, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return load(name, path.Ext(name), data, func(rel string) (string, []byte, error) {
		csv := path.Join(path.Dir(name), rel)
		data, err := fs.ReadFile(fsys, csv)
		return csv, data, err
	})
}

// load reads a knowledge base of the format ext names. read returns the
// data of a file named relative to this one, and the name it goes by; it is
// nil when the knowledge base is bytes alone.
func load(name, ext string, data []byte, read func(rel string) (string, []byte, error)) (*KnowledgeBase, error) {
	l := &loader{file: name, read: read, entrySet: newEntrySet()}
	var kb *KnowledgeBase
	switch strings.ToLower(ext) {
	case ".yaml", ".yml":
		kb = l.yaml(data)
	case ".csv":
		kb = l.csv(data)
	default:
		return nil, fmt.Errorf("%s: a knowledge base is a .yaml, .yml or .csv file", name)
	}
	if err := l.err(); err != nil {
		return nil, err
	}
	return kb, nil
}
