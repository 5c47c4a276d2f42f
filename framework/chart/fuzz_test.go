package chart

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
)

// FuzzParse checks that no file, however broken, crashes Parse, and that
// every problem it reports says where it is: a chart author must never get
// a stack trace or a message without a line.
//
//	go test ./framework/chart -run XXX -fuzz FuzzParse -fuzztime 60s
func FuzzParse(f *testing.F) {
	for _, pattern := range []string{"testdata/*.yaml", "testdata/bad/*.yaml"} {
		files, err := filepath.Glob(pattern)
		require.NoError(f, err)
		for _, file := range files {
			data, err := os.ReadFile(file)
			require.NoError(f, err)
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.yaml", data)
		if err != nil {
			var ce *framework.ChartError
			require.True(t, errors.As(err, &ce), "%T: %v", err, err)
			require.NotEmpty(t, ce.Problems)
			requirePositions(t, ce)
			require.Equal(t, framework.Chart{}, c)
			return
		}
		require.Equal(t, "f.yaml", c.File)
		requirePos(t, c.Pos)
		for _, s := range c.States {
			requirePos(t, s.Pos)
			for _, tr := range s.On {
				requirePos(t, tr.Pos)
			}
		}
		// A parsed chart must not crash framework.New either, and New's
		// problems must all point into the file.
		if _, err := framework.New(c, framework.Options{Handlers: handlers}); err != nil {
			var ce *framework.ChartError
			require.True(t, errors.As(err, &ce), "%T: %v", err, err)
			requirePositions(t, ce)
		}
	})
}

func requirePositions(t *testing.T, ce *framework.ChartError) {
	t.Helper()
	for _, p := range ce.Problems {
		requirePos(t, p.Pos)
		require.NotEmpty(t, p.What)
	}
}

func requirePos(t *testing.T, pos framework.Pos) {
	t.Helper()
	require.Equal(t, "f.yaml", pos.File)
	require.GreaterOrEqual(t, pos.Line, 1, "%v", pos)
	require.GreaterOrEqual(t, pos.Col, 1, "%v", pos)
}
