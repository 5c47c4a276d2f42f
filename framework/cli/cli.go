package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/chart"
)

// App is one bot's command line: its embedded chart and its Go handlers.
type App struct {
	// Name is the command's name, shown in help and logs.
	Name string
	// Nickname is how the robot appears in rooms (its nickname on the chat
	// server); chat shows it before the bot's replies. Empty means "bot".
	Nickname string
	// Charts holds the bot's default chart, usually an embed.FS.
	Charts fs.FS
	// Chart is the chart's file name in Charts.
	Chart string
	// KnowledgeBase is the bot's knowledge base in Charts, for eval.
	KnowledgeBase string
	// Flows is the library of reusable flows charts include with use:,
	// usually statecharts.FS. It serves the embedded chart and one given
	// with --chart alike.
	Flows fs.FS
	// Build, when set, makes the bot's default chart in Go instead of
	// reading Chart from Charts: for a chart that uses what YAML does not
	// say, and for tests. --chart FILE still loads a YAML chart instead.
	Build func() (framework.Chart, error)
	// Handlers are the Go handlers the chart calls by name.
	Handlers map[string]framework.Handler
}

// Env reads configuration from the environment; os.Getenv in production, a
// map in tests.
type Env func(key string) string

// IO is what a command reads and writes: the process's standard streams in
// Main, buffers in tests. A nil In reads nothing; a nil Out or Err discards.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// Main runs the app with the process's arguments, environment and standard
// streams, and exits with its status.
func Main(app App) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Run(ctx, os.Args[1:], os.Getenv, IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	stop()
	os.Exit(code)
}

// Run runs the app as Main does, with everything it touches passed in, so
// tests drive the real start-up. It returns the exit status: 0 for success,
// 1 for a failure (a chart that does not load, a failing transcript, a lint
// error), 2 for a command line that makes no sense.
func (app App) Run(ctx context.Context, args []string, env Env, stdio IO) int {
	if stdio.In == nil {
		stdio.In = strings.NewReader("")
	}
	if stdio.Out == nil {
		stdio.Out = io.Discard
	}
	if stdio.Err == nil {
		stdio.Err = io.Discard
	}
	r := &runner{app: app, env: env, io: stdio}
	name := "serve"
	if len(args) > 0 {
		switch a := args[0]; {
		case a == "help":
			if len(args) > 1 {
				return r.help(ctx, args[1])
			}
			r.usage(stdio.Out)
			return 0
		case a == "-h" || a == "-help" || a == "--help":
			r.usage(stdio.Out)
			return 0
		case !strings.HasPrefix(a, "-"):
			name, args = a, args[1:]
		}
	}
	cmd := lookup(name)
	if cmd == nil {
		fmt.Fprintf(stdio.Err, "%s: unknown command %q\n\n", app.Name, name)
		r.usage(stdio.Err)
		return 2
	}
	return r.exit(cmd, cmd.run(r, ctx, args))
}

// command is one subcommand.
type command struct {
	name    string
	args    string // the synopsis after the name
	summary string
	run     func(r *runner, ctx context.Context, args []string) error
}

// commands lists the subcommands in the order help shows them. It is filled
// in by init: the commands' run functions call help, which reads it.
var commands []*command

func init() {
	commands = []*command{
		{"serve", "[flags]", "serve the bot's webhook (the default command)", (*runner).serve},
		{"chat", "[flags]", "talk to the bot in this terminal, playing the chat server", (*runner).chat},
		{"test", "[flags] PATH...", "run conversation transcripts (files or directories) against the bot", (*runner).test},
		{"lint", "[flags]", "check the chart for mistakes", (*runner).lint},
		{"graph", "[flags]", "print the chart as a diagram (Mermaid or Graphviz DOT)", (*runner).graph},
		{"explain", "[flags] TEXT...", "show how the bot handles one message, transition by transition", (*runner).explain},
		{"eval", "[flags] QUESTIONS.tsv", "score the knowledge base on labelled questions", (*runner).eval},
	}
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// runner runs one command line.
type runner struct {
	app App
	env Env
	io  IO
}

func (r *runner) usage(w io.Writer) {
	name := r.app.Name
	fmt.Fprintf(w, "%s is a chat bot for the IMKit chat server; this is its command line.\n\nUsage:\n\n", name)
	width := 0
	for _, c := range commands {
		width = max(width, len(c.name)+1+len(c.args))
	}
	for _, c := range commands {
		fmt.Fprintf(w, "  %s %-*s  %s\n", name, width, c.name+" "+c.args, c.summary)
	}
	fmt.Fprintf(w, "  %s %-*s  %s\n", name, width, "help [COMMAND]", "this help, or a command's flags")
	fmt.Fprintf(w, "\n%q alone serves, as does %q. Flags take one dash or two: -addr or --addr.\n", name, name+" -addr :9000")
	fmt.Fprintf(w, "Run %q or %q for a command's flags.\n", name+" help COMMAND", name+" COMMAND -h")
}

// help prints a command's flags, as "COMMAND -h" does, on stdout.
func (r *runner) help(ctx context.Context, name string) int {
	cmd := lookup(name)
	if cmd == nil {
		fmt.Fprintf(r.io.Err, "%s: unknown command %q\n\n", r.app.Name, name)
		r.usage(r.io.Err)
		return 2
	}
	h := *r
	h.io.Err = r.io.Out
	return h.exit(cmd, cmd.run(&h, ctx, []string{"-h"}))
}

// exitCode is an error that only sets the exit status: whatever needed
// saying has been said.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// usageError is a command line that makes no sense; it exits 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// problemsError is an error whose text is a list of problems, one per line,
// each starting with its position: printed as is, so that editors and CI
// can jump to file:line.
type problemsError interface {
	error
	problems() []string
}

// exit prints err, if it needs printing, and returns the exit status.
func (r *runner) exit(cmd *command, err error) int {
	var code exitCode
	var usage *usageError
	var chartErr *framework.ChartError
	var problems problemsError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &code):
		return int(code)
	case errors.As(err, &usage):
		fmt.Fprintf(r.io.Err, "%s %s: %v\nRun %q for usage.\n", r.app.Name, cmd.name, usage, r.app.Name+" "+cmd.name+" -h")
		return 2
	case errors.As(err, &chartErr):
		for _, p := range chartErr.Problems {
			fmt.Fprintln(r.io.Err, p.String())
		}
		return 1
	case errors.As(err, &problems):
		for _, p := range problems.problems() {
			fmt.Fprintln(r.io.Err, p)
		}
		return 1
	}
	fmt.Fprintf(r.io.Err, "%s: %v\n", r.app.Name, err)
	return 1
}

