package server

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/webhook"
	"github.com/labstack/echo/v4"
)

// Defaults for Config's zero values.
const (
	DefaultTokenHeader  = "X-Webhook-Token"
	DefaultTimeout      = 2 * time.Second
	DefaultMaxBodyBytes = 1 << 20
)

// Config configures a Server. The zero value serves without authentication,
// with the defaults above.
type Config struct {
	// Token, when set, must arrive in TokenHeader with every webhook call.
	// The chat server sends it from the robot's requestHeaders.
	Token       string
	TokenHeader string
	// Timeout bounds one turn. A turn past it is answered with the bot's
	// error reply and the room's state kept.
	Timeout time.Duration
	// MaxBodyBytes bounds a webhook body; a larger one is answered 413.
	MaxBodyBytes int64
	// Logger receives one line per turn and every error. Nil means
	// slog.Default().
	Logger *slog.Logger
	// Store keeps sessions and answers, orders each room's turns and answers
	// redeliveries from memory; nil runs turns without memory.
	Store framework.Store
}

// Server is the bot's webhook endpoint: POST /webhook runs a turn, GET
// /healthz says the process is up. It is an http.Handler.
type Server struct {
	cfg    Config
	echo   *echo.Echo
	bot    atomic.Pointer[framework.Bot]
	rooms  framework.Rooms
	logger *slog.Logger
}

// New returns a Server running bot.
func New(bot *framework.Bot, cfg Config) *Server {
	if cfg.TokenHeader == "" {
		cfg.TokenHeader = DefaultTokenHeader
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	s := &Server{cfg: cfg, echo: echo.New(), logger: cfg.Logger}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	s.bot.Store(bot)
	if cfg.Store != nil {
		s.rooms = framework.Rooms{Store: cfg.Store, Encode: encode}
	}

	e := s.echo
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	// The webhook's chain is built once here: Echo rebuilds e.Use's
	// middleware on every request.
	e.POST("/webhook", s.recoverPanic(s.authenticate(s.webhook)))
	e.GET("/healthz", s.healthz)
	return s
}

// SetBot replaces the running bot. Turns already running finish on the old
// one; the next turn runs on bot.
func (s *Server) SetBot(bot *framework.Bot) { s.bot.Store(bot) }

// Bot returns the running bot.
func (s *Server) Bot() *framework.Bot { return s.bot.Load() }

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Serve answers requests on l until ctx is done, then stops accepting and
// waits up to grace for turns in flight to finish.
func (s *Server) Serve(ctx context.Context, l net.Listener, grace time.Duration) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.logger.Info("shutting down: finishing turns in flight", "grace", grace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (s *Server) webhook(c echo.Context) error {
	start := time.Now()
	req := c.Request()
	if req.ContentLength > s.cfg.MaxBodyBytes {
		return s.reject(c, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", s.cfg.MaxBodyBytes))
	}
	buf := bodyPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bodyPool.Put(buf)
	if err := readAtMost(buf, req.Body, s.cfg.MaxBodyBytes+1); err != nil {
		return s.reject(c, http.StatusBadRequest, "cannot read request body: "+err.Error())
	}
	if int64(buf.Len()) > s.cfg.MaxBodyBytes {
		return s.reject(c, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", s.cfg.MaxBodyBytes))
	}
	ev, err := webhook.Decode(buf.Bytes())
	if err != nil {
		return s.reject(c, http.StatusBadRequest, err.Error())
	}

	bot := s.bot.Load()
	ctx := req.Context()
	if bot.CallsHandlers() { // only Go handlers can make a turn slow
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.Timeout)
		defer cancel()
	}
	if s.logger.Enabled(ctx, slog.LevelDebug) {
		ctx = framework.WithTrace(ctx)
	}
	h, err := s.rooms.Handle(ctx, bot, ev)
	if err != nil {
		return fmt.Errorf("turn: %w", err)
	}
	s.logTurn(req.Context(), ev, &h, time.Since(start))
	body := h.Body
	if body == nil { // no store: the request's buffer, now decoded, holds the answer
		body = webhook.NewResponse(bot.RobotID(), h.Result).AppendJSON(buf.AvailableBuffer())
	}
	return c.JSONBlob(http.StatusOK, body)
}

// readAtMost reads r into buf until EOF or limit bytes, whichever comes
// first; a body of limit bytes is too long by the caller's definition.
func readAtMost(buf *bytes.Buffer, r io.Reader, limit int64) error {
	for int64(buf.Len()) < limit {
		buf.Grow(4096)
		room := buf.AvailableBuffer()
		room = room[:min(int64(cap(room)), limit-int64(buf.Len()))]
		n, err := r.Read(room)
		buf.Write(room[:n])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) logTurn(ctx context.Context, ev *framework.Event, h *framework.Handled, latency time.Duration) {
	res := &h.Result
	level := slog.LevelInfo
	if res.Err != nil {
		level = slog.LevelError
	}
	if !s.logger.Enabled(ctx, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs,
		slog.String("room", ev.RoomID),
		slog.String("event", string(ev.Type)),
		slog.String("from", res.From),
		slog.String("to", res.To),
		slog.String("transition", res.Transition),
		slog.Duration("latency", latency),
	)
	if ev.State != res.From && ev.State != "" {
		attrs = append(attrs, slog.String("botState", ev.State))
	}
	if res.Skipped != "" {
		attrs = append(attrs, slog.String("skipped", res.Skipped))
	}
	if h.Replayed {
		attrs = append(attrs, slog.Bool("replayed", true), slog.String("message", ev.Message.ID))
	}
	if res.Trace != nil {
		attrs = append(attrs, slog.Any("trace", res.Trace))
	}
	if res.Err != nil {
		attrs = append(attrs, slog.String("error", res.Err.Error()))
		if p := (*framework.PanicError)(nil); errors.As(res.Err, &p) {
			attrs = append(attrs, slog.String("stack", string(p.Stack)))
		}
		s.logger.LogAttrs(ctx, level, "turn failed", attrs...)
		return
	}
	s.logger.LogAttrs(ctx, level, "turn", attrs...)
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSONBlob(http.StatusOK, []byte(`{"status":"ok"}`))
}

// authenticate checks the shared secret the chat server sends from the
// robot's requestHeaders, in constant time so the comparison leaks nothing.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	if s.cfg.Token == "" {
		return next
	}
	want := []byte(s.cfg.Token)
	return func(c echo.Context) error {
		got := []byte(c.Request().Header.Get(s.cfg.TokenHeader))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			return s.reject(c, http.StatusUnauthorized, "missing or wrong "+s.cfg.TokenHeader+" header")
		}
		return next(c)
	}
}

// recoverPanic is the last line of defence: the engine recovers handler
// panics itself, so a panic here is a bug in the server, answered 500.
func (s *Server) recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.logger.Error("panic serving request", "path", c.Path(), "panic", r, "stack", string(debug.Stack()))
				err = s.reject(c, http.StatusInternalServerError, "internal error")
			}
		}()
		return next(c)
	}
}

