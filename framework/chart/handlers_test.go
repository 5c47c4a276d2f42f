package chart

import (
	"context"
	"errors"
	"testing/fstest"

	"github.com/fsmbot/fsmbot/framework"
)

// handlers are the Go handlers the charts in testdata call.
var handlers = map[string]framework.Handler{
	"lookup_order": func(ctx context.Context, t *framework.Turn) error {
		if t.Vars["order"] == "000000" {
			return errors.New("order service down")
		}
		t.Set("status", "已发货")
		return nil
	},
	"handoff": func(ctx context.Context, t *framework.Turn) error { return nil },
}

// mapFS is a file system of texts, for flow libraries written in a test.
type mapFS map[string]string

func (m mapFS) fs() fstest.MapFS {
	out := make(fstest.MapFS, len(m))
	for name, text := range m {
		out[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return out
}
