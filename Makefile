# Fellowship selection: build, run and test.
#
#   make            build everything under build/ (module, fellowctl,
#                   fellow-pdfcheck)
#   make run        install missing packages, build, migrate, serve on
#                   http://127.0.0.1:$(PORT) with demo data; mail is held
#                   in the outbox (SENDMAIL=none) unless SENDMAIL is set
#   make test       install what the tests need, build, run every test
#   make lint       formatting, layering, cppcheck, clang-tidy
#   make bench      the benchmark table (bench/suite.sh)
#   make fuzz       each fuzz target for FUZZ_SECONDS (fuzz/fuzz.mk)
#   make security   sqlmap against every route as each role, sslscan
#                   against the nginx front (scripts/security.sh)
#   make clean

PORT		?= 8888
DATA_DIR	?= data
DEMO		?= 1
export PORT DATA_DIR DEMO

CC		?= cc
# Quiet by default; make V=1 shows the commands.
ifeq ($(V),1)
Q		=
say		= @true
else
Q		= @
say		= @printf '  %-6s %s\n'
endif
KORE_FEATURES	:= $(shell cat /usr/share/kore/features 2>/dev/null)
WARNINGS	= -Wall -Wextra -Werror -Wstrict-prototypes \
		  -Wmissing-prototypes -Wmissing-declarations -Wshadow \
		  -Wpointer-arith -Wformat=2 -Wno-format-nonliteral
BASE_CFLAGS	= -std=gnu11 -D_GNU_SOURCE -Isrc -Ibuild/gen $(PG_CFLAGS) \
		  $(WARNINGS) -fPIC -fvisibility=hidden
OPT_CFLAGS	= -O2 -g -D_FORTIFY_SOURCE=2 -fstack-protector-strong
SAN_CFLAGS	= -O1 -g -fno-omit-frame-pointer \
		  -fsanitize=address,undefined -fno-sanitize-recover=undefined \
		  -DFELLOW_SELFTEST
LIBS		= -lsqlite3 -lpq -lsodium -ljansson -lqpdf -lz -lm
# libpq's header, which only the PostgreSQL engine (src/store/pg.c)
# includes (make lint checks it).
PG_CFLAGS	= -I$(shell pg_config --includedir 2>/dev/null || \
		    echo /usr/include/postgresql)

# Sources by layer. Only web/ includes Kore, only store/ includes SQLite.
WEB_SRC		= $(wildcard src/web/*.c)
STORE_SRC	= $(wildcard src/store/*.c)
CORE_SRC	= $(wildcard src/core/*.c)
OPS_SRC		= $(wildcard src/ops/*.c)
CLI_SRC		= src/cli/fellowctl.c
SHARED_SRC	= $(CORE_SRC) $(OPS_SRC) $(STORE_SRC)

MIGRATIONS	= $(sort $(wildcard migrations/*.sql))
PG_MIGRATIONS	= $(sort $(wildcard migrations/pg/*.sql))
ASSET_SRC	= $(shell find assets -type f | LC_ALL=C sort)
PICO_CSS	= node_modules/@picocss/pico/css/pico.min.css
CHART_JS	= node_modules/chart.js/dist/chart.umd.min.js
SORTABLE_JS	= node_modules/sortablejs/modular/sortable.esm.js
PDFJS		= node_modules/pdfjs-dist/build/pdf.min.mjs
PDFJS_WORKER	= node_modules/pdfjs-dist/build/pdf.worker.min.mjs
ASSET_FILES	= $(patsubst assets/%,build/assets/%,$(ASSET_SRC)) \
		  build/assets/vendor/pico.min.css \
		  build/assets/vendor/chart.umd.min.js \
		  build/assets/vendor/sortable.esm.js \
		  build/assets/vendor/pdf.min.mjs \
		  build/assets/vendor/pdf.worker.min.mjs

GEN_SHARED	= build/gen/migrations.c build/gen/pg_migrations.c \
		  build/gen/wordlist.c
GEN		= $(GEN_SHARED) build/gen/assets.c
HEADERS		= $(wildcard src/*/*.h)

