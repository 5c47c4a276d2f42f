package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/server"
	"github.com/fsnotify/fsnotify"
)

// debounce is how long the chart's file must stay quiet before it is
// reloaded: an editor's save is several events (write, rename, chmod), and
// the chart is read once they are over.
const debounce = 100 * time.Millisecond

// watcher reloads a chart file into a running server when the file changes.
type watcher struct {
	r      *runner
	path   string // the chart as given, for messages
	abs    string // the chart's absolute path, to recognise its events
	opts   framework.Options
	srv    *server.Server
	logger *slog.Logger
	fsw    *fsnotify.Watcher
	served []byte // the source of the bot being served
}

// newWatcher starts watching the directory of the chart at path (its
// directory, not the file: editors save by writing a new file and renaming
// it over the old one, which ends a watch on the file itself).
func newWatcher(r *runner, path string, opts framework.Options, srv *server.Server, logger *slog.Logger) (*watcher, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	served, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read chart: %w", err)
	}
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", path, err)
	}
	if err := fsw.Add(filepath.Dir(abs)); err != nil {
		fsw.Close()
		return nil, fmt.Errorf("watch %s: %w", path, err)
	}
	return &watcher{r: r, path: path, abs: abs, opts: opts, srv: srv, logger: logger.With("chart", path), fsw: fsw, served: served}, nil
}

// run reloads the chart after each burst of changes until ctx is done.
func (w *watcher) run(ctx context.Context) {
	defer w.fsw.Close()
	timer := time.NewTimer(debounce)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if filepath.Clean(ev.Name) == w.abs {
				timer.Reset(debounce)
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			w.logger.Warn("watching the chart", "error", err)
		case <-timer.C:
			w.reload()
		}
	}
}

// reload compiles the chart file and serves it if it compiles and lint
// finds no error in it; otherwise the running bot stays, and the log says
// why.
func (w *watcher) reload() {
	data, err := os.ReadFile(w.path)
	if err != nil {
		w.logger.Error("chart not reloaded, still serving the previous version", "error", err)
		return
	}
	if bytes.Equal(data, w.served) {
		return // touched, or saved unchanged
	}
	bot, err := w.r.compile(w.path, data, os.DirFS(filepath.Dir(w.path)), w.opts)
	if err != nil {
		var ce *framework.ChartError
		if !errors.As(err, &ce) {
			w.logger.Error("chart not reloaded, still serving the previous version", "error", err)
			return
		}
		w.logger.Error("chart not reloaded, still serving the previous version", "problems", len(ce.Problems))
		for _, p := range ce.Problems {
			w.logger.Error(p.String())
		}
		return
	}
	findings := check(bot)
	if findings.hasErrors() {
		w.logger.Error("chart not reloaded: lint found errors, still serving the previous version")
		findings.log(w.logger)
		return
	}
	findings.log(w.logger)
	w.srv.SetBot(bot)
	w.served = data
	w.logger.Info("chart reloaded", "states", len(bot.States()))
}
