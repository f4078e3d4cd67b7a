# qujat — one plain Makefile.  make | make check | make demo | make bench | make install
#   BUILD=debug|release   SANITIZE=1 (ASan+UBSan)   WERROR=1 (CI)   V=1 (full commands)
#   PREFIX=/usr/local DESTDIR=   (make install / make uninstall)
# CPPFLAGS, CFLAGS and LDFLAGS from the environment or the command line are
# added after qujat's own flags, so they win.
#
# Every build has its own directory: build/debug, build/release, build/san
# (SANITIZE=1, a debug build). build/qujat is a link to build/debug/qujat,
# the binary `make` builds and README's examples run.
#
# Where the data is: the binary looks in one compiled-in directory
# (QJ_DATADIR, in src/base/datadir.c only) unless $QUJAT_HOME is set, and
# never in the current directory. The binaries under build/*/ are compiled
# with this source tree as that directory, so they work from anywhere while
# the tree is where it was built. `make install` links a separate binary,
# build/release/install/qujat, from the same objects plus datadir.c
# compiled once more with $(PREFIX)/share/qujat, so installing never changes
# what the in-tree binary reads and the installed one never reads the tree.
ifeq ($(origin BUILD),undefined)
BUILD := $(if $(filter install,$(MAKECMDGOALS)),release,debug)
endif
SANITIZE ?= 0
WERROR   ?= 0
V        ?= 0

PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR   := $(PREFIX)/bin
DATADIR  := $(PREFIX)/share/qujat
MANDIR   := $(PREFIX)/share/man/man1

PKGS   := libxml-2.0 icu-uc icu-i18n harfbuzz harfbuzz-subset libzip libcrypto libqrencode
CC     ?= cc
WARN   := -Wall -Wextra -Wpedantic -Wshadow -Wpointer-arith -Wcast-align \
          -Wwrite-strings -Wstrict-prototypes -Wmissing-prototypes \
          -Wmissing-declarations -Wredundant-decls -Wnested-externs \
          -Wformat=2 -Wundef -Wold-style-definition -Wvla -Wdouble-promotion \
          -Wno-unused-parameter -Wno-overlength-strings
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifeq ($(BUILD),release)
OPT := -O2 -DNDEBUG
else
OPT := -O0 -g
endif
BDIR := build/$(BUILD)
ifeq ($(SANITIZE),1)
OPT  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDSAN := -fsanitize=address,undefined
BDIR := build/san
endif

# Quiet rules: "  CC  src/x.c"; V=1 prints the commands themselves.
ifeq ($(V),1)
Q   :=
say  =
else
Q   := @
say  = @printf '  %-5s %s\n' '$(1)' '$(2)';
endif

PKGCFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKGLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
QJ_CPPFLAGS := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(PKGCFLAGS) -Isrc
QJ_CFLAGS   := -std=c11 $(WARN) $(OPT) -MMD -MP
ALL_CFLAGS   = $(QJ_CPPFLAGS) $(CPPFLAGS) $(QJ_CFLAGS) $(CFLAGS)
ALL_LDFLAGS  = $(LDSAN) $(LDFLAGS)
LIBS        := $(PKGLIBS) -lhyphen -lhpdf -lpng -lz -lm $(LDLIBS)

LIB_SRC  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BDIR)/obj/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(BDIR)/tests/%)
BENCH_SRC:= $(wildcard bench/bench_*.c)
BENCHES  := $(BENCH_SRC:bench/%.c=$(BDIR)/bench/%)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:fuzz/%.c=$(BDIR)/fuzz/%)

