# fuzz.mk: libFuzzer harnesses (fuzz/*.c), included by the Makefile.
#
#   make fuzz                    each harness for FUZZ_SECONDS (default 60) seconds, one after
#                                another; new inputs go to build/fuzz/corpus/<harness>/, crashes
#                                to build/fuzz/crashes/<harness>-*
#   make fuzz FUZZ=csv           only that harness
#   make fuzz-smoke              each harness for FUZZ_SMOKE_SECONDS (3) over its committed
#                                corpus, two at a time; part of `make test`
#
# Everything here is built with clang (-fsanitize=fuzzer,address,undefined) into build/fuzz,
# apart from the normal build, from the same sources: the harnesses link every object of
# src/ except main.c, so they run the code the server runs.

FUZZ_CC := clang
FUZZ_B := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 $(WARN) $(FUZZ_SAN) -Isrc -I$(FUZZ_B)/gen \
               $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -pthread
FUZZ_ALL := $(sort $(patsubst fuzz/%.c,%,$(wildcard fuzz/*.c)))
FUZZ ?= $(FUZZ_ALL)
# the server's objects (OBJS: src/ and the generated embeds), rebuilt here with clang
FUZZ_OBJS := $(patsubst $(B)/obj/%,$(FUZZ_B)/obj/%,$(OBJS))
FUZZ_GEN := $(patsubst $(FUZZ_B)/obj/gen/%.o,$(FUZZ_B)/gen/%.c,$(filter $(FUZZ_B)/obj/gen/%,$(FUZZ_OBJS)))
FUZZ_BINS := $(FUZZ_ALL:%=$(FUZZ_B)/bin/%)
# libFuzzer options for every run: no leak false alarms from threads still finishing a
# request (leaks are still checked at exit), short per-input timeout, crashes kept apart.
FUZZ_OPTS := -timeout=10 -rss_limit_mb=4096 -print_final_stats=1

.PHONY: fuzz fuzz-build fuzz-smoke
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_GEN)
fuzz-build: $(FUZZ_BINS)

$(FUZZ_B)/obj/%.o: src/%.c | $(FUZZ_GEN)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_B)/obj/gen/%.o: $(FUZZ_B)/gen/%.c
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-overlength-strings -c -o $@ $<

# The generated sources are the normal build's (its rules run the embed tool).
$(FUZZ_B)/gen/%.c: $(B)/gen/%.c
	@mkdir -p $(dir $@)
	@cp $< $@

$(FUZZ_B)/bin/%: fuzz/%.c fuzz/fuzzutil.h $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -Ifuzz -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJS) $(LDLIBS)

# Each harness with fuzz/<h>.dict when present; new inputs go into build/fuzz/corpus/<h>
# (the committed corpus fuzz/corpus/<h> is only read).
fuzz: $(FUZZ:%=$(FUZZ_B)/bin/%)
	@mkdir -p $(FUZZ_B)/crashes
	@set -e; for h in $(FUZZ); do \
	    mkdir -p $(FUZZ_B)/corpus/$$h; \
	    echo "== fuzz $$h for $(FUZZ_SECONDS) s"; \
	    dict=; [ -f fuzz/$$h.dict ] && dict=-dict=fuzz/$$h.dict; \
	    $(FUZZ_B)/bin/$$h $(FUZZ_OPTS) -max_total_time=$(FUZZ_SECONDS) $$dict \
	        -artifact_prefix=$(FUZZ_B)/crashes/$$h- $(FUZZ_B)/corpus/$$h fuzz/corpus/$$h \
	        2>$(FUZZ_B)/$$h.log || { tail -60 $(FUZZ_B)/$$h.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units|^Done ' $(FUZZ_B)/$$h.log | tr '\n' ' '; echo; \
	done

# Smoke run for `make test`: every harness over its committed corpus and a few seconds of
# mutation, two at a time; a crash prints the harness's log and fails.
fuzz-smoke: $(FUZZ_BINS)
	@mkdir -p $(FUZZ_B)/crashes $(FUZZ_B)/smoke
	@printf '%s\n' $(FUZZ_ALL) | xargs -P 2 -I{} sh -c '\
	    h={}; work=$$(mktemp -d); dict=; [ -f fuzz/$$h.dict ] && dict=-dict=fuzz/$$h.dict; \
	    if $(FUZZ_B)/bin/$$h $(FUZZ_OPTS) -max_total_time=$(FUZZ_SMOKE_SECONDS) $$dict \
	        -artifact_prefix=$(FUZZ_B)/crashes/$$h- $$work fuzz/corpus/$$h \
	        >$(FUZZ_B)/smoke/$$h.log 2>&1; then \
	        echo "fuzz-smoke $$h: ok, $$(grep -m1 "^stat::number_of_executed_units" $(FUZZ_B)/smoke/$$h.log | sed "s/.*: *//") runs"; \
	        rm -rf $$work; \
	    else echo "fuzz-smoke $$h: FAILED"; tail -50 $(FUZZ_B)/smoke/$$h.log; rm -rf $$work; exit 255; fi'

-include $(shell find $(FUZZ_B)/obj -name '*.d' 2>/dev/null)
