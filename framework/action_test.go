package framework

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Templates of fields only are rendered without text/template, and must
// read exactly as text/template renders them.
func TestFieldTemplatesRenderLikeTextTemplate(t *testing.T) {
	turn := &Turn{Text: "我要<退款>", Room: "r1", From: "menu", Sender: Client{ID: "u1", Nickname: "小明"},
		Vars: map[string]string{"order": "20241101"}, Session: map[string]string{"level": "gold"}}
	for _, src := range []string{
		"订单 {{.Vars.order}} 已发货",
		"{{.Sender.Nickname}}（{{.Sender.ID}}）在 {{.Room}} 说：{{.Text}}",
		"{{.Vars.missing}}|{{.Session.level}}|{{.Session.none}}|{{.From}}",
		"{{- .Vars.order -}} !",
		"{{/* a note */}}{{.Text}}",
		"{{if .Vars.order}}有{{end}}",      // not fields only: text/template
		"{{.Vars.order | printf \"%q\"}}", // a pipeline: text/template
		"{{.Event}}",                      // not a known field: text/template
	} {
		x, err := compileText(src)
		require.NoError(t, err, src)
		got, err := x.render(turn)
		require.NoError(t, err, src)
		var want strings.Builder
		require.NoError(t, x.tmpl.Execute(&want, turn), src)
		assert.Equal(t, want.String(), got, src)
	}
}
