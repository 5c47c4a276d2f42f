//go:build unix

package cli_test

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// crashbot is a served bot in a process of its own, to be killed.
type crashbot struct {
	cmd  *exec.Cmd
	url  string
	logs *lockedBuffer
	done chan struct{}
}

// buildCrashbot builds testdata/crashbot: a form of three slots, written in
// Go (cli.App.Build), served by this package's command line.
func buildCrashbot(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build the bot with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "crashbot")
	out, err := exec.Command(gobin, "build", "-o", bin, "./testdata/crashbot").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// startCrashbot serves the bot with store (its flags) and waits until it
// prints its webhook's URL.
func startCrashbot(t *testing.T, bin string, store ...string) *crashbot {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "-addr", "127.0.0.1:0"}, store...)...)
	for _, kv := range os.Environ() { // the test's environment must not choose the store
		if k, _, _ := strings.Cut(kv, "="); k != "DATA_DIR" && k != "REDIS_URL" && k != "MEMORY_STORE" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	b := &crashbot{cmd: cmd, logs: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stderr = b.logs
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { b.kill(t) })

	urls := make(chan string, 1)
	go func() {
		defer close(b.done)
		sc := bufio.NewScanner(stdout)
		urlRE := regexp.MustCompile(`http://\S+/webhook`)
		for sc.Scan() {
			if u := urlRE.FindString(sc.Text()); u != "" {
				select {
				case urls <- u:
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case b.url = <-urls:
	case <-b.done:
		cmd.Wait()
		t.Fatalf("crashbot exited before serving:\n%s", b.logs)
	case <-time.After(30 * time.Second):
		t.Fatalf("crashbot printed no URL:\n%s", b.logs)
	}
	return b
}

// kill ends the process with SIGKILL: no shutdown, no deferred Close, as in
// a crash or an OOM kill.
func (b *crashbot) kill(t *testing.T) {
	if b.cmd.ProcessState != nil {
		return
	}
	require.NoError(t, b.cmd.Process.Signal(syscall.SIGKILL))
	<-b.done
	err := b.cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	assert.Equal(t, syscall.SIGKILL, exit.Sys().(syscall.WaitStatus).Signal())
}

// say posts a text message in the room and returns the answer's bytes, its
// next state and its reply.
func (b *crashbot) say(t *testing.T, id, state, text string) (raw, to, reply string) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"appID": "app", "roomID": "room-1", "event": "MESSAGE", "botState": state,
		"data": map[string]any{"_id": id, "message": text, "messageType": "text", "sender": map[string]any{"_id": "u1", "nickname": "小明"}}})
	require.NoError(t, err)
	status, raw := post(t, b.url, string(body), nil)
	require.Equal(t, 200, status, raw)
	var a struct {
		ToBotState string
		Data       struct{ Message string }
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &a), raw)
	return raw, a.ToBotState, a.Data.Message
}

// A form filled half way survives SIGKILL: served again from the same data
// directory, the bot finishes it with every slot, and the answer given just
// before the crash comes back byte for byte for its redelivery. With -memory
// the same crash loses the first slot: the control that shows the test can
// tell.
func TestCrashSafety(t *testing.T) {
	bin := buildCrashbot(t)
	for _, tc := range []struct {
		name     string
		store    func(dir string) []string
		survives bool
	}{
		{"bolt", func(dir string) []string { return []string{"-data", dir} }, true},
		{"memory, the control", func(string) []string { return []string{"-memory"} }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			bot := startCrashbot(t, bin, tc.store(dir)...)
			_, to, reply := bot.say(t, "m1", "menu", "下单")
			require.Equal(t, "order/ask_item", to)
			require.Equal(t, "买什么？", reply)
			beforeCrash, to, reply := bot.say(t, "m2", to, "苹果")
			require.Equal(t, "order/ask_qty", to)
			require.Equal(t, "几件？", reply)
			bot.kill(t)

			bot = startCrashbot(t, bin, tc.store(dir)...)
			if tc.survives {
				// stderr is copied by its own goroutine: it may trail the URL on stdout.
				assert.Eventually(t, func() bool { return strings.Contains(bot.logs.String(), "session store: bolt") },
					10*time.Second, 10*time.Millisecond, "logs: %s", bot.logs)
				redelivered, _, _ := bot.say(t, "m2", "order/ask_item", "苹果")
				assert.Equal(t, beforeCrash, redelivered, "the answer sent before the crash, byte for byte")
			}
			_, to, reply = bot.say(t, "m3", "order/ask_qty", "3")
			require.Equal(t, "order/ask_phone", to)
			require.Equal(t, "手机号？", reply)
			_, to, reply = bot.say(t, "m4", to, "138 1234 5678")
			assert.Equal(t, "menu", to)
			if tc.survives {
				assert.Equal(t, "已下单：苹果 × 3，手机 +8613812345678\n菜单：回复「下单」", reply, "every slot, the one before the crash too")
			} else {
				assert.Equal(t, "已下单： × 3，手机 +8613812345678\n菜单：回复「下单」", reply, "memory forgets the slot filled before the crash")
			}
		})
	}
}
