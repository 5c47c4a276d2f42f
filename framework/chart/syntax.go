package chart

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework/internal/yamlsyntax"
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
	first, err := yamlsyntax.DecodeDocument(dec)
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

// checkSecondDocument reports a second YAML document ("---" then more keys):
// it would otherwise be silently ignored, and the author would wonder why
// the second bot never answers.
func (p *parser) checkSecondDocument(dec *yaml.Decoder) {
	doc, err := yamlsyntax.DecodeDocument(dec)
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
		if !yamlsyntax.AllowedRune(r) {
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

// syntaxError turns yaml.v3's error into a Problem on the right line.
func (p *parser) syntaxError(err error) {
	line, msg, fix, ok := yamlsyntax.Locate(err, p.data)
	if !ok {
		p.problemAt(1, "the YAML cannot be read: "+msg, "")
		return
	}
	p.problemAt(line, "YAML syntax error: "+msg, fix)
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
