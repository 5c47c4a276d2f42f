package chart

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// decode parses data into the root node of its one YAML document. It returns
// nil when there is nothing to walk, after reporting why.
func (p *parser) decode(data []byte) *yaml.Node {
	data, ok := p.utf8(data)
	if !ok {
		return nil
	}
	p.data = data
	dec := yaml.NewDecoder(bytes.NewReader(data))
	first, err := p.decodeDocument(dec)
	switch {
	case errors.Is(err, io.EOF):
		p.problemAt(1, "the file is empty", p.needs())
		return nil
	case err != nil:
		p.syntaxError(err)
		return nil
	}
	p.checkSecondDocument(dec)
	root := first.Content[0]
	if isNull(root) {
		p.problemAt(root.Line, "the file is empty", p.needs())
		return nil
	}
	return root
}

// decodeDocument decodes the next document. yaml.v3 turns its own failures
// into errors, but a malformed file must never crash a program that loads
// charts, so any other panic becomes an error too.
func (p *parser) decodeDocument(dec *yaml.Decoder) (doc *yaml.Node, err error) {
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

// checkSecondDocument reports a second YAML document ("---" then more keys):
// it would otherwise be silently ignored, and the author would wonder why
// the second bot never answers.
func (p *parser) checkSecondDocument(dec *yaml.Decoder) {
	doc, err := p.decodeDocument(dec)
	switch {
	case errors.Is(err, io.EOF):
	case err != nil:
		p.syntaxError(err)
	case !isNull(doc.Content[0]):
		what := "bot"
		if p.inc != nil {
			what = "flow"
		}
		p.problemAt(doc.Line, "the file holds a second YAML document after ---",
			"one file holds one "+what+": move the second one to a file of its own")
	}
}

// needs says what a file must hold at least.
func (p *parser) needs() string {
	if p.inc != nil {
		return "a flow needs at least flow: and states:"
	}
	return "a chart needs at least bot:, initial: and states:"
}

// utf8 returns data as UTF-8. yaml.v3 would read UTF-16 itself, but columns
// in messages are counted on UTF-8 text, so UTF-16 (what some Windows
// editors call "Unicode") is converted here. It reports bytes that are not
// text at all, with their position, which yaml.v3 cannot give.
func (p *parser) utf8(data []byte) ([]byte, bool) {
	if units, ok := utf16Units(data); ok {
		data = []byte(string(utf16.Decode(units)))
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			p.problemAtOffset(data, i, "the file is not UTF-8 text", "save the file with the UTF-8 encoding")
			return nil, false
		}
		if !allowedRune(r) {
			p.problemAtOffset(data, i, fmt.Sprintf("the file contains the control character %U, which YAML does not allow", r),
				"delete it: it is invisible in most editors, so retype the text around it")
			return nil, false
		}
		i += size
	}
	return data, true
}

// utf16Units returns data as UTF-16 code units when it starts with a UTF-16
// byte order mark.
func utf16Units(data []byte) ([]uint16, bool) {
	if len(data) < 2 || len(data)%2 != 0 {
		return nil, false
	}
	var little bool
	switch {
	case data[0] == 0xff && data[1] == 0xfe:
		little = true
	case data[0] == 0xfe && data[1] == 0xff:
	default:
		return nil, false
	}
	units := make([]uint16, 0, len(data)/2-1)
	for i := 2; i < len(data); i += 2 {
		if little {
			units = append(units, uint16(data[i])|uint16(data[i+1])<<8)
		} else {
			units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
		}
	}
	return units, true
}

// allowedRune reports whether YAML allows r in a file: yaml.v3 rejects the
// others without saying where they are.
func allowedRune(r rune) bool {
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

// syntaxFixes say, in a chart author's words, what usually causes each of
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

// syntaxError turns yaml.v3's error into a Problem on the right line.
func (p *parser) syntaxError(err error) {
	m := yamlError.FindStringSubmatch(err.Error())
	if m == nil {
		p.problemAt(1, "the YAML cannot be read: "+err.Error(), "")
		return
	}
	msg, line := m[2], 1
	if m[1] != "" {
		line, _ = strconv.Atoi(m[1])
		if parserMessages[msg] {
			line++
		}
	}
	fix := syntaxFixes[msg]
	if name, ok := unknownAnchor(msg); ok {
		line = p.lineOf("*" + name)
		fix = fmt.Sprintf("define &%s before using *%s, or put text that starts with * in quotes", name, name)
	}
	if fix == "" {
		fix = "check the YAML syntax of this line and the one before it"
	}
	p.problemAt(line, "YAML syntax error: "+msg, fix)
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

// lineOf returns the line where s first appears in the file, or 1.
func (p *parser) lineOf(s string) int {
	i := bytes.Index(p.data, []byte(s))
	if i < 0 {
		return 1
	}
	return bytes.Count(p.data[:i], []byte("\n")) + 1
}

// problemAt reports a problem on a line, at the column where the line's text
// starts: yaml.v3 gives no column, and the start of the text is where the
// eye goes first.
func (p *parser) problemAt(line int, what, fix string) {
	lines := bytes.Split(p.data, []byte("\n"))
	line = max(1, min(line, len(lines)))
	text := lines[line-1]
	col := len(text) - len(bytes.TrimLeft(text, " \t")) + 1
	if len(bytes.TrimSpace(text)) == 0 {
		col = 1
	}
	p.add(problem(p.file, line, col, what, fix))
}

// problemAtOffset reports a problem at a byte offset of data, which is not
// yet p.data: the file is being checked before YAML sees it.
func (p *parser) problemAtOffset(data []byte, offset int, what, fix string) {
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	col := utf8.RuneCount(before[lineStart:]) + 1
	p.add(problem(p.file, line, col, what, fix))
}
