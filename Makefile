GO ?= go

.PHONY: run watch chat transcripts charts lint test bench fuzz

## run: serve the FAQ bot on :8080
run:
	$(GO) run ./bots/faq

## watch: serve the FAQ chart from disk, reloaded on every save that compiles and lints clean
watch:
	$(GO) run ./bots/faq serve --chart statecharts/faq.yaml --watch

## chat: talk to the FAQ bot in this terminal
chat:
	$(GO) run ./bots/faq chat

## transcripts: the FAQ bot's conversation tests, and the share of transitions they fire
transcripts:
	$(GO) run ./bots/faq test --coverage bots/faq/testdata/transcripts

## charts: redraw the diagram NAME.md beside each chart and flow statecharts/NAME.yaml
charts:
	$(GO) test ./statecharts -run '^TestDiagrams$$' -count=1 -update

## lint: vet, then lint the FAQ chart (fails on errors, not on warnings)
lint:
	$(GO) vet ./...
	$(GO) run ./bots/faq lint

## test: vet, then every test with the race detector
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

## bench: every benchmark, with allocations
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: each fuzz target for FUZZTIME (default 60s)
FUZZTIME ?= 60s
fuzz:
	$(GO) test ./framework/webhook -run '^$$' -fuzz FuzzDecode -fuzztime $(FUZZTIME)
	$(GO) test ./framework/chart -run '^$$' -fuzz FuzzParse -fuzztime $(FUZZTIME)
	$(GO) test ./framework -run '^$$' -fuzz FuzzTurn -fuzztime $(FUZZTIME)
	$(GO) test ./framework -run '^$$' -fuzz FuzzNormalize -fuzztime $(FUZZTIME)
	$(GO) test ./framework -run '^$$' -fuzz FuzzRegexPrefilter -fuzztime $(FUZZTIME)
	$(GO) test ./framework -run '^$$' -fuzz FuzzKeywordMask -fuzztime $(FUZZTIME)
	$(GO) test ./framework/faq -run '^$$' -fuzz FuzzSearch -fuzztime $(FUZZTIME)
	$(GO) test ./framework/faq -run '^$$' -fuzz FuzzLoadYAML -fuzztime $(FUZZTIME)
	$(GO) test ./framework/faq -run '^$$' -fuzz FuzzLoadCSV -fuzztime $(FUZZTIME)
	$(GO) test ./framework/store/internal/codec -run '^$$' -fuzz FuzzKeysKeepRoomsApart -fuzztime $(FUZZTIME)