// flagSet returns the flags of cmd; its usage goes to the error stream, or
// to stdout for "help COMMAND".
func (r *runner) flagSet(cmd string, describe string) *flag.FlagSet {
	c := lookup(cmd)
	fl := flag.NewFlagSet(r.app.Name+" "+cmd, flag.ContinueOnError)
	fl.SetOutput(r.io.Err)
	fl.Usage = func() {
		w := fl.Output()
		fmt.Fprintf(w, "usage: %s %s %s\n\n%s\n", r.app.Name, c.name, c.args, strings.TrimSpace(describe))
		hasFlags := false
		fl.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(w, "\nFlags:\n")
			fl.PrintDefaults()
		}
	}
	return fl
}

// parse parses args, flags and arguments in any order ("explain 转人工
// --json"); after "--" everything is an argument. It returns the arguments.
func (r *runner) parse(fl *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fl.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, exitCode(2) // flag has printed the error and the usage
		}
		rest := fl.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// chartFlag adds --chart to a command that loads the bot.
func (r *runner) chartFlag(fl *flag.FlagSet) *string {
	def := "the embedded " + r.app.Chart
	switch {
	case r.app.Build != nil:
		def = "the app's own, built in Go"
	case r.app.Charts == nil:
		def = "required: the app embeds none"
	}
	return fl.String("chart", "", "load the chart from `FILE` instead ("+def+")")
}

// logger builds the logger of a command other than serve from LOG_LEVEL
// and LOG_FORMAT, with level def when LOG_LEVEL is unset. The bot names
// itself in its records.
func (r *runner) logger(def string) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(envOr(r.env, "LOG_LEVEL", def))); err != nil {
		return nil, fmt.Errorf("LOG_LEVEL: %v", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch f := envOr(r.env, "LOG_FORMAT", "text"); f {
	case "text":
		return slog.New(slog.NewTextHandler(r.io.Err, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(r.io.Err, opts)), nil
	default:
		return nil, fmt.Errorf("LOG_FORMAT %q: use text or json", f)
	}
}

// load compiles the chart in the file at path, or the app's own chart when
// path is empty: built in Go by App.Build, or embedded.
func (r *runner) load(path string, opts framework.Options) (*framework.Bot, error) {
	if path == "" && r.app.Build != nil {
		c, err := r.app.Build()
		if err != nil {
			return nil, fmt.Errorf("build chart: %w", err)
		}
		return framework.New(c, r.botOpts(opts))
	}
	if path == "" {
		if r.app.Charts == nil || r.app.Chart == "" {
			return nil, usagef("no chart: give one with --chart FILE")
		}
		data, err := fs.ReadFile(r.app.Charts, r.app.Chart)
		if err != nil {
			return nil, fmt.Errorf("read chart: %w", err)
		}
		return r.compile(r.app.Chart, data, r.app.Charts, opts)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read chart: %w", err)
	}
	return r.compile(path, data, os.DirFS(filepath.Dir(path)), opts)
}

// compile compiles a chart's source, name labelling its positions; files
// holds the data files it names (knowledge bases), beside the chart.
func (r *runner) compile(name string, data []byte, files fs.FS, opts framework.Options) (*framework.Bot, error) {
	return chart.Loader{Flows: r.app.Flows, Files: files}.Compile(name, data, r.botOpts(opts))
}

// botOpts completes opts with the app's handlers and ROBOT_ID.
func (r *runner) botOpts(opts framework.Options) framework.Options {
	if opts.RobotID == "" {
		opts.RobotID = r.env("ROBOT_ID")
	}
	opts.Handlers = r.app.Handlers
	return opts
}

// loadTool loads the chart for a command that inspects or plays it (chat,
// explain, graph, lint), logging only warnings and worse.
func (r *runner) loadTool(path string) (*framework.Bot, error) {
	opts, err := r.botOptions("warn")
	if err != nil {
		return nil, err
	}
	return r.load(path, opts)
}

// botOptions are the options of the commands other than serve: the bot's
// log (a room in an unknown state, a guard that failed) on stderr, from
// level (unless LOG_LEVEL says otherwise).
func (r *runner) botOptions(level string) (framework.Options, error) {
	logger, err := r.logger(level)
	if err != nil {
		return framework.Options{}, err
	}
	return framework.Options{Logger: logger}, nil
}

func envOr(env Env, key, def string) string {
	if v := strings.TrimSpace(env(key)); v != "" {
		return v
	}
	return def
}
