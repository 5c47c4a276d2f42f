package yamlsyntax

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

func TestLocate(t *testing.T) {
	tests := []struct {
		name, yaml string
		line       int
		msg, fix   string
	}{
		{"scanner error, lines from 1", "a: 1\nb: \"open\n", 2, "found unexpected end of stream", "quote opened"},
		{"parser error, lines from 0", "a:\n  - x\n  y: 1\n", 2, "did not find expected '-' indicator", "items of one list"},
		{"unknown anchor, on its line", "a: 1\nb: *nowhere\n", 2, "unknown anchor 'nowhere' referenced", "define &nowhere"},
		{"tab", "a:\n\t- x\n", 2, "found character that cannot start any token", "not tabs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.yaml)
			_, err := DecodeDocument(yaml.NewDecoder(bytes.NewReader(data)))
			require.Error(t, err)
			line, msg, fix, ok := Locate(err, data)
			require.True(t, ok, "%v", err)
			assert.Equal(t, tt.line, line)
			assert.Equal(t, tt.msg, msg)
			assert.Contains(t, fix, tt.fix)
		})
	}
}

func TestLocateOtherError(t *testing.T) {
	line, msg, fix, ok := Locate(errors.New("disk on fire"), nil)
	assert.False(t, ok)
	assert.Equal(t, 1, line)
	assert.Equal(t, "disk on fire", msg)
	assert.Empty(t, fix)
}

func TestDecodeDocument(t *testing.T) {
	dec := yaml.NewDecoder(strings.NewReader("a: 1\n---\nb: 2\n"))
	first, err := DecodeDocument(dec)
	require.NoError(t, err)
	assert.Equal(t, "a", first.Content[0].Content[0].Value)
	second, err := DecodeDocument(dec)
	require.NoError(t, err)
	assert.Equal(t, 2, second.Line, "the line of ---")
	_, err = DecodeDocument(dec)
	assert.ErrorIs(t, err, io.EOF)
}

func TestAllowedRune(t *testing.T) {
	for r, want := range map[rune]bool{
		'a': true, '退': true, '\t': true, '\n': true, '\r': true, 0x85: true, '😀': true,
		0: false, 0x1b: false, 0x7f: false, 0x80: false, 0x9f: false, 0xfffe: false, 0xffff: false,
	} {
		assert.Equal(t, want, AllowedRune(r), "%U", r)
	}
}
