# qujat — one plain Makefile.  make | make check | make demo | make bench
#   BUILD=debug|release   SANITIZE=1 (ASan+UBSan)   WERROR=1 (CI)
BUILD    ?= debug
SANITIZE ?= 0
WERROR   ?= 0

PKGS   := libxml-2.0 icu-uc icu-i18n harfbuzz harfbuzz-subset
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
BDIR := build
ifeq ($(SANITIZE),1)
OPT  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDSAN := -fsanitize=address,undefined
BDIR := build/san
endif
PKGCFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKGLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(OPT) \
           $(PKGCFLAGS) -Isrc -MMD -MP
LDLIBS  += $(PKGLIBS) -lhyphen -lhpdf -lpng -lz -lm
LDFLAGS += $(LDSAN)

LIB_SRC  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BDIR)/obj/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(BDIR)/tests/%)
BENCH_SRC:= $(wildcard bench/bench_*.c)
BENCHES  := $(BENCH_SRC:bench/%.c=$(BDIR)/bench/%)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRC:fuzz/%.c=$(BDIR)/fuzz/%)

.PHONY: all deps check demo bench clean tests fuzz
all: $(BDIR)/qujat

deps:
	@./scripts/deps.sh

$(BDIR)/libqujat.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(BDIR)/qujat: $(BDIR)/obj/src/cli/main.o $(BDIR)/libqujat.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)
ifneq ($(BDIR),build)
	@mkdir -p build && cp $@ build/qujat-san
endif

$(BDIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BDIR)/tests/%: tests/%.c tests/qjtest.h $(BDIR)/libqujat.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(BDIR)/libqujat.a $(LDFLAGS) $(LDLIBS) -lcmocka

$(BDIR)/bench/%: bench/%.c $(BDIR)/libqujat.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(BDIR)/libqujat.a $(LDFLAGS) $(LDLIBS)

$(BDIR)/fuzz/%: fuzz/%.c fuzz/replay.c $(BDIR)/libqujat.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< fuzz/replay.c $(BDIR)/libqujat.a $(LDFLAGS) $(LDLIBS)

tests: $(TESTS) $(FUZZ_REPLAY) $(BDIR)/qujat

# The suite runs twice: under C.UTF-8 and again under a Russian locale.
check: deps
	@$(MAKE) --no-print-directory tests
	@QUJAT_BIN=$(BDIR)/qujat ./scripts/run-tests.sh $(BDIR)

demo: deps
	@$(MAKE) --no-print-directory BUILD=release $(BDIR)/qujat
	@./scripts/demo.sh $(BDIR)/qujat

bench: deps
	@$(MAKE) --no-print-directory BUILD=release $(BENCHES) $(BDIR)/qujat
	@for b in $(BENCHES); do echo "== $$b"; $$b || exit 1; done

clean:
	rm -rf build out

-include $(shell find $(BDIR)/obj -name '*.d' 2>/dev/null)

# Coverage-guided fuzzing with libFuzzer (clang): make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS ?= 60
fuzz: deps
	@mkdir -p build/libfuzzer
	@for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_POSIX_C_SOURCE=200809L \
	    -D_DEFAULT_SOURCE -Isrc $(PKGCFLAGS) $$f $(LIB_SRC) -o build/libfuzzer/$$n \
	    $(PKGLIBS) -lhyphen -lhpdf -lpng -lz -lm || exit 1; \
	  mkdir -p build/libfuzzer/corpus-$$n; \
	  echo "== $$n ($(FUZZ_SECONDS)s)"; \
	  build/libfuzzer/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    build/libfuzzer/corpus-$$n fuzz/corpus/$$n 2>&1 | tail -3 || exit 1; \
	done
