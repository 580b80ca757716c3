# Builds libtinydtls (shared and static) from the Go sources, the public
# header tree, tinydtls.pc and the C example programs, and runs every test.
#
#   make            build everything into build/
#   make demo       PSK handshake and echo between the example programs
#   make test       all tests (Go, C ABI, loopback, interop, consumers)
#   make install    PREFIX=/usr/local DESTDIR=
#   make bench      benchmarks (see BENCHMARKS.md)

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
BUILD      := $(CURDIR)/build
LIBOUT     := $(BUILD)/lib
INCOUT     := $(BUILD)/include
BINOUT     := $(BUILD)/bin

SONAME     := libtinydtls.so.$(SOVERSION)
SOFILE     := libtinydtls.so.$(VERSION)
# What the Go runtime needs when libtinydtls.a is linked statically.
LIBS_PRIVATE := -lpthread -lm

GOSRC      := $(shell find core capi -name '*.go' -not -name '*_test.go') $(wildcard capi/*.c capi/*.h) go.mod go.sum
HEADERS    := $(shell find include/tinydtls -name '*.h')

export CGO_ENABLED := 1

.PHONY: all lib headers pc examples tools check-tools test-fuzz fuzz test-bench demo test test-go test-c install uninstall clean bench fuzz vet

all: lib headers pc examples

lib: $(LIBOUT)/$(SOFILE) $(LIBOUT)/libtinydtls.a

$(LIBOUT)/$(SOFILE): $(GOSRC) $(HEADERS)
	@mkdir -p $(LIBOUT)
	$(GO) build -trimpath -buildmode=c-shared \
	  -ldflags '-extldflags "-Wl,-soname,$(SONAME)"' -o $@ ./capi
	@rm -f $(LIBOUT)/$(basename $(SOFILE)).h
	ln -sf $(SOFILE) $(LIBOUT)/$(SONAME)
	ln -sf $(SONAME) $(LIBOUT)/libtinydtls.so

$(LIBOUT)/libtinydtls.a: $(GOSRC) $(HEADERS)
	@mkdir -p $(LIBOUT)
	$(GO) build -trimpath -buildmode=c-archive -o $@ ./capi
	@rm -f $(LIBOUT)/libtinydtls.h

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

vet:
	@test -z "$$(gofmt -l core capi)" || { gofmt -l core capi; echo "gofmt needed"; exit 1; }
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
