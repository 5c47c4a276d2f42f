GO ?= go

.PHONY: run test bench fuzz lint

## run: serve the FAQ bot on :8080
run:
	$(GO) run ./bots/faq

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
