package main

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary be the faq command, so that the scripts in
// testdata/script run the real command line, start-up, flags, exit status
// and all, without building it first.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"faq": main})
}

// TestScripts runs testdata/script/*.txtar. Each runs in a fresh directory;
// $BOTDIR is this package's directory, for its transcripts.
func TestScripts(t *testing.T) {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("BOTDIR", dir)
			return nil
		},
	})
}
