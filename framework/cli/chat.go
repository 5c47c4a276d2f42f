package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/fsmbot/fsmbot/framework/store/memory"
)

const chatHelp = `
Talks to the bot in this terminal: you are a customer in a room, and chat
plays the chat server, in process. It sends JOIN_ROOM first, keeps the room's
botState from turn to turn, prints each reply after the bot's nickname and
each change of state as "from → to". Handlers run for real, and the room's
variables (a form's answers) last from turn to turn as they do when the bot
serves, in memory until chat ends.

Type a message and press Enter. Commands:

  /event JOIN_ROOM|ADD_MEMBERS|DELETE_MEMBERS [NICKNAME...]
                 send a room event; the members default to you, or, for
                 ADD_MEMBERS, to the robot itself
  /state         print the room's botState
  /state STATE   set it
  /reset         a new room: empty botState, JOIN_ROOM again
  /quit          leave (so does end of input, Ctrl-D)
  /help          this list

Other lines starting with / are sent as messages (bots have commands too);
"//" sends a line starting with "/".

Input may be piped: printf '你好\n转人工\n' | %[1]s chat; each line is then
shown after "> ", as if typed.

Environment: ROBOT_ID, TURN_TIMEOUT (default 2s), LOG_LEVEL (default warn).`

const chatCommands = `commands: /event JOIN_ROOM|ADD_MEMBERS|DELETE_MEMBERS [NICKNAME...], /state [STATE], /reset, /quit`

// chatSession is the room chat plays the chat server for.
type chatSession struct {
	bot      *framework.Bot
	rooms    framework.Rooms // sessions in memory, as serve keeps them
	out      io.Writer
	timeout  time.Duration
	prompt   string // before the bot's replies: "小优> "
	me       framework.Client
	robot    framework.Client
	roomBase string
	nRooms   int
	room     string
	state    string // the room's botState
	msgs     int
}

func (r *runner) chat(ctx context.Context, args []string) error {
	fl := r.flagSet("chat", fmt.Sprintf(chatHelp, r.app.Name))
	chartPath := r.chartFlag(fl)
	room := fl.String("room", "chat", "the room's `ID`")
	nick := r.app.Nickname
	if nick == "" {
		nick = "bot"
	}
	nickname := fl.String("nickname", nick, "the robot's `nickname`, shown before its replies")
	user := fl.String("user", "顾客", "your `nickname` in the room, as the bot sees it")
	rest, err := r.parse(fl, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("unexpected argument %q (type messages once chat has started)", rest[0])
	}
	timeout, err := envDuration(r.env, "TURN_TIMEOUT", server.DefaultTimeout)
	if err != nil {
		return err
	}
	bot, err := r.loadTool(*chartPath)
	if err != nil {
		return err
	}
	robotID := bot.RobotID()
	if robotID == "" {
		robotID = "robot"
	}
	store := memory.New(framework.StoreOptions{})
	defer store.Close()
	s := &chatSession{
		bot:      bot,
		rooms:    framework.Rooms{Store: store},
		out:      r.io.Out,
		timeout:  timeout,
		prompt:   *nickname + "> ",
		me:       framework.Client{ID: "chat-user", Nickname: *user},
		robot:    framework.Client{ID: robotID, Nickname: *nickname, IsRobot: true},
		roomBase: *room,
	}
	interactive := isTerminal(r.io.In)
	if interactive {
		fmt.Fprintf(s.out, "Chatting with %s (%s) in room %q as %s. /help for commands, Ctrl-D to leave.\n\n",
			r.app.Name, chartName(r.app, *chartPath), *room, *user)
	}
	s.newRoom(ctx)

	done := make(chan struct{})
	defer close(done)
	lines := readLines(r.io.In, r.io.Err, done)
	for {
		if interactive {
			fmt.Fprint(s.out, "> ")
		}
		var line string
		var ok bool
		select {
		case <-ctx.Done():
			fmt.Fprintln(s.out)
			return nil
		case line, ok = <-lines:
		}
		if !ok {
			if interactive {
				fmt.Fprintln(s.out)
			}
			return nil
		}
		if !interactive && strings.TrimSpace(line) != "" {
			fmt.Fprintf(s.out, "> %s\n", line) // the terminal shows what was typed; a pipe does not
		}
		if !utf8.ValidString(line) {
			fmt.Fprintln(s.out, "(the input is not UTF-8: set the terminal to UTF-8; invalid bytes replaced)")
			line = strings.ToValidUTF8(line, "\uFFFD")
		}
		if !s.handle(ctx, strings.TrimSpace(line)) {
			return nil
		}
	}
}

// handle acts on one line of input; false means leave.
func (s *chatSession) handle(ctx context.Context, line string) bool {
	if line == "" {
		return true
	}
	if strings.HasPrefix(line, "//") {
		s.say(ctx, line[1:])
		return true
	}
	cmd, arg, _ := strings.Cut(line, " ")
	arg = strings.TrimSpace(arg)
	switch cmd {
	case "/quit", "/exit":
		return false
	case "/help":
		fmt.Fprintln(s.out, chatCommands)
	case "/reset":
		s.newRoom(ctx)
	case "/state":
		if arg == "" {
			if s.state == "" {
				fmt.Fprintf(s.out, "state: none yet (a new room starts in %s)\n", s.bot.Initial())
			} else {
				fmt.Fprintf(s.out, "state: %s\n", s.state)
			}
			return true
		}
		s.state = arg
		fmt.Fprintf(s.out, "state: %s\n", s.state)
	case "/event":
		if arg == "" {
			fmt.Fprintln(s.out, "usage: /event JOIN_ROOM|ADD_MEMBERS|DELETE_MEMBERS [NICKNAME...]")
			return true
		}
		fields := strings.Fields(arg)
		s.event(ctx, framework.EventType(strings.ToUpper(fields[0])), fields[1:])
	default:
		s.say(ctx, line)
	}
	return true
}