# Object files: build/<variant>/<path>.o
obj		= $(patsubst %.c,build/$(1)/%.o,$(2))
MODULE_OBJ	= $(call obj,rel,$(WEB_SRC) $(SHARED_SRC) $(GEN))
MODULE_SAN_OBJ	= $(call obj,san,$(WEB_SRC) $(SHARED_SRC) $(GEN))
CTL_OBJ		= $(call obj,rel,$(CLI_SRC) $(SHARED_SRC) $(GEN_SHARED))
CTL_SAN_OBJ	= $(call obj,san,$(CLI_SRC) $(SHARED_SRC) $(GEN_SHARED))

# Unit tests mirror src/: tests/core/test_x.c tests src/core/x.c.
UNIT_SRC	= $(wildcard tests/core/*.c tests/store/*.c tests/ops/*.c)
UNIT_BIN	= $(patsubst tests/%.c,build/tests/%,$(UNIT_SRC))

PREFIX		?= /opt/fellowship
INSTALL_DATA_DIR ?= /var/lib/fellowship

.PHONY: all san run test lint bench security clean install deps-run \
	deps-test deps-bench deps-security

all: build/fellowship.so build/fellowctl build/fellow-pdfcheck

san: build/san/fellowship.so build/san/fellowctl build/san/fellow-pdfcheck \
    $(UNIT_BIN)

# -z nodelete: Kore unloads the module at a worker's exit, while the
# sentinel's thread (src/web/sentinel.c) may still run its code.
build/fellowship.so: $(MODULE_OBJ)
	$(say) CC $@
	$(Q)$(CC) -shared -Wl,-z,nodelete -o $@ $^ $(LIBS)

build/fellowctl: $(CTL_OBJ)
	$(say) CC $@
	$(Q)$(CC) -o $@ $^ $(LIBS)

# The PDF check process (src/cli/pdfcheck.c), found beside the module.
# Always the release build: it limits its own address space, which the
# address sanitizer's shadow memory would exceed, so the sanitized
# server runs the same program.
build/fellow-pdfcheck: build/rel/src/cli/pdfcheck.o build/rel/src/core/pdf.o \
    build/rel/src/ops/pdfcheck.o
	$(say) CC $@
	$(Q)$(CC) -o $@ $^ -lqpdf -lseccomp

build/san/fellow-pdfcheck: build/fellow-pdfcheck
	@mkdir -p $(dir $@)
	$(Q)cp $< $@.tmp && mv $@.tmp $@

build/san/fellowship.so: $(MODULE_SAN_OBJ)
	$(say) CC $@
	$(Q)$(CC) -shared -Wl,-z,nodelete -fsanitize=address,undefined -o $@ \
	    $^ $(LIBS)

build/san/fellowctl: $(CTL_SAN_OBJ)
	$(say) CC $@
	$(Q)$(CC) -fsanitize=address,undefined -o $@ $^ $(LIBS)

build/rel/src/web/%.o: src/web/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(say) CC $@
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT_CFLAGS) $(KORE_FEATURES) -c -o $@ $<

build/san/src/web/%.o: src/web/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(say) CC $@
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) $(KORE_FEATURES) -c -o $@ $<

build/rel/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(say) CC $@
	$(Q)$(CC) $(BASE_CFLAGS) $(OPT_CFLAGS) -c -o $@ $<

build/san/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(say) CC $@
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -c -o $@ $<

# Generated sources: the migrations and the front end, compiled in.
build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(say) CC $@
	$(Q)$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

build/gen/migrations.c: build/tools/embed $(MIGRATIONS)
	@mkdir -p $(dir $@)
	$(say) EMBED $@
	$(Q)build/tools/embed $@ migrations migrations $(MIGRATIONS)

build/gen/pg_migrations.c: build/tools/embed $(PG_MIGRATIONS)
	@mkdir -p $(dir $@)
	$(say) EMBED $@
	$(Q)build/tools/embed $@ pg_migrations migrations/pg $(PG_MIGRATIONS)

# The common-password list (from Debian's john-data, public domain).
build/gen/wordlist.c: build/tools/embed share/common-passwords.txt
	@mkdir -p $(dir $@)
	$(say) EMBED $@
	$(Q)build/tools/embed $@ wordlist share share/common-passwords.txt

build/gen/assets.c: build/tools/embed $(ASSET_FILES)
	@mkdir -p $(dir $@)
	$(say) EMBED $@
	$(Q)build/tools/embed $@ assets build/assets $(ASSET_FILES)

build/assets/vendor/pico.min.css: $(PICO_CSS)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

build/assets/vendor/chart.umd.min.js: $(CHART_JS)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

build/assets/vendor/sortable.esm.js: $(SORTABLE_JS)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# pdf.js draws documents and letters beside the score sheet.
build/assets/vendor/pdf.min.mjs: $(PDFJS)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

build/assets/vendor/pdf.worker.min.mjs: $(PDFJS_WORKER)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

build/assets/%: assets/%
	@mkdir -p $(dir $@)
	$(Q)cp $< $@

# Front-end libraries and browser-test tools, from the committed lockfile.
# The optional packages are pdfjs-dist's canvas for Node.js, which the
# browser does not use.
$(PICO_CSS) $(CHART_JS) $(SORTABLE_JS) $(PDFJS) $(PDFJS_WORKER) \
    node_modules/.package-lock.json &: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error --omit=optional
	@touch node_modules/.package-lock.json

# Unit tests of the pure modules (cmocka), with the sanitizers.
build/tests/%: tests/%.c $(call obj,san,$(SHARED_SRC) $(GEN_SHARED))
	@mkdir -p $(dir $@)
	$(say) CC $@
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) -Itests -o $@ $^ $(LIBS) -lcmocka

deps-run:
	@sh scripts/deps.sh run

deps-test:
	@sh scripts/deps.sh test

deps-lint:
	@sh scripts/deps.sh lint

deps-bench:
	@sh scripts/deps.sh bench

deps-security:
	@sh scripts/deps.sh security

run: deps-run
	@$(MAKE) --no-print-directory all
	@scripts/render-conf.sh conf/dev.conf > build/dev.conf
	@echo "Serving on http://127.0.0.1:$(PORT) (data in $(DATA_DIR)); Ctrl-C stops."
	exec env SENDMAIL="$${SENDMAIL:-none}" stdbuf -oL -eL \
	    kore -f -n -r -c build/dev.conf

# Builds and tests on every processor (JOBS); tests/run.sh says what runs
# side by side.
JOBS		?= $(shell nproc 2>/dev/null || echo 1)

test: deps-test
	@$(MAKE) --no-print-directory -j$(JOBS) all san fuzz-build \
	    node_modules/.package-lock.json
	@JOBS=$(JOBS) sh tests/run.sh

lint: deps-lint $(GEN)
	@sh scripts/lint.sh

# The aggregation benches: pure C against src/core/aggregate.c, release flags.
build/bench/decision build/bench/scale build/bench/calibration: build/bench/%: build/rel/bench/%.o \
    build/rel/src/core/aggregate.o build/rel/src/core/uncertainty.o \
    build/rel/src/core/rng.o
	@mkdir -p $(dir $@)
	$(say) CC $@
	$(Q)$(CC) -o $@ $^ -lm

# One table, each figure against its baseline in the same run
# (bench/suite.sh); bench/applications.sh, decision.sh and scale.sh give
# more detail on their own.
bench: deps-bench
	@$(MAKE) --no-print-directory all
	@sh bench/suite.sh

# Injection and TLS scans against the release build (scripts/security.sh).
security: deps-security
	@$(MAKE) --no-print-directory all
	@sh scripts/security.sh

# Production layout (README, "Deploying"): the module, fellowctl and the
# configuration under $(PREFIX); conf/kore.conf rendered for DATA_DIR
# (default /var/lib/fellowship here) and PORT.
install: all
	install -d $(PREFIX)/lib $(PREFIX)/bin $(PREFIX)/conf
	install -m 0644 build/fellowship.so $(PREFIX)/lib/fellowship.so
	install -m 0755 build/fellowctl $(PREFIX)/bin/fellowctl
	install -m 0755 build/fellow-pdfcheck $(PREFIX)/lib/fellow-pdfcheck
	install -m 0644 conf/common.conf conf/routes.conf $(PREFIX)/conf/
	PREFIX=$(PREFIX) DATA_DIR=$(INSTALL_DATA_DIR) \
	    scripts/render-conf.sh conf/prod.conf > $(PREFIX)/conf/kore.conf

include fuzz/fuzz.mk

clean:
	rm -rf build
