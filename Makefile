# luoshi — hand-written Makefile.
#
#   make                          build ./luoshi
#   make run                      install what is missing, build, create the demo city, serve on :8080
#                                 (a demo: as root, its logins kept in demo-logins.txt)
#   make install [PREFIX=/usr/local] [DESTDIR=]
#                                 the binary, the official calendar, the systemd and nginx examples
#                                 and the operator's docs (docs/operations.md)
#   make lint                     clang-format check, tools/lint.c's layering rules, their tests
#   make check                    install, lint, build, run every test (unit, e2e, browser, fuzz smoke),
#                                 the e2e suite and the PostgreSQL unit tests on PostgreSQL (test-pg),
#                                 then the unit and e2e suites again under ASan+UBSan (with the
#                                 PostgreSQL unit tests and tests/e2e/pg_scale.test.js on PostgreSQL)
#   make SANITIZE=address,undefined   build build/san/luoshi with sanitizers
#   make fuzz                     longer libFuzzer runs of every target under tests/fuzz
#   make soak                     the crash test with CRASH_ROUNDS SIGKILLs (30 by default)
#   make valgrind                 every unit test binary under valgrind (errors and leaks fail)
#   make bench                    benchmarks under bench/
#   make fmt                      clang-format every C file
#
# Objects go under build/; every src/*/*.c is part of the program, every
# tests/unit/*/*_test.c is a cmocka test binary linked with all of src/ but main.c.

CC       = gcc
SANITIZE ?=
PKGS      = libmicrohttpd jansson libsodium libpq xlsxwriter sqlite3 libzip expat poppler-glib pwquality libmagic \
            libcurl pangocairo cairo-pdf fontconfig
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wno-format-nonliteral -Wvla -Wpointer-arith
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) -Isrc -Ibuild/gen $(PKG_CFLAGS)
LDLIBS   = $(PKG_LIBS) -lpthread -lm

ifeq ($(SANITIZE),)
BUILD    = build/rel
BIN      = luoshi
else
BUILD    = build/san
BIN      = build/san/luoshi
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all -O1
LDFLAGS  += -fsanitize=$(SANITIZE)
endif

SRC      := $(sort $(wildcard src/*.c src/*/*.c))
LIB_SRC  := $(filter-out src/main.c,$(SRC))
OBJ      := $(SRC:%.c=$(BUILD)/%.o)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
ASSETS   := $(sort $(wildcard assets/*))
SQL      := $(sort $(wildcard src/db/sql/*/*.sql))
SEEDS    := tests/intake/seed.txt# the demo city's meeting (luoshi init --demo)
SEEDS    += $(sort $(wildcard data/calendar/*.txt))# official holiday schedules (init --demo)
SEEDS    += src/app/openapi.json# the per-route schemas of GET /api/v1/openapi.json
GEN      := build/gen/assets_gen.c
GEN_OBJ  := $(BUILD)/gen/assets_gen.o
UNIT_SRC := $(sort $(wildcard tests/unit/*/*_test.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/*_fuzz.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
VERSION  := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

.PHONY: all deps test-deps run install check lint test-unit test-e2e test-browser test-pg test-fuzz \
        check-san fuzz bench fmt clean
all: $(BIN)

deps:
	@scripts/install-deps build
test-deps:
	@scripts/install-deps test

$(BIN): $(OBJ) $(GEN_OBJ)
	@echo "  LINK  $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c $(wildcard src/*/*.h) | build/gen/version.h
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Static assets and SQL migrations are compiled into the binary.
build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<
$(GEN): build/embed $(ASSETS) $(SQL) $(SEEDS)
	@mkdir -p build/gen
	build/embed $(ASSETS) $(SQL) $(SEEDS) > $@.tmp && mv $@.tmp $@
$(GEN_OBJ): $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<
build/gen/version.h: FORCE
	@mkdir -p build/gen
	@echo '#define LUOSHI_VERSION "$(VERSION)"' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
FORCE:

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) $(GEN_OBJ)
	@mkdir -p $(dir $@)
	@echo "  TEST  $<"
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(GEN_OBJ) $(LDLIBS) -lcmocka

