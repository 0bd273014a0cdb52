# rexin build. `make run` and `make test` are the two commands README.md promises.
# Layout: src/{lib,http,api,domain,store} -> build/obj; tests/unit/test_*.c -> build/tests.
# SANITIZE=1 builds everything under ASan+UBSan into build/san instead of build.

SHELL := /bin/bash
CC ?= gcc
PKGS := libmicrohttpd jansson sqlite3 libsodium libqrencode libutf8proc cairo pangocairo xlsxwriter libzip expat libpq
SANITIZE ?= 0
BUILD ?= build
ifeq ($(SANITIZE),1)
  B := $(BUILD)/san
  # float-cast-overflow: part of clang's "undefined" but not of gcc's.
  SANFLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined,float-cast-overflow
  OPT := -O1
else
  B := $(BUILD)
  SANFLAGS :=
  OPT ?= -O2
endif
WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter -Werror
CFLAGS := -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) $(SANFLAGS) -Isrc -I$(B)/gen \
          $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -pthread
LDLIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread -lm
LDFLAGS := $(SANFLAGS)

SRCS := $(sort $(wildcard src/lib/*.c src/http/*.c src/api/*.c src/domain/*.c src/store/*.c))
OBJS := $(SRCS:src/%.c=$(B)/obj/%.o) $(B)/obj/gen/webfiles.o $(B)/obj/gen/migrations.o \
        $(B)/obj/gen/migrations_pg.o $(B)/obj/gen/apidoc.o
MAIN := $(B)/obj/main.o
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
WEB_STAMP := $(wildcard web/dist/index.html)
MIGRATIONS := $(sort $(wildcard src/store/migrations/*.sql))
MIGRATIONS_PG := $(sort $(wildcard src/store/migrations_pg/*.sql))

.PHONY: all deps run test test-unit test-api test-e2e test-pg test-hardening web clean format lint bench stress fuzz
all: $(B)/rexin

deps:
	@scripts/setup.sh

$(B)/rexin: $(OBJS) $(MAIN)
	@echo "  LD  $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/obj/%.o: src/%.c | $(B)/gen/webfiles.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/obj/gen/%.o: $(B)/gen/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	@$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $@ $< -lz

# The built web UI is compiled into the binary (gzip-compressed copies alongside).
# Depends on web/dist/index.html only when it exists: a C-only build never runs npm.
$(B)/gen/webfiles.c: $(B)/tools/embed $(WEB_STAMP)
	@mkdir -p $(dir $@)
	@echo "  EMBED web/dist"
	@$(B)/tools/embed web web/dist $@ $(if $(WEB_STAMP),web/dist)

$(B)/gen/apidoc.c: $(B)/tools/embed src/api/openapi.json
	@mkdir -p $(dir $@)
	@$(B)/tools/embed apidoc src/api $@ src/api/openapi.json

$(B)/gen/migrations.c: $(B)/tools/embed $(MIGRATIONS) src/store/migrations
	@mkdir -p $(dir $@)
	@$(B)/tools/embed migrations src/store/migrations $@ $(MIGRATIONS)

# PostgreSQL versions of the migrations whose SQLite text does not run there (pg.c).
$(B)/gen/migrations_pg.c: $(B)/tools/embed $(MIGRATIONS_PG)
	@mkdir -p $(dir $@)
	$(B)/tools/embed migrations_pg src/store/migrations_pg $@ $(MIGRATIONS_PG)

$(B)/tests/%: tests/unit/%.c $(OBJS) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(OBJS) $(LDLIBS) -lcmocka $(LDFLAGS)

web/dist/index.html: $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.js package-lock.json | deps
	npm run --silent build:web >/dev/null

web: deps web/dist/index.html

run: deps web
	$(MAKE) $(B)/rexin
	$(B)/rexin serve

test: deps web
	$(MAKE) $(B)/rexin $(UNIT_BINS)
	$(MAKE) test-unit test-api test-pg test-e2e test-hardening

# Under SANITIZE=1 the library caches of cairo/fontconfig (certificate PDFs drawn by the OOM
# walk's in-process server) are not counted as leaks: tests/lsan.supp, as for the API tests.
test-unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; \
	  $(if $(filter 1,$(SANITIZE)),LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0) $$t; done

# Under SANITIZE=1 every rexin the API tests start (servers and CLI runs) writes sanitizer
# reports to $(B)/san-report.*; any report fails the suite, even from a server that a test
# stopped without looking at its exit code.
SAN_LOG := $(CURDIR)/$(B)/san-report
test-api: $(B)/rexin
	@rm -f $(SAN_LOG).*
	REXIN_BIN=$(CURDIR)/$(B)/rexin $(if $(filter 1,$(SANITIZE)),ASAN_OPTIONS=log_path=$(SAN_LOG) UBSAN_OPTIONS=log_path=$(SAN_LOG):print_stacktrace=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0) \
	  node --test --test-concurrency=2 tests/api/
	@if ls $(SAN_LOG).* >/dev/null 2>&1; then cat $(SAN_LOG).*; echo "sanitizer reports above"; exit 1; fi

# The API suite again on a throwaway PostgreSQL cluster, plus two servers on one database
# (skips with a message when the PostgreSQL server binaries are not installed).
test-pg: $(B)/rexin
	REXIN_BIN=$(CURDIR)/$(B)/rexin tests/pg/run.sh

test-e2e: $(B)/rexin
	REXIN_BIN=$(CURDIR)/$(B)/rexin node --test tests/e2e/

# Hardening (issue "Hardening"): short forms in `make test`, long forms on their own.
# tests/stress/crash.mjs: kill -9 under write load, CRASH_ROUNDS rounds (fuzz targets: fuzz/fuzz.mk).
test-hardening: $(B)/rexin fuzz-smoke
	@scripts/banned.sh
	CRASH_ROUNDS=$${CRASH_ROUNDS:-3} REXIN_BIN=$(CURDIR)/$(B)/rexin node --test tests/stress/crash.mjs

stress: $(B)/rexin $(B)/tests/test_oom_http
	CRASH_ROUNDS=$${CRASH_ROUNDS:-50} REXIN_BIN=$(CURDIR)/$(B)/rexin node --test tests/stress/crash.mjs
	REXIN_OOM_STRIDE=1 $(B)/tests/test_oom_http

lint:
	@PKGS="$(PKGS)" scripts/lint.sh

# Benchmarks (not part of `make test`): an optimised build in build/bench, the ceiling
# programs, then bench/run.mjs (scenarios, table, bench/results/*.json, docs/performance.md).
# City-scale data is generated once and cached under ~/.cache/rexin-bench.
BENCH_BUILD := build/bench
BENCH_OPT ?= -O2 -DNDEBUG
bench:
	@scripts/setup.sh --bench
	$(MAKE) BUILD=$(BENCH_BUILD) OPT='$(BENCH_OPT)' SANITIZE=0 $(BENCH_BUILD)/rexin
	@mkdir -p $(BENCH_BUILD)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $(BENCH_BUILD)/sqlite_ceiling bench/sqlite_ceiling.c \
	    $(shell pkg-config --cflags --libs sqlite3)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o $(BENCH_BUILD)/argon2_ceiling bench/argon2_ceiling.c \
	    $(shell pkg-config --cflags --libs libsodium) -pthread
	REXIN_BIN=$(CURDIR)/$(BENCH_BUILD)/rexin node bench/run.mjs

format:
	clang-format -i $(SRCS) src/main.c $(wildcard src/*/*.h) $(UNIT_SRCS)

clean:
	rm -rf build

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)

include fuzz/fuzz.mk
