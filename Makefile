# Builds libtinydtls (shared and static) from the Go sources, the public
# header tree, tinydtls.pc and the C example programs, and runs every test.
#
#   make            build everything into build/
#   make demo       PSK handshake and echo between the example programs
#   make test       all tests (Go, C ABI, loopback, interop, consumers)
#   make install    PREFIX=/usr/local DESTDIR=
#   make install-debug   the libraries' separate debug information
#   make bench      benchmarks (see BENCHMARKS.md)
#
# The shared library is two files: libtinydtls.so, a small C front that
# exports the C API (capi/front), and libtinydtls-engine.so.VERSION, the Go
# engine (capi/, core/), which the front loads from its own directory on
# the first call that needs it. libtinydtls.a holds both, with the Go
# runtime's start moved from an ELF constructor to that first call. Both
# installed .so files are stripped; their debug information is in
# $(BUILD)/lib/.debug (make install-debug). See docs/inside-your-process.md.

VERSION    := 0.8.6
SOVERSION  := 0
PREFIX     ?= /usr/local
DESTDIR    ?=
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include

GO         ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
CC         ?= cc
CFLAGS     ?= -O2 -g
WARN       := -Wall -Wextra -Werror
# BUILD may come from the environment: the C tests run `make install` on
# the build tree under test.
BUILD      ?= $(CURDIR)/build
LIBOUT     := $(BUILD)/lib
INCOUT     := $(BUILD)/include
BINOUT     := $(BUILD)/bin

SONAME     := libtinydtls.so.$(SOVERSION)
SOFILE     := libtinydtls.so.$(VERSION)
# The engine's file name carries the full version: a front loads only the
# engine of its own build.
ENGINE     := libtinydtls-engine.so.$(VERSION)
OBJOUT     := $(BUILD)/obj
DEBUGOUT   := $(LIBOUT)/.debug
# What the Go runtime needs when libtinydtls.a is linked statically.
LIBS_PRIVATE := -lpthread -lm

OBJCOPY    ?= objcopy

