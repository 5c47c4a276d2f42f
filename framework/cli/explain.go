package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/bottest"
)

const explainHelp = `
Shows what the bot would do with one message, without doing it (no handler
is called): the state it goes to, the transition that fires and why each one
tried before it did not, the variables it sets, the handlers it would call,
the reply and how long matching took. TEXT is the message; several words are
joined with spaces.

With --json it prints the trace as JSON: from_state, to_state, transition,
label, reply (text or null), candidates (id, label, outcome), set, vars,
calls, skipped, error, match_ns and total_ns.`

func (r *runner) explain(ctx context.Context, args []string) error {
	fl := r.flagSet("explain", explainHelp)
	chartPath := r.chartFlag(fl)
	state := fl.String("state", "", "the room's `botState` before the message (default: the initial state)")
	asJSON := fl.Bool("json", false, "print the trace as JSON")
	rest, err := r.parse(fl, args)
	if err != nil {
		return err
	}
	text := strings.Join(rest, " ")
	if strings.TrimSpace(text) == "" {
		return usagef("no message: give its TEXT, such as %s explain 转人工", r.app.Name)
	}
	bot, err := r.loadTool(*chartPath)
	if err != nil {
		return err
	}
	if *state == "" {
		*state = bot.Initial()
	}
	customer := framework.Client{ID: bottest.Customer.ID, Nickname: bottest.Customer.Nickname}
	res := bot.Explain(ctx, &framework.Event{
		AppID:    r.app.Name,
		ClientID: customer.ID,
		RoomID:   "explain",
		Room:     "explain",
		Type:     framework.MessageEvent,
		State:    *state,
		Sender:   customer,
		Message:  framework.Message{ID: "explain-1", Type: "text", Text: text},
	})
	if *asJSON {
		enc := json.NewEncoder(r.io.Out)
		enc.SetEscapeHTML(false) // keep "<" of a history botState, and the Chinese, readable
		enc.SetIndent("", "  ")
		return enc.Encode(res.Trace)
	}
	_, err = fmt.Fprint(r.io.Out, bottest.FormatTrace(res.Trace))
	return err
}
