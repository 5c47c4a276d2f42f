package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/server"
)

// serveConfig is what serve reads from flags and the environment.
type serveConfig struct {
	addr     string
	robotID  string
	timeout  time.Duration
	chart    string
	watch    bool
	logLevel slog.Level
	logJSON  bool
	server   server.Config
	store    storeConfig
}

const serveHelp = `
Serves the bot's webhook: POST /webhook, GET /healthz.

With --chart FILE the bot runs the chart in FILE instead of the embedded one;
with --watch too, it reloads FILE whenever it changes. A new version replaces
the running bot only if it compiles and lint finds no error in it; otherwise
the previous version keeps serving and the log says why, problem by problem.

Rooms' sessions (the variables a conversation keeps between turns, such as
a form's answers) and the answers already given (a message the chat server
delivers again gets the same answer back, without running again) are kept
in one of:

  -data DIR     a bbolt file, DIR/fsmbot.db (the default, in ./data); one
                process at a time, durable across crashes and restarts
  -redis URL    a Redis shared by several replicas of the bot
  -memory       the process's memory: lost when it stops

Environment: WEBHOOK_TOKEN, WEBHOOK_TOKEN_HEADER (default X-Webhook-Token),
LOG_LEVEL (debug|info|warn|error), LOG_FORMAT (text|json), and for each flag
the variable its description names.`

func (r *runner) parseServe(args []string) (serveConfig, error) {
	var cfg serveConfig
	env := r.env
	fl := r.flagSet("serve", serveHelp)
	fl.StringVar(&cfg.addr, "addr", envOr(env, "ADDR", ":8080"), "listen address (env ADDR)")
	fl.StringVar(&cfg.robotID, "robot-id", env("ROBOT_ID"), "the robot's client ID, sent as the replies' senderID (env ROBOT_ID)")
	timeout, err := envDuration(env, "TURN_TIMEOUT", server.DefaultTimeout)
	if err != nil {
		return cfg, err
	}
	fl.DurationVar(&cfg.timeout, "timeout", timeout, "deadline of one turn (env TURN_TIMEOUT)")
	chartPath := r.chartFlag(fl)
	fl.BoolVar(&cfg.watch, "watch", false, "with --chart: reload the chart when its file changes")
	checkStore, err := r.storeFlags(fl, &cfg.store)
	if err != nil {
		return cfg, err
	}
	rest, err := r.parse(fl, args)
	if err != nil {
		return cfg, err
	}
	if len(rest) > 0 {
		return cfg, usagef("unexpected argument %q", rest[0])
	}
	if err := checkStore(); err != nil {
		return cfg, err
	}
	cfg.chart = *chartPath
	if cfg.watch && cfg.chart == "" {
		return cfg, usagef("--watch needs --chart FILE: the embedded chart never changes")
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

func (r *runner) serve(ctx context.Context, args []string) error {
	cfg, err := r.parseServe(args)
	if err != nil {
		return err
	}
	var handler slog.Handler = slog.NewTextHandler(r.io.Err, &slog.HandlerOptions{Level: cfg.logLevel})
	if cfg.logJSON {
		handler = slog.NewJSONHandler(r.io.Err, &slog.HandlerOptions{Level: cfg.logLevel})
	}
	logger := slog.New(handler).With("bot", r.app.Name)
	cfg.server.Logger = logger

	opts := framework.Options{RobotID: cfg.robotID, Logger: logger}
	bot, err := r.load(cfg.chart, opts)
	if err != nil {
		return err
	}
	// The rule a reload follows holds at start-up too: a chart lint finds
	// errors in is not served.
	findings := check(bot)
	if findings.hasErrors() {
		return findings
	}
	findings.log(logger)
	l, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	store, err := r.openStore(cfg.store, logger)
	if err != nil {
		l.Close()
		return err
	}
	// Closed last, once the turns in flight are over: Serve waits for them.
	defer func() {
		if err := store.Close(); err != nil {
			logger.Error("closing the session store", "error", err)
		}
	}()
	cfg.server.Store = store
	srv := server.New(bot, cfg.server)

	var watching sync.WaitGroup
	if cfg.watch {
		w, err := newWatcher(r, cfg.chart, opts, srv, logger)
		if err != nil {
			l.Close()
			return err
		}
		watchCtx, stopWatching := context.WithCancel(ctx)
		defer stopWatching()
		watching.Go(func() { w.run(watchCtx) })
		defer watching.Wait()
	}
	r.printReady(r.io.Out, l.Addr(), bot, cfg.server)
	logger.Info("serving", "addr", l.Addr().String(), "states", len(bot.States()), "auth", cfg.server.Token != "", "chart", chartName(r.app, cfg.chart), "watch", cfg.watch)
	return srv.Serve(ctx, l, 10*time.Second)
}

// chartName names the chart a command runs, for logs.
func chartName(app App, path string) string {
	if path != "" {
		return path
	}
	if app.Build != nil {
		return app.Name + " (built in Go)"
	}
	return app.Chart + " (embedded)"
}

// printReady tells a person trying the bot how to talk to it.
func (r *runner) printReady(w io.Writer, addr net.Addr, bot *framework.Bot, cfg server.Config) {
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
	fmt.Fprintf(w, "%s is serving its webhook at %s\n\nTry it:\n\n", r.app.Name, url)
	fmt.Fprintf(w, "  curl -s %s -H 'Content-Type: application/json'%s -d '%s'\n\n", url, auth,
		`{"roomID":"demo-room","event":"MESSAGE","botState":"`+bot.Initial()+`","data":{"_id":"m1","message":"你好","messageType":"text","room":"demo-room","sender":{"_id":"sss","nickname":"Desirae","isRobot":false}}}`)
	fmt.Fprint(w, "A message ID (data._id) is answered once: the same ID again gets the same answer back,\nas a redelivery would. Change it with the message.\n\n")
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
