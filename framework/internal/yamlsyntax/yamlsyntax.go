// Package yamlsyntax is what the loaders of charts and of knowledge bases
// share about reading YAML: decoding a document without letting a malformed
// file crash the program, and turning yaml.v3's errors into a line of the
// file, a message and a fix in an author's words.
package yamlsyntax

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// DecodeDocument decodes the next document of dec. yaml.v3 turns its own
// failures into errors, but a malformed file must never crash a program that
// loads it, so any other panic becomes an error too.
func DecodeDocument(dec *yaml.Decoder) (doc *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the YAML reader failed: %v", r)
		}
	}()
	doc = new(yaml.Node)
	if err := dec.Decode(doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("yaml: the file holds no YAML document")
	}
	return doc, nil
}

// Locate returns the line of data that yaml.v3's error err is about, its
// message, and what usually fixes it; ok is false for an error that does not
// come from yaml.v3.
func Locate(err error, data []byte) (line int, msg, fix string, ok bool) {
	m := yamlError.FindStringSubmatch(err.Error())
	if m == nil {
		return 1, err.Error(), "", false
	}
	msg, line = m[2], 1
	if m[1] != "" {
		line, _ = strconv.Atoi(m[1])
		if parserMessages[msg] {
			line++
		}
	}
	fix = syntaxFixes[msg]
	if name, ok := unknownAnchor(msg); ok {
		line = lineOf(data, "*"+name)
		fix = fmt.Sprintf("define &%s before using *%s, or put text that starts with * in quotes", name, name)
	}
	if fix == "" {
		fix = "check the YAML syntax of this line and the one before it"
	}
	return line, msg, fix, true
}

// AllowedRune reports whether YAML allows r in a file: yaml.v3 rejects the
// others without saying where they are.
func AllowedRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || r == 0x7f:
		return false
	case r >= 0x80 && r <= 0x9f:
		return r == 0x85
	case r == 0xfffe || r == 0xffff:
		return false
	}
	return true
}

// yamlError is yaml.v3's error text: "yaml: line 3: what".
var yamlError = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// parserMessages are yaml.v3's parser errors, as opposed to its scanner
// errors. yaml.v3 numbers the lines of parser errors from 0 and those of
// scanner errors from 1, and leaves the line out when its count is 0.
var parserMessages = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// syntaxFixes say, in an author's words, what usually causes each of
// yaml.v3's syntax errors.
var syntaxFixes = map[string]string{
	"mapping values are not allowed in this context":               `a value contains ": ": put the whole value in quotes, or check the indentation of this line`,
	"found character that cannot start any token":                  "indent with spaces, not tabs; put text that starts with @, ` or % in quotes",
	"found a tab character that violates indentation":              "indent with spaces, not tabs",
	"found a tab character where an indentation space is expected": "indent with spaces, not tabs",
	"did not find expected key":                                    "check the indentation below this line: the keys of one mapping start in the same column",
	"could not find expected ':'":                                  "write a colon after each key (key: value), or put text that spans lines in quotes",
	"did not find expected '-' indicator":                          `check the indentation below this line: the items of one list start with "- " in the same column`,
	"block sequence entries are not allowed in this context":       `a list item "- " must start on a new line, below its key`,
	"did not find expected ',' or ']'":                             "a list opened with [ is not closed with ]: close it, or put text containing [ in quotes",
	"did not find expected ',' or '}'":                             "a mapping opened with { is not closed with }: close it, or put text containing { in quotes",
	"found unexpected end of stream":                               "a quote opened here is never closed: add the closing quote",
	"found unknown escape character":                               `inside "double quotes" a backslash starts an escape: write \\ for a backslash, or use 'single quotes' (best for regex)`,
	"did not find expected node content":                           "a value is missing, or starts with a character that needs quotes",
	"did not find expected alphabetic or numeric character":        "text that starts with * or & must be in quotes",
	"found undefined tag handle":                                   "text that starts with ! must be in quotes",
	"found unexpected document indicator":                          "a line starting with --- or ... inside a quoted text ends the document: indent it or use a | block",
	"mapping keys are not allowed in this context":                 "text that starts with ? must be in quotes",
}

// unknownAnchor returns the name in yaml.v3's "unknown anchor 'name'
// referenced".
func unknownAnchor(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(msg, "unknown anchor '")
	if !ok {
		return "", false
	}
	name, _, ok := strings.Cut(rest, "' referenced")
	return name, ok
}

// lineOf returns the line where s first appears in data, or 1.
func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 1
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}
