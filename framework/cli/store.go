package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/bolt"
	"github.com/fsmbot/fsmbot/framework/store/memory"
	"github.com/fsmbot/fsmbot/framework/store/redis"
)

// DataFile is the name of the bolt file serve keeps in its data directory.
const DataFile = "fsmbot.db"

// storeConfig says where serve keeps its rooms' sessions and answers.
type storeConfig struct {
	dataDir  string // bolt, in dataDir/DataFile
	redisURL string // redis instead, when set
	memory   bool   // memory instead, when set
	opts     framework.StoreOptions
}

// storeFlags adds serve's store flags to fl; check validates them once fl
// is parsed.
func (r *runner) storeFlags(fl *flag.FlagSet, cfg *storeConfig) (check func() error, err error) {
	env := r.env
	sessionTTL, err := envDuration(env, "SESSION_TTL", framework.DefaultSessionTTL)
	if err != nil {
		return nil, err
	}
	dedupe, err := envDuration(env, "DEDUPE_WINDOW", framework.DefaultDedupeWindow)
	if err != nil {
		return nil, err
	}
	memEnv := false
	if v := envOr(env, "MEMORY_STORE", ""); v != "" {
		if memEnv, err = strconv.ParseBool(v); err != nil {
			return nil, fmt.Errorf("MEMORY_STORE=%q: want true or false", v)
		}
	}
	fl.StringVar(&cfg.dataDir, "data", envOr(env, "DATA_DIR", "./data"), "keep sessions and answers in `DIR`/"+DataFile+", created if needed; one process at a time (env DATA_DIR)")
	fl.StringVar(&cfg.redisURL, "redis", envOr(env, "REDIS_URL", ""), "keep sessions and answers in the Redis at `URL` (redis://[user:password@]host:port/db) instead, for several replicas (env REDIS_URL)")
	fl.BoolVar(&cfg.memory, "memory", memEnv, "keep sessions and answers in memory only: lost when the process stops (env MEMORY_STORE=true)")
	fl.DurationVar(&cfg.opts.SessionTTL, "session-ttl", sessionTTL, "forget a room's variables this long after its last turn (env SESSION_TTL)")
	fl.DurationVar(&cfg.opts.DedupeWindow, "dedupe-window", dedupe, "answer a redelivered message with its first answer for this long (env DEDUPE_WINDOW)")

	return func() error {
		set := map[string]bool{}
		fl.Visit(func(f *flag.Flag) { set[f.Name] = true })
		var chosen []string
		if set["data"] || envOr(env, "DATA_DIR", "") != "" {
			chosen = append(chosen, "-data (DATA_DIR)")
		}
		if cfg.redisURL != "" {
			chosen = append(chosen, "-redis (REDIS_URL)")
		}
		if cfg.memory {
			chosen = append(chosen, "-memory (MEMORY_STORE)")
		}
		if len(chosen) > 1 {
			return usagef("%s and %s both choose where sessions are kept: give one", chosen[0], chosen[1])
		}
		if cfg.dataDir == "" && cfg.redisURL == "" && !cfg.memory {
			return usagef("-data needs a directory")
		}
		if cfg.opts.SessionTTL <= 0 || cfg.opts.DedupeWindow <= 0 {
			return usagef("-session-ttl and -dedupe-window must be positive")
		}
		return nil
	}, nil
}

// openStore opens the store cfg names, and says in the log which it is.
func (r *runner) openStore(cfg storeConfig, logger *slog.Logger) (framework.Store, error) {
	ttls := []any{"session_ttl", cfg.opts.SessionTTL, "dedupe_window", cfg.opts.DedupeWindow}
	switch {
	case cfg.memory:
		logger.Warn("session store: memory; sessions and answers are lost when the process stops", ttls...)
		return memory.New(cfg.opts), nil
	case cfg.redisURL != "":
		s, err := r.openRedis(cfg)
		if err != nil {
			return nil, err
		}
		logger.Info("session store: redis", append([]any{"url", redactURL(cfg.redisURL), "prefix", redisPrefix(r.app)}, ttls...)...)
		return s, nil
	}
	if err := os.MkdirAll(cfg.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	path := filepath.Join(cfg.dataDir, DataFile)
	s, err := bolt.Open(path, cfg.opts)
	if errors.Is(err, bolt.ErrLocked) {
		return nil, fmt.Errorf("%w\n(another process serves from %s: give each process its own -data, or run replicas with -redis)", err, cfg.dataDir)
	}
	if err != nil {
		return nil, err
	}
	logger.Info("session store: bolt", append([]any{"path", path}, ttls...)...)
	return s, nil
}

// redisPrefix keeps each bot's keys apart in a Redis that several bots
// share: their rooms may have the same IDs.
func redisPrefix(app App) string { return redis.DefaultPrefix + app.Name + ":" }

// redisStore is a redis.Store that closes its client.
type redisStore struct {
	*redis.Store
	client *goredis.Client
}

func (s redisStore) Close() error {
	err := s.Store.Close()
	if cerr := s.client.Close(); err == nil && !errors.Is(cerr, goredis.ErrClosed) {
		err = cerr
	}
	return err
}

func (r *runner) openRedis(cfg storeConfig) (framework.Store, error) {
	o, err := goredis.ParseURL(cfg.redisURL)
	if err != nil {
		return nil, fmt.Errorf("REDIS_URL %s: %w", redactURL(cfg.redisURL), err)
	}
	client := goredis.NewClient(o)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		client.Close()
		return nil, fmt.Errorf("redis at %s: %w", redactURL(cfg.redisURL), err)
	}
	return redisStore{redis.New(client, cfg.opts, redisPrefix(r.app)), client}, nil
}

// redactURL hides a URL's password, for logs and errors.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}