# What make install copies under $(DATADIR), relative to the source tree;
# make uninstall removes exactly these, then the directories it made.
DATA_FILES := $(wildcard templates/*.xml templates/*.rng templates/i18n/*.xml) \
              $(wildcard standards/[0-9]*.xml) standards/standard.rng \
              records/client-record.rng \
              fonts/fonts.xml $(wildcard fonts/*.ttf fonts/LICENSE-*) \
              $(wildcard hyphen/*.dic)
DATA_DIRS  := templates/i18n templates standards records fonts hyphen
INST_BIN   := $(BDIR)/install/qujat

.PHONY: all deps check demo bench clean tests fuzz valgrind install uninstall test-install FORCE
# build/qujat (the link to the debug binary) comes with every debug build
LINK_QUJAT := $(if $(filter build/debug,$(BDIR)),build/qujat)
all: $(BDIR)/qujat $(LINK_QUJAT)

deps:
	@./scripts/deps.sh

ifeq ($(BDIR),build/debug)
build/qujat: build/debug/qujat
	@ln -sfn debug/qujat $@
endif

$(BDIR)/libqujat.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	$(call say,AR,$@)$(AR) rcs $@ $^

$(BDIR)/qujat: $(BDIR)/obj/src/cli/main.o $(BDIR)/libqujat.a
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# The data directory is compiled into datadir.o only; a stamp file holding
# its value rebuilds it when the value changes (a moved tree, another PREFIX).
$(BDIR)/datadir.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(CURDIR)' | cmp -s - $@ || echo '$(CURDIR)' >$@
$(BDIR)/obj/src/base/datadir.o: $(BDIR)/datadir.stamp
$(BDIR)/obj/src/base/datadir.o: QJ_DATADIR_DEF = -DQJ_DATADIR='"$(CURDIR)"'

$(BDIR)/install/datadir.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@
$(BDIR)/install/datadir.o: src/base/datadir.c $(BDIR)/install/datadir.stamp
	$(call say,CC,$< [$(DATADIR)])$(CC) $(ALL_CFLAGS) -DQJ_DATADIR='"$(DATADIR)"' -c -o $@ $<
# datadir.o before the library: the linker then never takes the library's
# own datadir.o (an archive member is only pulled for undefined symbols).
$(INST_BIN): $(BDIR)/obj/src/cli/main.o $(BDIR)/install/datadir.o $(BDIR)/libqujat.a
	$(call say,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BDIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) $(QJ_DATADIR_DEF) -c -o $@ $<

$(BDIR)/tests/%: tests/%.c tests/qjtest.h $(BDIR)/libqujat.a
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(BDIR)/libqujat.a $(ALL_LDFLAGS) $(LIBS) -lcmocka

$(BDIR)/bench/%: bench/%.c $(BDIR)/libqujat.a
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -o $@ $< $(BDIR)/libqujat.a $(ALL_LDFLAGS) $(LIBS)

# the floor of bench_batch: libharu and libxml2 alone, no qujat
$(BDIR)/bench/floor: bench/floor.c
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -o $@ $< $(ALL_LDFLAGS) $(PKGLIBS) -lhpdf -lpng -lz -lm

$(BDIR)/fuzz/%: fuzz/%.c fuzz/replay.c $(BDIR)/libqujat.a
	@mkdir -p $(@D)
	$(call say,CC,$<)$(CC) $(ALL_CFLAGS) -o $@ $< fuzz/replay.c $(BDIR)/libqujat.a $(ALL_LDFLAGS) $(LIBS)

tests: $(TESTS) $(FUZZ_REPLAY) $(BDIR)/qujat $(LINK_QUJAT)

# The suite runs twice: under C.UTF-8 and again under a Russian locale; the
# install test (scripts/test-install.sh) runs once, counted in the summary.
check: deps
	@$(MAKE) --no-print-directory tests
	@QUJAT_BIN=$(BDIR)/qujat QJT_MAKE_ARGS="BUILD=$(BUILD) SANITIZE=$(SANITIZE) WERROR=$(WERROR)" \
	  ./scripts/run-tests.sh $(BDIR)

# The install test alone, for the build chosen by BUILD/SANITIZE.
test-install: deps
	@$(MAKE) --no-print-directory $(BDIR)/qujat
	@QJT_MAKE_ARGS="BUILD=$(BUILD) SANITIZE=$(SANITIZE) WERROR=$(WERROR)" ./scripts/test-install.sh

demo: deps
	@$(MAKE) --no-print-directory BUILD=release SANITIZE=0 build/release/qujat
	@./scripts/demo.sh build/release/qujat

bench: deps
	@$(MAKE) --no-print-directory BUILD=release SANITIZE=0 \
	  $(BENCH_SRC:bench/%.c=build/release/bench/%) build/release/bench/floor build/release/qujat
	@for b in $(BENCH_SRC:bench/%.c=build/release/bench/%); do \
	  echo "== $$b"; $$b build/release/qujat build/release/bench/floor || exit 1; done

# make install: the release build unless BUILD is given. docs/qujat.1 is the
# man page.
install: $(INST_BIN)
	$(call say,INST,$(DESTDIR)$(BINDIR)/qujat)install -d '$(DESTDIR)$(BINDIR)'
	$(Q)install -m 755 $(INST_BIN) '$(DESTDIR)$(BINDIR)/qujat'
	$(call say,INST,$(DESTDIR)$(DATADIR)/)for d in $(DATA_DIRS); do \
	  install -d "$(DESTDIR)$(DATADIR)/$$d" || exit 1; done
	$(Q)for f in $(DATA_FILES); do \
	  install -m 644 "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; done
	$(call say,INST,$(DESTDIR)$(MANDIR)/qujat.1)install -d '$(DESTDIR)$(MANDIR)'
	$(Q)install -m 644 docs/qujat.1 '$(DESTDIR)$(MANDIR)/qujat.1'

uninstall:
	$(call say,RM,$(DESTDIR)$(BINDIR)/qujat)rm -f '$(DESTDIR)$(BINDIR)/qujat'
	$(call say,RM,$(DESTDIR)$(MANDIR)/qujat.1)rm -f '$(DESTDIR)$(MANDIR)/qujat.1'
	$(call say,RM,$(DESTDIR)$(DATADIR)/)for f in $(DATA_FILES); do \
	  rm -f "$(DESTDIR)$(DATADIR)/$$f" || exit 1; done
	$(Q)for d in $(DATA_DIRS:%=$(DESTDIR)$(DATADIR)/%) '$(DESTDIR)$(DATADIR)'; do \
	  if [ -d "$$d" ]; then rmdir "$$d" || exit 1; fi; done

clean:
	rm -rf build out

-include $(shell find $(BDIR) -name '*.d' 2>/dev/null)

# memcheck (valgrind) over a certificate batch, a card, a plan, a validate
# and an import with the debug binary: no error, no definite leak
# (scripts/valgrind.sh, suppressions in scripts/valgrind.supp). CI runs it.
valgrind: deps
	@$(MAKE) --no-print-directory BUILD=debug SANITIZE=0 build/debug/qujat
	@./scripts/valgrind.sh build/debug/qujat

# Coverage-guided fuzzing with libFuzzer (clang, installed by deps.sh fuzz):
# make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS ?= 60
fuzz:
	@./scripts/deps.sh fuzz
	@mkdir -p build/libfuzzer
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 $(QJ_CPPFLAGS) \
	    -DQJ_DATADIR='"$(CURDIR)"' $$f $(LIB_SRC) -o build/libfuzzer/$$n \
	    $(PKGLIBS) -lhyphen -lhpdf -lpng -lz -lm || exit 1; \
	  mkdir -p build/libfuzzer/corpus-$$n; \
	  echo "== $$n ($(FUZZ_SECONDS)s)"; \
	  build/libfuzzer/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    build/libfuzzer/corpus-$$n fuzz/corpus/$$n 2>&1 | tail -3 || exit 1; \
	done