run: deps
	@$(MAKE) --no-print-directory all
	@scripts/run-demo

# make install: what a server needs, under $(DESTDIR)$(PREFIX) (docs/operations.md).
PREFIX  ?= /usr/local
DESTDIR ?=
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/luoshi/calendar \
	    $(DESTDIR)$(PREFIX)/share/luoshi/contrib $(DESTDIR)$(PREFIX)/share/doc/luoshi
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/luoshi
	install -m 0644 data/calendar/*.txt $(DESTDIR)$(PREFIX)/share/luoshi/calendar/
	install -m 0644 contrib/luoshi.service contrib/nginx-luoshi.conf $(DESTDIR)$(PREFIX)/share/luoshi/contrib/
	install -m 0644 README.md CHANGELOG.md docs/*.md $(DESTDIR)$(PREFIX)/share/doc/luoshi/

test-unit: $(UNIT_BIN)
	@scripts/run-unit $(UNIT_BIN)

E2E_TESTS := $(wildcard tests/e2e/*.test.js)
test-e2e: $(BIN)
	@LUOSHI_BIN=$(abspath $(BIN)) node --test --test-concurrency=2 $(E2E_TESTS)

# The unit tests that read LUOSHI_TEST_PG (or run testdb_rounds, which does) and the whole
# e2e suite again, on a private PostgreSQL cluster that scripts/with-pg starts and always removes.
PG_UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(shell grep -lE "LUOSHI_TEST_PG|testdb_rounds" $(UNIT_SRC)))
test-pg: $(BIN) $(PG_UNIT_BIN)
	@scripts/with-pg sh -c 'scripts/run-unit $(PG_UNIT_BIN) && LUOSHI_BIN=$(abspath $(BIN)) \
	  node --test --test-concurrency=2 $(E2E_TESTS)'

BROWSER_TESTS := $(wildcard tests/browser/*.test.js)
test-browser: $(BIN)
	@$(if $(BROWSER_TESTS),LUOSHI_BIN=$(abspath $(BIN)) node --test --test-concurrency=1 $(BROWSER_TESTS),echo "no browser tests yet")

# libFuzzer targets, built with clang against all of src/ but main.c: the
# objects are compiled once (instrumented, not linked with the fuzzer's main)
# and each target links them with its own file.
FUZZ_CFLAGS = -std=c17 -D_GNU_SOURCE -pthread -g -O1 -Isrc -Ibuild/gen $(PKG_CFLAGS) \
              -fsanitize=fuzzer-no-link,address,undefined
FUZZ_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o) build/fuzz/obj/gen/assets_gen.o
# kept between runs (make would otherwise delete them as intermediates after
# linking, and compile the whole tree again for the next make check)
.SECONDARY: $(FUZZ_OBJ)
build/fuzz/obj/%.o: %.c $(wildcard src/*/*.h) | build/gen/version.h
	@mkdir -p $(dir $@)
	@echo "  FUZZCC $<"
	@clang $(FUZZ_CFLAGS) -c -o $@ $<
build/fuzz/obj/gen/assets_gen.o: $(GEN)
	@mkdir -p $(dir $@)
	@clang $(FUZZ_CFLAGS) -c -o $@ $<
build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	@echo "  FUZZLD $@"
	@clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDLIBS)
test-fuzz: $(FUZZ_BIN)
	@$(if $(FUZZ_BIN),scripts/run-fuzz smoke $(FUZZ_BIN),echo "no fuzz targets yet")
fuzz: test-deps $(FUZZ_BIN)
	@scripts/run-fuzz long $(FUZZ_BIN)

