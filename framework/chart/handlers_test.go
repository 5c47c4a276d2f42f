package chart

import (
	"context"
	"errors"

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
