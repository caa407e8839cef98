# libFuzzer targets for the parsers the product owns (README, "Fuzzing").
# Included from the Makefile.
#
#   make fuzz-build     build every target into build/fuzz/
#   make fuzz           run each target for FUZZ_SECONDS (120) seconds,
#                       from its seed corpus; new inputs are kept in
#                       build/fuzz/corpus/<target>, crashes in
#                       build/fuzz/crashes/<target>
#
# The product's code is compiled again with clang for these builds, with
# the same warnings (errors included) and AddressSanitizer,
# UndefinedBehaviorSanitizer and libFuzzer's coverage.

FUZZ_CC		?= clang
FUZZ_SECONDS	?= 120
FUZZ_TARGETS	= $(basename $(notdir $(wildcard fuzz/*.c)))
FUZZ_BIN	= $(addprefix build/fuzz/,$(FUZZ_TARGETS))
FUZZ_SAN	= -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS	= -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)
FUZZ_OBJ	= $(patsubst %.c,build/fuzz/obj/%.o,$(SHARED_SRC) $(GEN_SHARED))

.PHONY: fuzz fuzz-build

fuzz-build: $(FUZZ_BIN)

build/fuzz/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(say) CLANG $@
	$(Q)$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_CFLAGS) \
	    -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/libfellow.a: $(FUZZ_OBJ)
	$(say) AR $@
	$(Q)rm -f $@ && ar rcs $@ $^

build/fuzz/%: fuzz/%.c $(wildcard fuzz/*.h) tests/lib/tempdb.h \
    build/fuzz/libfellow.a $(HEADERS)
	@mkdir -p $(dir $@)
	$(say) CLANG $@
	$(Q)$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	    -Ifuzz -Itests -o $@ $< build/fuzz/libfellow.a $(LIBS)

fuzz: deps-test
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh fuzz/run.sh long $(FUZZ_TARGETS)
