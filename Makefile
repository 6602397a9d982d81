# Probity's front doors. `make demo` and `make check` work on a fresh Debian
# machine: both install what is missing first (scripts/install-deps).
LISTEN ?= 127.0.0.1:8080
RELEASE := build/release
DEMO := build/demo

.PHONY: all deps build demo check fuzz bench clean

all: build

deps:
	@scripts/install-deps --quiet

$(RELEASE)/build.ninja:
	meson setup $(RELEASE) --buildtype=release

build: deps $(RELEASE)/build.ninja
	ninja -C $(RELEASE) probity

# A fresh demo database every time: the demo never touches your own data.
demo: build
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(RELEASE)/probity demo --db $(DEMO)/probity.db --listen $(LISTEN)

check: deps
	scripts/check

# The whole check with a longer libFuzzer run per target (default 10 s).
FUZZ_SECONDS ?= 600
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/check

# The benchmarks (bench/run, docs/performance.md) from the release build:
# one table, also written to bench/results/latest.md. Takes a few minutes.
bench: deps $(RELEASE)/build.ninja
	ninja -C $(RELEASE) probity bench/bench_gen bench/bench_crypto
	bench/run --build $(RELEASE)

clean:
	rm -rf build
