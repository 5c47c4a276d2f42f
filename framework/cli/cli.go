package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/chart"
	"github.com/fsmbot/fsmbot/framework/server"
)

// App is one bot's command line: its embedded chart and its Go handlers.
type App struct {
	// Name is the command's name, shown in help and logs.
	Name string
	// Charts holds the bot's default chart, usually an embed.FS.
	Charts fs.FS
	// Chart is the chart's file name in Charts.
	Chart string
	// Handlers are the Go handlers the chart calls by name.
	Handlers map[string]framework.Handler
}

// Env reads configuration from the environment; os.Getenv in production, a
// map in tests.
type Env func(key string) string

// Main runs the app with the process's arguments and environment, and exits
// with its status.
func Main(app App) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Run runs the app as Main does, with everything it touches passed in, so
// tests drive the real start-up. It returns the exit status.
func (app App) Run(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "serve" {
		args = args[1:]
	}
	if err := app.serve(ctx, args, env, stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "%s: %v\n", app.Name, err)
		return 1
	}
	return 0
}

// serveConfig is what serve reads from flags and the environment.
type serveConfig struct {
	addr     string
	robotID  string
	timeout  time.Duration
	logLevel slog.Level
	logJSON  bool
	server   server.Config
}

func (app App) parseServe(args []string, env Env, stderr io.Writer) (serveConfig, error) {
	var cfg serveConfig
	fl := flag.NewFlagSet(app.Name+" serve", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.StringVar(&cfg.addr, "addr", envOr(env, "ADDR", ":8080"), "listen address (env ADDR)")
	fl.StringVar(&cfg.robotID, "robot-id", env("ROBOT_ID"), "the robot's client ID, sent as the replies' senderID (env ROBOT_ID)")
	timeout, err := envDuration(env, "TURN_TIMEOUT", server.DefaultTimeout)
	if err != nil {
		return cfg, err
	}
	fl.DurationVar(&cfg.timeout, "timeout", timeout, "deadline of one turn (env TURN_TIMEOUT)")
	fl.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s [serve] [flags]\n\nServes the bot's webhook: POST /webhook, GET /healthz.\n\nFlags:\n", app.Name)
		fl.PrintDefaults()
		fmt.Fprint(stderr, "\nEnvironment: WEBHOOK_TOKEN, WEBHOOK_TOKEN_HEADER (default X-Webhook-Token), LOG_LEVEL (debug|info|warn|error), LOG_FORMAT (text|json)\n")
	}
	if err := fl.Parse(args); err != nil {
		return cfg, err
	}
	if fl.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected argument %q (see -h)", fl.Arg(0))
	}
	if err := cfg.logLevel.UnmarshalText([]byte(envOr(env, "LOG_LEVEL", "info"))); err != nil {
		return cfg, fmt.Errorf("LOG_LEVEL: %v", err)
	}
	switch f := envOr(env, "LOG_FORMAT", "text"); f {
	case "text":
	case "json":
		cfg.logJSON = true
	default:
		return cfg, fmt.Errorf("LOG_FORMAT %q: use text or json", f)
	}
	cfg.server = server.Config{
		Token:       env("WEBHOOK_TOKEN"),
		TokenHeader: env("WEBHOOK_TOKEN_HEADER"),
		Timeout:     cfg.timeout,
	}
	return cfg, nil
}

func (app App) serve(ctx context.Context, args []string, env Env, stdout, stderr io.Writer) error {
	cfg, err := app.parseServe(args, env, stderr)
	if err != nil {
		return err
	}
	var handler slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel})
	if cfg.logJSON {
		handler = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel})
	}
	logger := slog.New(handler).With("bot", app.Name)
	cfg.server.Logger = logger

	bot, err := app.load(framework.Options{RobotID: cfg.robotID, Logger: logger})
	if err != nil {
		return err
	}
	for _, w := range bot.Warnings() {
		logger.Warn("chart: " + w.String())
	}
	l, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := server.New(bot, cfg.server)
	app.printReady(stdout, l.Addr(), bot, cfg.server)
	logger.Info("serving", "addr", l.Addr().String(), "states", len(bot.States()), "auth", cfg.server.Token != "")
	return srv.Serve(ctx, l, 10*time.Second)
}

// load compiles the app's embedded chart.
func (app App) load(opts framework.Options) (*framework.Bot, error) {
	data, err := fs.ReadFile(app.Charts, app.Chart)
	if err != nil {
		return nil, fmt.Errorf("read chart: %w", err)
	}
	opts.Handlers = app.Handlers
	return chart.Compile(app.Chart, data, opts)
}

// printReady tells a person trying the bot how to talk to it.
func (app App) printReady(w io.Writer, addr net.Addr, bot *framework.Bot, cfg server.Config) {
	host := "localhost"
	port := ""
	if tcp, ok := addr.(*net.TCPAddr); ok {
		port = fmt.Sprint(tcp.Port)
		if !tcp.IP.IsUnspecified() {
			host = tcp.IP.String()
		}
	}
	url := "http://" + net.JoinHostPort(host, port) + "/webhook"
	auth := ""
	if cfg.Token != "" {
		header := cfg.TokenHeader
		if header == "" {
			header = server.DefaultTokenHeader
		}
		auth = fmt.Sprintf(" -H \"%s: $WEBHOOK_TOKEN\"", header)
	}
	fmt.Fprintf(w, "%s is serving its webhook at %s\n\nTry it:\n\n", app.Name, url)
	fmt.Fprintf(w, "  curl -s %s -H 'Content-Type: application/json'%s -d '%s'\n\n", url, auth,
		`{"roomID":"demo-room","event":"MESSAGE","botState":"`+bot.Initial()+`","data":{"_id":"m1","message":"你好","messageType":"text","room":"demo-room","sender":{"_id":"sss","nickname":"Desirae","isRobot":false}}}`)
}

func envOr(env Env, key, def string) string {
	if v := strings.TrimSpace(env(key)); v != "" {
		return v
	}
	return def
}

func envDuration(env Env, key string, def time.Duration) (time.Duration, error) {
	v := env(key)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q: want a positive duration such as 2s", key, v)
	}
	return d, nil
}
