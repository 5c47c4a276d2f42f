package diagram

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGraphviz lays out every golden chart's DOT with Graphviz, when `dot`
// is installed (apt-get install graphviz), and fails on any error or
// warning other than about fonts. Without it the test is skipped: nothing else needs Graphviz.
func TestGraphviz(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz is not installed (apt-get install graphviz)")
	}
	for _, name := range names() {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(dot, "-Tsvg", "-o", os.DevNull)
			cmd.Stdin = strings.NewReader(DOT(graph(t, name)))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("dot: %v\n%s", err, stderr.String())
			}
			for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
				switch {
				case line == "":
				case strings.Contains(line, "font") || strings.Contains(line, "metrics"):
					t.Log(line) // the machine's fonts, not the diagram
				default:
					t.Errorf("dot: %s", line)
				}
			}
		})
	}
}

// TestMermaidCLI renders every golden chart's Mermaid with mermaid-cli,
// when MERMAID_CLI names its command, as in
//
//	MERMAID_CLI="npx -y @mermaid-js/mermaid-cli -p puppeteer.json" go test -run MermaidCLI ./framework/diagram
//
// (the Puppeteer config naming a browser, such as Debian's chromium with
// --no-sandbox). mmdc fails on a diagram Mermaid cannot parse. The test is
// skipped without MERMAID_CLI: it needs Node and a browser, and is slow.
func TestMermaidCLI(t *testing.T) {
	cli := strings.Fields(os.Getenv("MERMAID_CLI"))
	if len(cli) == 0 {
		t.Skip("set MERMAID_CLI to mermaid-cli's command (mmdc) to render the diagrams")
	}
	dir := t.TempDir()
	for _, name := range names() {
		t.Run(name, func(t *testing.T) {
			in, out := filepath.Join(dir, name+".mmd"), filepath.Join(dir, name+".svg")
			if err := os.WriteFile(in, []byte(Mermaid(graph(t, name))), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(cli[0], append(cli[1:], "-q", "-i", in, "-o", out)...)
			if output, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(cli, " "), err, output)
			}
			svg, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(svg, []byte("<svg")) {
				t.Fatalf("%s is not an SVG", out)
			}
		})
	}
}
