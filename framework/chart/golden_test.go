package chart

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fsmbot/fsmbot/framework"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.txt from the current output")

// TestGolden compiles every chart in testdata/bad and compares its error, as
// an author would read it, with testdata/golden/<name>.txt. The charts use
// the flows of testdata/bad/flows, except those whose name starts with
// no_library, which are compiled without a flow library. Run
// `go test ./framework/chart -run Golden -update` after changing a message,
// and read the diff.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			l := Loader{Flows: os.DirFS(filepath.Join("testdata", "bad", "flows"))}
			if strings.HasPrefix(name, "no_library") {
				l = Loader{}
			}
			_, err = l.Compile(filepath.ToSlash(file), data, framework.Options{Handlers: handlers})
			require.Error(t, err, "a chart in testdata/bad compiled")
			var ce *framework.ChartError
			require.True(t, errors.As(err, &ce), "not a *framework.ChartError: %v", err)

			got := err.Error() + "\n"
			golden := filepath.Join("testdata", "golden", name+".txt")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run with -update to create it")
			require.Equal(t, string(want), got)
		})
	}
}
