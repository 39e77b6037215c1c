# smash-swift: `make demo` runs the quickstart, `make test` runs the tests.
# Both install missing system packages first (apt-get, only when something is missing).

SWIFT ?= swift

.PHONY: deps build demo test bench

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build -c release --product smash

demo: build
	.build/release/smash run Pipelines/quickstart.yaml --threads 2

test: deps
	scripts/install-deps python3-h5py && $(SWIFT) test && SWIFT=$(SWIFT) Tests/pipeline-kill-test.sh

bench: build
	.build/release/smash bench --threads 1,2 --json .smash/bench.json