GOSRC      := $(shell find core capi \( -name '*.go' -not -name '*_test.go' \) -o -name '*.s') \
              $(wildcard capi/*.c capi/*.h capi/*.def capi/*.map) go.mod go.sum
FRONTSRC   := capi/front/front.c capi/log.c capi/objects.c capi/capi.h \
              capi/engine_ops.h capi/forward.def capi/front/libtinydtls.map
HEADERS    := $(shell find include/tinydtls -name '*.h')

export CGO_ENABLED := 1

.PHONY: all lib headers pc examples tools check-tools test-fuzz fuzz test-bench demo test test-go test-c install install-debug uninstall clean bench fuzz vet

all: lib headers pc examples

lib: $(LIBOUT)/$(SOFILE) $(LIBOUT)/$(ENGINE) $(LIBOUT)/libtinydtls.a

# capi/mklib.sh does the work (CMakeLists.txt calls it too). The stripped
# libraries get a .gnu_debuglink to their debug information in
# $(DEBUGOUT), where gdb and valgrind find it (and in LIBDIR/.debug once
# installed with make install-debug).
MKLIB := GO=$(GO) CC=$(CC) CFLAGS='$(CFLAGS)' OBJCOPY=$(OBJCOPY) SOVERSION=$(SOVERSION) bash capi/mklib.sh

$(OBJOUT)/$(ENGINE): $(GOSRC) $(HEADERS) capi/mklib.sh
	$(MKLIB) engine $@ $(VERSION)

$(LIBOUT)/$(ENGINE): $(OBJOUT)/$(ENGINE)
	$(MKLIB) split $< $@ $(DEBUGOUT)

$(OBJOUT)/$(SOFILE): $(FRONTSRC) $(HEADERS) capi/mklib.sh
	$(MKLIB) front $@ $(VERSION)

$(LIBOUT)/$(SOFILE): $(OBJOUT)/$(SOFILE)
	$(MKLIB) split $< $@ $(DEBUGOUT)
	ln -sf $(SOFILE) $(LIBOUT)/$(SONAME)
	ln -sf $(SONAME) $(LIBOUT)/libtinydtls.so

$(LIBOUT)/libtinydtls.a: $(GOSRC) $(FRONTSRC) $(HEADERS) capi/mklib.sh
	$(MKLIB) archive $@ $(VERSION) $(OBJOUT)

headers: $(HEADERS)
	@rm -rf $(INCOUT)/tinydtls
	@mkdir -p $(INCOUT)
	cp -R include/tinydtls $(INCOUT)/tinydtls

pc: $(LIBOUT)/pkgconfig/tinydtls.pc

$(LIBOUT)/pkgconfig/tinydtls.pc: pkgconfig/tinydtls.pc.in Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(BUILD)|g' -e 's|@LIBDIR@|$${exec_prefix}/lib|g' \
	    -e 's|@INCLUDEDIR@|$${prefix}/include|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@LIBS_PRIVATE@|$(LIBS_PRIVATE)|g' -e '/^#/d' $< > $@

# The example programs, linked once against the shared library (with an
# rpath into build/lib) and once statically against the archive.
EXAMPLES := dtls-server dtls-client
EXAMPLE_CFLAGS := $(CFLAGS) $(WARN) -I$(INCOUT)/tinydtls

examples: $(addprefix $(BINOUT)/,$(EXAMPLES)) $(addprefix $(BINOUT)/,$(addsuffix -static,$(EXAMPLES)))

$(BINOUT)/%: ctests/%.c ctests/dtls_ciphers_util.c ctests/dtls_ciphers_util.h lib headers
	@mkdir -p $(BINOUT)
	$(CC) $(EXAMPLE_CFLAGS) -o $@ $< ctests/dtls_ciphers_util.c -L$(LIBOUT) -Wl,-rpath,$(LIBOUT) -ltinydtls

$(BINOUT)/%-static: ctests/%.c ctests/dtls_ciphers_util.c ctests/dtls_ciphers_util.h lib headers
	@mkdir -p $(BINOUT)
	$(CC) $(EXAMPLE_CFLAGS) -o $@ $< ctests/dtls_ciphers_util.c $(LIBOUT)/libtinydtls.a $(LIBS_PRIVATE)

# Test tools and the ABI test (which needs no library).
TOOLS := $(BINOUT)/freeport $(BINOUT)/abi_test
tools: $(TOOLS)

$(BINOUT)/freeport: ctests/tools/freeport.c
	@mkdir -p $(BINOUT)
	$(CC) $(CFLAGS) $(WARN) -o $@ $<

$(BINOUT)/abi_test: $(wildcard ctests/abi/*.c ctests/abi/*.h ctests/abi/*.inc) $(HEADERS)
	@mkdir -p $(BINOUT)
	$(CC) $(CFLAGS) $(WARN) -Iinclude -Iinclude/tinydtls -o $@ $(wildcard ctests/abi/*.c)

demo: all tools
	bash ctests/demo.sh $(BINOUT)

# Every Go export starts with stackroom.Reserve() (room for application
# signal handlers on the goroutine stack; see capi/stackroom).
vet:
	@test -z "$$(gofmt -l core capi)" || { gofmt -l core capi; echo "gofmt needed"; exit 1; }
	@awk '/^\/\/export / { name = $$2; want = 2; next } \
	      want == 2 { want = ($$0 ~ /^func / && $$0 ~ /\{$$/) ? 1 : 0; next } \
	      want == 1 { if ($$0 != "\tstackroom.Reserve()") { print FILENAME ": export " name " does not start with stackroom.Reserve()"; bad = 1 } want = 0 } \
	      END { exit bad }' capi/*.go
	$(GO) vet ./...

test-go: vet
	$(GO) test -count=1 ./core/...

# Every Go fuzzer for 20000 inputs (make test), or for FUZZTIME each.
FUZZTIME ?= 10m
test-fuzz:
	GO=$(GO) bash ctests/fuzz.sh 20000x

fuzz:
	GO=$(GO) bash ctests/fuzz.sh $(FUZZTIME)

test-c: all tools
	bash ctests/run-tests.sh $(BUILD)

# Every program the tests use must be there before anything starts.
check-tools:
	@bash ctests/check-tools.sh

test: check-tools
	$(MAKE) test-go test-fuzz test-c test-bench

# Directories in the installed .pc, relative to ${prefix} where they can be,
# so that the file stays right when the tree is moved (or staged in DESTDIR).
PC_LIBDIR     = $(patsubst $(PREFIX)%,$${prefix}%,$(LIBDIR))
PC_INCLUDEDIR = $(patsubst $(PREFIX)%,$${prefix}%,$(INCLUDEDIR))

install: all
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)
	install -m 0755 $(LIBOUT)/$(SOFILE) $(DESTDIR)$(LIBDIR)/$(SOFILE)
	install -m 0755 $(LIBOUT)/$(ENGINE) $(DESTDIR)$(LIBDIR)/$(ENGINE)
	ln -sf $(SOFILE) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libtinydtls.so
	install -m 0644 $(LIBOUT)/libtinydtls.a $(DESTDIR)$(LIBDIR)/libtinydtls.a
	rm -rf $(DESTDIR)$(INCLUDEDIR)/tinydtls
	cp -R include/tinydtls $(DESTDIR)$(INCLUDEDIR)/tinydtls
	find $(DESTDIR)$(INCLUDEDIR)/tinydtls -type d -exec chmod 0755 {} + ; \
	  find $(DESTDIR)$(INCLUDEDIR)/tinydtls -type f -exec chmod 0644 {} +
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(PC_LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(PC_INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@LIBS_PRIVATE@|$(LIBS_PRIVATE)|g' -e '/^#/d' pkgconfig/tinydtls.pc.in \
	    > $(DESTDIR)$(LIBDIR)/pkgconfig/tinydtls.pc

# The debug information of both shared libraries, where gdb and valgrind
# look for it (the .gnu_debuglink of each file names it).
install-debug: lib
	install -d $(DESTDIR)$(LIBDIR)/.debug
	install -m 0644 $(DEBUGOUT)/$(SOFILE).debug $(DEBUGOUT)/$(ENGINE).debug $(DESTDIR)$(LIBDIR)/.debug/

# Benchmarks against OpenSSL (bench/, results in BENCHMARKS.md); make test
# runs a few iterations of each to check that they build and run.
bench: all
	BUILD=$(BUILD) CC=$(CC) GO=$(GO) sh bench/run.sh

test-bench: all
	BUILD=$(BUILD) CC=$(CC) GO=$(GO) sh bench/run.sh --quick
	BUILD=$(BUILD) CC=$(CC) sh bench/repro/run.sh

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(SOFILE) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	  $(DESTDIR)$(LIBDIR)/libtinydtls.so $(DESTDIR)$(LIBDIR)/libtinydtls.a \
	  $(DESTDIR)$(LIBDIR)/$(ENGINE) $(DESTDIR)$(LIBDIR)/.debug/$(SOFILE).debug \
	  $(DESTDIR)$(LIBDIR)/.debug/$(ENGINE).debug \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/tinydtls.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/tinydtls

# The API reference from the Doxygen comments of the installed headers:
# HTML in $(BUILD)/docs/html. Any doxygen warning (an undocumented function,
# parameter, return value, field or constant among them) fails it.
.PHONY: docs
docs: docs/Doxyfile docs/mainpage.md $(HEADERS)
	@command -v doxygen >/dev/null || { echo "make docs needs doxygen (Debian package: doxygen)" >&2; exit 1; }
	@rm -rf $(BUILD)/docs/html && mkdir -p $(BUILD)/docs
	( cat docs/Doxyfile; echo 'OUTPUT_DIRECTORY = $(BUILD)/docs' ) | doxygen -
	@echo "API reference: $(BUILD)/docs/html/index.html"

clean:
	rm -rf $(BUILD)