// newRoom starts a room with an empty botState and joins it.
func (s *chatSession) newRoom(ctx context.Context) {
	s.nRooms++
	s.room = s.roomBase
	if s.nRooms > 1 {
		s.room = fmt.Sprintf("%s-%d", s.roomBase, s.nRooms)
		fmt.Fprintf(s.out, "(new room %s)\n", s.room)
	}
	s.state = ""
	s.event(ctx, framework.JoinRoom, nil)
}

// event sends a room event. Members named by nickname are customers; none
// means the customer, or, for ADD_MEMBERS, the robot itself, whose arrival
// is what a chart greets.
func (s *chatSession) event(ctx context.Context, typ framework.EventType, nicknames []string) {
	ev := s.newEvent(typ)
	for _, n := range nicknames {
		if n == s.robot.Nickname {
			ev.Members = append(ev.Members, s.robot)
			continue
		}
		ev.Members = append(ev.Members, framework.Client{ID: "chat-" + n, Nickname: n})
	}
	if len(ev.Members) == 0 {
		ev.Members = []framework.Client{s.me}
		if typ == framework.AddMembers {
			ev.Members = []framework.Client{s.robot}
		}
	}
	s.turn(ctx, ev)
}

// say sends a text MESSAGE from the customer.
func (s *chatSession) say(ctx context.Context, text string) {
	ev := s.newEvent(framework.MessageEvent)
	s.msgs++
	ev.Message = framework.Message{ID: fmt.Sprintf("%s-m%d", s.room, s.msgs), Type: "text", Text: text}
	s.turn(ctx, ev)
}

func (s *chatSession) newEvent(typ framework.EventType) *framework.Event {
	return &framework.Event{
		AppID:    "chat",
		ClientID: s.me.ID,
		RoomID:   s.room,
		Room:     s.room,
		Type:     typ,
		State:    s.state,
		Sender:   s.me,
	}
}

// turn runs one event as the chat server would and shows the outcome.
func (s *chatSession) turn(ctx context.Context, ev *framework.Event) {
	tctx, cancel := context.WithTimeout(ctx, s.timeout)
	h, _ := s.rooms.Handle(tctx, s.bot, ev) // no Encode: no error
	cancel()
	res := h.Result
	switch {
	case res.Reply != nil:
		s.printReply(res.Reply)
	case res.Skipped != "":
		fmt.Fprintf(s.out, "(no reply: %s)\n", res.Skipped)
	default:
		fmt.Fprintln(s.out, "(no reply)")
	}
	if res.Err != nil {
		fmt.Fprintf(s.out, "(error: %v)\n", res.Err)
	}
	from, _, _ := strings.Cut(res.From, framework.HistorySeparator)
	to, _, _ := strings.Cut(res.To, framework.HistorySeparator)
	if from != to {
		fmt.Fprintf(s.out, "%s → %s\n", res.From, res.To)
	}
	s.state = res.To
}

// printReply prints a reply after the bot's nickname, its lines aligned.
func (s *chatSession) printReply(m *framework.Message) {
	text := m.Text
	if t := m.MessageType(); t != "text" {
		media := strings.TrimSpace(strings.Join([]string{m.OriginalURL, m.URL, m.Sticker}, " "))
		text = strings.TrimSpace(fmt.Sprintf("[%s %s] %s", t, media, m.Text))
	}
	pad := strings.Repeat(" ", displayWidth(s.prompt))
	fmt.Fprintf(s.out, "%s%s\n", s.prompt, strings.ReplaceAll(text, "\n", "\n"+pad))
}

// displayWidth is how many terminal columns s takes: two for each wide
// (CJK) character, so that "小优> " is padded by six spaces, not four.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if isWide(r) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

func isWide(r rune) bool {
	return r >= 0x1100 && (r <= 0x115f || // Hangul Jamo
		r >= 0x2e80 && r <= 0xa4cf && r != 0x303f || // CJK radicals … Yi
		r >= 0xac00 && r <= 0xd7a3 || // Hangul syllables
		r >= 0xf900 && r <= 0xfaff || // CJK compatibility ideographs
		r >= 0xfe30 && r <= 0xfe4f || // CJK compatibility forms
		r >= 0xff00 && r <= 0xff60 || // full-width forms
		r >= 0xffe0 && r <= 0xffe6 ||
		r >= 0x1f300 && r <= 0x1f64f || // emoji
		r >= 0x20000 && r <= 0x3fffd) // CJK extensions
}

// readLines reads in line by line, in the background so that chat can stop
// on Ctrl-C while it waits. A bufio.Reader, not a Scanner: a pasted line
// may be longer than a Scanner's token limit. Lines are bytes up to '\n',
// so a multi-byte character is never split; the tty driver edits the line
// (a terminal in UTF-8 mode erases a Chinese character whole).
func readLines(in io.Reader, errs io.Writer, done <-chan struct{}) <-chan string {
	lines := make(chan string)
	go func() {
		defer close(lines)
		br := bufio.NewReader(in)
		first := true
		for {
			line, err := br.ReadString('\n')
			if first {
				line = strings.TrimPrefix(line, "\uFEFF") // a file saved with a byte-order mark
				first = false
			}
			line = strings.TrimRight(line, "\r\n")
			if line != "" || err == nil {
				select {
				case lines <- line:
				case <-done:
					return
				}
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					fmt.Fprintln(errs, "chat: reading input:", err)
				}
				return
			}
		}
	}()
	return lines
}

// isTerminal reports whether in is a terminal, where chat prompts; piped
// input gets no prompts.
func isTerminal(in io.Reader) bool {
	f, ok := in.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