// reject answers an error with a JSON body and logs it.
func (s *Server) reject(c echo.Context, status int, msg string) error {
	level := slog.LevelWarn
	if status >= 500 {
		level = slog.LevelError
	}
	s.logger.Log(c.Request().Context(), level, "request rejected", "status", status, "error", msg, "path", c.Request().URL.Path, "remote", c.RealIP())
	return writeError(c, status, msg)
}

// handleError turns Echo's own errors (404, 405) into JSON like every other.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "internal error"
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
		msg = http.StatusText(status)
		switch status {
		case http.StatusMethodNotAllowed:
			msg = "method not allowed: the webhook takes POST"
		case http.StatusNotFound:
			msg = "not found: the webhook is POST /webhook"
		}
	} else {
		s.logger.Error("request failed", "path", c.Request().URL.Path, "error", err)
	}
	if werr := writeError(c, status, msg); werr != nil {
		s.logger.Error("cannot write error response", "error", werr)
	}
}

// encode is the answer's wire form, as stored for redeliveries.
func encode(bot *framework.Bot, res framework.Result) ([]byte, error) {
	return webhook.NewResponse(bot.RobotID(), res).AppendJSON(nil), nil
}

func writeError(c echo.Context, status int, msg string) error {
	body, _ := json.Marshal(webhook.ErrorBody{Error: msg})
	return c.JSONBlob(status, body)
}
