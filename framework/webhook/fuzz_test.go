package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
)

// checkDecode asserts what must hold of Decode for any body, and returns the
// Event or the error.
func checkDecode(t *testing.T, body []byte) (*framework.Event, error) {
	t.Helper()
	ev, err := Decode(body)
	if err != nil {
		var derr *DecodeError
		require.True(t, errors.As(err, &derr), "error %T %v is not a *DecodeError", err, err)
		require.Nil(t, ev)
		require.NotEmpty(t, derr.Error())
		return nil, err
	}
	require.NotNil(t, ev)
	require.NotEmpty(t, ev.RoomID)
	require.NotEmpty(t, ev.Type)
	for _, raw := range []json.RawMessage{ev.Message.Raw, ev.Message.Extra} {
		if raw != nil {
			require.True(t, json.Valid(raw), "raw JSON %q", raw)
		}
	}

	// Whatever came in, the answer echoing it is a JSON object.
	resp := NewResponse(ev.ClientID, framework.Result{To: ev.State, Reply: &ev.Message})
	for _, b := range [][]byte{resp.AppendJSON(nil), mustMarshal(t, resp)} {
		var obj map[string]any
		require.NoError(t, json.Unmarshal(b, &obj), "response %s", b)
	}
	return ev, nil
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func FuzzDecode(f *testing.F) {
	for _, body := range requests(f) {
		f.Add(body)
	}
	for _, s := range []string{``, `null`, `[]`, `{}`, `{"roomID":1}`, `{"roomID":"r","event":"E","data":{"sender":"x","reply":"{}"}}`} {
		f.Add([]byte(s))
	}
	f.Add(replyChain(maxReplyDepth+2, true))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecode(t, body)

		// The slow path must leave no type error behind, and agree with the
		// fast one where the fast one has nothing to tolerate.
		if !json.Valid(body) || !isObject(body) {
			return
		}
		var fast, loose wireRequest
		fastErr := json.Unmarshal(body, &fast)
		require.NoError(t, decodeLoose(body, &loose))
		if fastErr == nil {
			var want, got framework.Event
			fast.toEvent(&want)
			loose.toEvent(&got)
			require.Equal(t, want, got)
		}
	})
}

// TestDecodeMutations decodes 1000 random mutations of the valid requests:
// Decode never panics and returns an Event or a *DecodeError; a mutation that
// keeps the body a JSON object and leaves roomID and event alone must decode.
func TestDecodeMutations(t *testing.T) {
	reqs := requests(t)
	names := make([]string, 0, len(reqs))
	for name := range reqs {
		names = append(names, name)
	}
	slices.Sort(names)
	rng := rand.New(rand.NewPCG(1, 2))

	decoded, rejected := 0, 0
	for i := range 1000 {
		name := names[rng.IntN(len(names))]
		body, structural := mutate(rng, reqs[name])
		t.Run(fmt.Sprintf("%d_%s", i, name), func(t *testing.T) {
			ev, err := checkDecode(t, body)
			if ev != nil {
				decoded++
			} else {
				rejected++
			}
			if structural && err != nil {
				if keyFields(t, reqs[name]) != keyFields(t, body) {
					return // the mutation hit a key field: rejecting it is right
				}
				t.Fatalf("rejected a mutation that left the key fields alone: %v\n%s", err, body)
			}
		})
	}
	t.Logf("%d decoded, %d rejected", decoded, rejected)
	assert.Positive(t, decoded)
	assert.Positive(t, rejected)
}

// keyFields returns roomID, event and botState as encoding/json matches them.
func keyFields(t *testing.T, body []byte) string {
	var keys struct {
		RoomID   json.RawMessage `json:"roomID"`
		Event    json.RawMessage `json:"event"`
		BotState json.RawMessage `json:"botState"`
	}
	require.NoError(t, json.Unmarshal(body, &keys))
	return fmt.Sprintf("%s|%s|%s", keys.RoomID, keys.Event, keys.BotState)
}

// mutate returns a mutation of body and whether it is structural (the result
// is still a JSON object) rather than byte-level.
func mutate(rng *rand.Rand, body []byte) ([]byte, bool) {
	if rng.IntN(3) == 0 {
		b := slices.Clone(body)
		switch rng.IntN(4) {
		case 0: // truncate
			return b[:rng.IntN(len(b))], false
		case 1: // insert garbage
			at := rng.IntN(len(b) + 1)
			const junk = "{}[],:\"\\x0 -e.\xff\x00"
			return slices.Insert(b, at, junk[rng.IntN(len(junk))]), false
		case 2: // overwrite a byte
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
			return b, false
		default: // drop a byte
			at := rng.IntN(len(b))
			return slices.Delete(b, at, at+1), false
		}
	}

	var tree any
	if err := json.Unmarshal(body, &tree); err != nil {
		panic(err)
	}
	for range 1 + rng.IntN(3) {
		tree = mutateValue(rng, tree)
	}
	out, err := json.Marshal(tree)
	if err != nil {
		panic(err)
	}
	_, isObj := tree.(map[string]any)
	return out, isObj
}

// oddValues are values of every JSON type, some of them JSON-encoded.
var oddValues = []any{
	nil, true, false, 0.0, 1.0, -1.5, 1e30, "", "x", "true", "100", "2.5", "NaN",
	`{"_id":"y"}`, `[1,2]`, `{"nested":`, map[string]any{}, map[string]any{"_id": 5.0},
	[]any{}, []any{1.0, "a", nil, map[string]any{"isRobot": "1"}},
}

// mutateValue replaces, deletes or JSON-encodes one value somewhere in v.
func mutateValue(rng *rand.Rand, v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 || rng.IntN(4) == 0 {
			return mutateLeaf(rng, v)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		k := keys[rng.IntN(len(keys))]
		switch rng.IntN(5) {
		case 0:
			delete(x, k)
		case 1:
			x["unknown"+k] = x[k]
		default:
			x[k] = mutateValue(rng, x[k])
		}
		return x
	case []any:
		if len(x) == 0 || rng.IntN(4) == 0 {
			return mutateLeaf(rng, v)
		}
		i := rng.IntN(len(x))
		x[i] = mutateValue(rng, x[i])
		return x
	}
	return mutateLeaf(rng, v)
}

func mutateLeaf(rng *rand.Rand, v any) any {
	if rng.IntN(4) == 0 { // JSON-encode it, as some clients do
		b, _ := json.Marshal(v)
		return string(b)
	}
	return oddValues[rng.IntN(len(oddValues))]
}
