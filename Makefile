# lr-playground. On a fresh machine: `make serve` (set up, build, serve) or `make test` (set up, run every test).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
# Keep wasm-pack's cache in the build tree, and never let it download anything.
export WASM_PACK_CACHE := $(CURDIR)/target/wasm-pack-cache
# Whole builds, as CI's fresh one: incremental caches made a fresh test build of this crate 15 s
# slower natively (71 s against 56) and 12 s for wasm (48 against 36), and pay back only on
# rebuilds after small edits (`CARGO_INCREMENTAL=1 make test`, or cargo itself, for those).
export CARGO_INCREMENTAL ?= 0
# SwiftShader (Chromium's CPU WebGPU) is slow: give browser tests room.
export WASM_BINDGEN_TEST_TIMEOUT ?= 120
CHROMEDRIVER ?= /usr/bin/chromedriver
# Mesa's Vulkan loader complains on every device it opens when there is no runtime dir (CI has none).
export XDG_RUNTIME_DIR ?= $(CURDIR)/target/xdg-runtime
PORT ?= 8080
# wasm32 features rustc emits by default; binaryen must accept them as input.
WASM_FEATURES := --enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int \
                 --enable-reference-types --enable-sign-ext --enable-multivalue --enable-simd

.PHONY: setup wasm dist serve test test-rust test-native test-wasm test-js bench clean

setup:
	scripts/setup.sh

# The engine as an ES module + wasm in pkg/. wasm-pack's own wasm-opt is off (Cargo.toml):
# Debian's binaryen 108 corrupts reference-type tables, so the pinned npm binaryen runs instead.
# -O3, not -Os/-Oz: on the same input those save 0.1 % gzipped (LLVM has already inlined at opt-level
# 3), not worth any risk to the engine's loops. The last step prints the size against its budget
# (tests/js/wasm-size.test.js fails over it). Functions of one caller are inlined only when small
# (-ocimfs): the CPU path's step and loops stay functions of their own, and the largest function
# V8 optimises during a range test took 171 ms, where the training block they made took 0.44-0.55 s
# (Chromium's --js-flags=--trace-wasm-compilation-times; src/engine/backend/cpu/pack.rs).
wasm:
	CARGO_TARGET_DIR=$(CURDIR)/target/pkg-build wasm-pack build --mode no-install --target web --release --out-dir pkg
	wasm-opt -O3 --one-caller-inline-max-function-size 1000 $(WASM_FEATURES) pkg/lr_playground_bg.wasm -o pkg/lr_playground_bg.wasm
	node scripts/package.mjs
	node scripts/wasm-size.mjs

# A static folder (dist/) with relative asset paths: works from any sub-path of any static host.
dist: wasm
	npm run build

serve: setup dist
	@echo "lr-playground on http://127.0.0.1:$(PORT)/"
	npm run serve -- --port $(PORT)

# The page's release build runs beside the Rust suites, in its own target folder (cargo locks a
# folder while it builds in it): each leaves a core idle much of the time (LTO's last step, the
# browser tests, wasm-opt). Each job's output is printed whole when it ends.
test: setup
	$(MAKE) --no-print-directory -j2 --output-sync=target test-rust dist
	$(MAKE) --no-print-directory test-js

test-rust:
	$(MAKE) --no-print-directory test-native
	$(MAKE) --no-print-directory test-wasm

# Formatting, then pure logic, fixtures, and WGSL compute through wgpu on lavapipe (Vulkan on the CPU).
test-native:
	cargo fmt --check
	mkdir -p -m 700 "$$XDG_RUNTIME_DIR"
	cargo test

# The JS API in Node, then everything again in headless Chromium with WebGPU (SwiftShader), each
# test crate run by wasm-bindgen's runner as `wasm-pack test` runs it. Cargo directly, and only the
# wasm test crates: wasm-pack builds with `--tests`, which adds the crate's own unit tests (they run
# natively) and compiled the whole crate a second time for wasm.
WASM_TEST := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test --profile wasm-test --target wasm32-unknown-unknown --test web --test web_browser --test web_broken
test-wasm:
	WASM_BINDGEN_TEST_ONLY_NODE=1 $(WASM_TEST)
	WASM_BINDGEN_TEST_ONLY_WEB=1 WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=$(CHROMEDRIVER) $(WASM_TEST)

# Vitest for the pure JS modules and pkg/ in Node (the packed package and the README's API
# examples included), the TypeScript types, then Playwright against the built page.
test-js:
	npm run test:unit
	npm run test:types
	npm run test:e2e

# Speed, as ratios measured within one run (these machines are noisy): criterion natively
# (tiled vs naive WGSL matmul, training run-steps/s on the CPU and GPU paths, 2601-point loss
# evaluation on the GPU vs the CPU loop), then bench.html
# in headless Chromium (wasm vs a JS baseline, range test, first draw, frame times).
bench: setup dist
	cargo bench --bench matmul
	cargo bench --bench training
	cargo bench --bench evaluate
	cargo bench --bench finder
	npm run bench:page

clean:
	rm -rf target pkg dist node_modules
