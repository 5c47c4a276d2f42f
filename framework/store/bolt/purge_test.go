package bolt

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/fsmbot/fsmbot/framework"
	"github.com/fsmbot/fsmbot/framework/store/internal/codec"
	"github.com/fsmbot/fsmbot/framework/store/storetest"
)

func TestSyncs(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "fsmbot.db"), framework.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.db.NoSync {
		t.Fatal("NoSync is set: a Save could return before it is on disk")
	}
}

func TestPurge(t *testing.T) {
	clock := storetest.NewClock()
	s, err := Open(filepath.Join(t.TempDir(), "fsmbot.db"), framework.StoreOptions{Now: clock.Now, SessionTTL: time.Hour, DedupeWindow: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// 2500 rooms, each with a session, a fence and an answer (more than a
	// purge batch), written directly.
	const n = 2500
	now := clock.Now()
	err = s.db.Update(func(tx *bbolt.Tx) error {
		for i := range n {
			room := framework.Room{AppID: "app", RoomID: strconv.Itoa(i)}
			rk := codec.RoomKey(nil, room)
			sess, _ := codec.EncodeSession(nil, framework.Session{Vars: map[string]string{"i": strconv.Itoa(i)}}, now.Add(time.Hour))
			ans, _ := codec.EncodeAnswer(nil, framework.Answer{Body: []byte("b")}, now.Add(time.Minute))
			if err := tx.Bucket(bucketSessions).Put(rk, sess); err != nil {
				return err
			}
			if err := tx.Bucket(bucketFences).Put(rk, codec.EncodeFence(1, now.Add(time.Hour))); err != nil {
				return err
			}
			if err := tx.Bucket(bucketAnswers).Put(codec.AnswerKey(nil, room, "m"), ans); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	count := func() (sessions, answers, fences int) {
		s.db.View(func(tx *bbolt.Tx) error {
			sessions = tx.Bucket(bucketSessions).Stats().KeyN
			answers = tx.Bucket(bucketAnswers).Stats().KeyN
			fences = tx.Bucket(bucketFences).Stats().KeyN
			return nil
		})
		return
	}

	if got, err := s.Purge(); err != nil || got != 0 {
		t.Fatalf("Purge before anything expired: %d, %v", got, err)
	}
	clock.Advance(2 * time.Minute)
	// A room that has a turn now keeps its renewed answer.
	ctx := context.Background()
	live := framework.Room{AppID: "app", RoomID: "7"}
	l, err := s.Lock(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Save(ctx, l, framework.Session{}, "m", framework.Answer{Body: []byte("new")}); err != nil {
		t.Fatal(err)
	}
	l.Unlock(ctx)
	if _, ans, err := s.Load(ctx, live, "m"); err != nil || ans == nil || string(ans.Body) != "new" {
		t.Fatalf("live room's answer: %v, %v", ans, err)
	}
	if got, err := s.Purge(); err != nil || got != n-1 {
		t.Fatalf("Purge past the dedupe window: %d, %v; want %d answers", got, err, n-1)
	}
	if sessions, answers, fences := count(); sessions != n || answers != 1 || fences != n {
		t.Fatalf("after purging answers: %d sessions, %d answers, %d fences", sessions, answers, fences)
	}
	clock.Advance(time.Hour - time.Second)
	// Every session and fence but the live room's, and its answer.
	if got, err := s.Purge(); err != nil || got != 2*(n-1)+1 {
		t.Fatalf("Purge past the session TTL: %d, %v; want %d", got, err, 2*(n-1)+1)
	}
	if sessions, answers, fences := count(); sessions != 1 || answers != 0 || fences != 1 {
		t.Fatalf("after purging sessions: %d sessions, %d answers, %d fences; want the live room's session and fence", sessions, answers, fences)
	}
}
