#!/usr/bin/env bash
# The project's whole test suite: formatting, vet, the race detector on the
# store, every package's tests, and a short fuzzing pass of each parser.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:-} -tags=migrated_fynedo"

echo "== gofmt"
bad=$(gofmt -l $(git ls-files '*.go'))
if [ -n "$bad" ]; then echo "gofmt would change: $bad"; exit 1; fi

echo "== go vet"
go vet ./...

echo "== go test -race (store)"
go test -race -short -count=1 ./store/...   # -short: the 10k-row import runs full size below

echo "== go test (all)"
go test -count=1 ./...

echo "== fuzz (short)"
# Bounded by iterations, one worker, short minimisation: a busy CI machine
# must not turn a slow worker into a failure. The seed corpora of every fuzz
# target (codice fiscale, Anagrafe import, change files) also run in the
# plain pass above.
go test -run='^$' -fuzz='^FuzzParse$' -fuzztime=20000x -fuzzminimizetime=5s -parallel=1 ./store/codicefiscale

echo "Tutti i test sono passati."