# The long runs outside make check: the crash test with many SIGKILL rounds
# (make fuzz is the long fuzz run), and the unit tests under valgrind, where an
# invalid access or a definite or indirect leak fails the binary.
.PHONY: soak valgrind
CRASH_ROUNDS ?= 30
soak: $(BIN)
	@CRASH_ROUNDS=$(CRASH_ROUNDS) LUOSHI_BIN=$(abspath $(BIN)) node --test tests/e2e/crash.test.js
valgrind: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do \
	  if valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    $$t >$$t.valgrind.log 2>&1; then echo "  valgrind clean: $$t"; \
	  else fail=1; echo "--- valgrind: $$t"; tail -n 40 $$t.valgrind.log; fi; \
	done; [ $$fail -eq 0 ]

check: test-deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory all test-unit
	@$(MAKE) --no-print-directory test-e2e
	@$(MAKE) --no-print-directory test-pg
	@$(MAKE) --no-print-directory test-browser
	@$(MAKE) --no-print-directory -j2 test-fuzz
	@$(MAKE) --no-print-directory SANITIZE=address,undefined check-san
	@echo "make check: all suites passed"

check-san: $(BIN) $(UNIT_BIN)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 scripts/run-unit $(UNIT_BIN)
	@ASAN_OPTIONS=detect_leaks=1 LUOSHI_BIN=$(abspath $(BIN)) node --test --test-concurrency=2 $(E2E_TESTS)
	@# on PostgreSQL only the unit tests, the scale-out file (reconnects, outage) and the copy: cheap
	@scripts/with-pg sh -c 'ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 scripts/run-unit $(PG_UNIT_BIN) && \
	  ASAN_OPTIONS=detect_leaks=1 LUOSHI_BIN=$(abspath $(BIN)) node --test tests/e2e/pg_scale.test.js \
	  tests/e2e/copy.test.js'

$(BUILD)/bench/%: bench/%.c $(LIB_OBJ) $(GEN_OBJ)
	@mkdir -p $(dir $@)
	@$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(GEN_OBJ) $(LDLIBS)

bench: $(BIN) $(BUILD)/bench/seed $(BUILD)/bench/intake_bench $(BUILD)/bench/notice_bench \
       $(BUILD)/bench/checkpoint_bench $(BUILD)/bench/ping $(BUILD)/bench/plans \
       $(BUILD)/bench/outbox_bench $(BUILD)/bench/export_bench $(BUILD)/bench/efficiency_bench \
       $(BUILD)/bench/inbox_bench $(BUILD)/bench/unit_list_bench
	@scripts/install-deps bench
	@bench/run

# make lint: clang-format's verdict on every C file and header (make fmt applies
# it), then tools/lint.c's rules (SQL and raw HTML take literals, includes run
# down the layers, no folder cycle, functions of at most 60 lines) over src/
# and tools/ with today's exceptions in tools/lint-allow.txt, then the
# checker's own tests on the fixtures of tests/lint/.  docs/architecture.md.
FMT_FILES  := $(SRC) $(wildcard src/*/*.h) $(UNIT_SRC) $(wildcard tests/unit/*.h tests/unit/*/*.h) \
              $(FUZZ_SRC) $(wildcard bench/*.c tools/*.c) $(sort $(shell find tests/lint -name '*.[ch]'))
LINT_FILES := $(SRC) $(wildcard src/*/*.h) $(wildcard tools/*.c)
build/lint: tools/lint.c
	@mkdir -p build
	$(CC) -std=c17 -O2 $(WARN) -o $@ $<
lint: build/lint
	@clang-format --dry-run -Werror $(FMT_FILES)
	@build/lint --allow tools/lint-allow.txt $(LINT_FILES)
	@LINT_BIN=$(abspath build/lint) node --test tests/lint/lint.test.js
	@echo "make lint: clean"

fmt:
	clang-format -i $(FMT_FILES)

clean:
	rm -rf build luoshi
