# SPDX-License-Identifier: BSD-3-Clause
# Builds libtinydtls (shared and static) from the Go sources, the public
# header tree, tinydtls.pc and the C example programs, and runs every test.
#
#   make            build everything into build/ (nothing, when nothing changed)
#   make demo       PSK handshake and echo between the example programs
#   make test       all tests (Go, C ABI, loopback, interop, consumers)
#   make install    PREFIX=/usr/local DESTDIR= LIBDIR= INCLUDEDIR=: the
#                   libraries, headers, tinydtls.pc and the CMake package
#   make install-debug   the libraries' separate debug information
#   make uninstall  the same variables: removes every file install and
#                   install-debug put there, then those of our directories
#                   that are left empty (never LIBDIR or INCLUDEDIR)
#   make bench      benchmarks (see BENCHMARKS.md)
#   make docs       the API reference (Doxygen)
#
# Versions come from VERSION, the other build facts shared with
# CMakeLists.txt from build.conf; capi/mklib.sh builds the libraries for
# both. The shared library is two files: libtinydtls.so, a small C front
# that exports the C API (capi/front), and libtinydtls-engine.so.VERSION,
# the Go engine (capi/, core/), which the front loads from its own
# directory on the first call that needs it. libtinydtls.a holds both, with
# the Go runtime's start moved from an ELF constructor to that first call.
# Both installed .so files are stripped; their debug information is in
# $(BUILD)/lib/.debug (make install-debug). See README "Inside your process".

include VERSION
include build.conf

# File names and everything consumers compare carry the API version
# (TINYDTLS_API_VERSION); tinydtls_go_version(), TINYDTLS_GO_VERSION, the
# first log line of a context and tinydtls.pc's tinydtls_go_version
# variable carry the project's own.
VERSION    := $(TINYDTLS_API_VERSION)
SOVERSION  := $(TINYDTLS_SOVERSION)
PREFIX     ?= /usr/local
DESTDIR    ?=
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include

GO         ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
CC         ?= cc
CFLAGS     ?= -O2 -g
WARN       := $(TINYDTLS_WARN_CFLAGS)
# BUILD may come from the environment: the C tests run `make install` on
# the build tree under test.
BUILD      ?= $(CURDIR)/build
LIBOUT     := $(BUILD)/lib
INCOUT     := $(BUILD)/include
BINOUT     := $(BUILD)/bin

SONAME     := libtinydtls.so.$(SOVERSION)
SOFILE     := libtinydtls.so.$(VERSION)
# The engine's file name carries the version too: a front loads only the
# engine of its own build (and checks its interface).
ENGINE     := libtinydtls-engine.so.$(VERSION)
OBJOUT     := $(BUILD)/obj
DEBUGOUT   := $(LIBOUT)/.debug
LIBS_PRIVATE := $(TINYDTLS_LIBS_PRIVATE)

OBJCOPY    ?= objcopy

GOSRC      := $(shell find core capi \( -name '*.go' -not -name '*_test.go' \) -o -name '*.s') \
              $(wildcard capi/*.c capi/*.h capi/*.def capi/*.map) go.mod go.sum
FRONTSRC   := capi/front/front.c capi/log.c capi/objects.c capi/capi.h \
              capi/engine_ops.h capi/forward.def capi/front/libtinydtls.map
# The header tree: include/tinydtls in the source, $(INCOUT)/tinydtls in the
# build, where the versions of VERSION are filled in (the source headers
# carry @TINYDTLS_GO_VERSION@ and @TINYDTLS_API_VERSION@ in their place,
# which compile but name no version). Everything this Makefile compiles
# against the headers, and everything it installs, uses the build tree.
HEADERS    := $(shell find include/tinydtls -name '*.h')
HEADERS_OUT := $(patsubst include/%,$(INCOUT)/%,$(HEADERS))
# What a change of these files rebuilds everything after.
BUILDFACTS := VERSION build.conf

LIBFILES   := $(LIBOUT)/$(SOFILE) $(LIBOUT)/$(ENGINE) $(LIBOUT)/libtinydtls.a
PCFILE     := $(LIBOUT)/pkgconfig/tinydtls.pc

export CGO_ENABLED := 1

.PHONY: all pc examples tools check-tools test-fuzz fuzz test-bench demo test test-go test-c install install-debug uninstall clean bench vet docs

all: lib headers pc examples

# `lib` and `headers` stand for their files without being files or phony
# targets themselves: programs that list them as prerequisites (also
# examples/examples.mk) are relinked only when one of those files changed.
.SECONDARY: lib headers
lib: $(LIBFILES)
headers: $(HEADERS_OUT)

# capi/mklib.sh does the work (CMakeLists.txt calls it too). The stripped
# libraries get a .gnu_debuglink to their debug information in
# $(DEBUGOUT), where gdb and valgrind find it (and in LIBDIR/.debug once
# installed with make install-debug).
MKLIB := GO=$(GO) CC=$(CC) CFLAGS='$(CFLAGS)' OBJCOPY=$(OBJCOPY) SOVERSION=$(SOVERSION) bash capi/mklib.sh

$(OBJOUT)/$(ENGINE): $(GOSRC) $(HEADERS) capi/mklib.sh
	$(MKLIB) engine $@ $(VERSION)

$(LIBOUT)/$(ENGINE): $(OBJOUT)/$(ENGINE)
	$(MKLIB) split $< $@ $(DEBUGOUT)

$(OBJOUT)/$(SOFILE): $(FRONTSRC) $(HEADERS_OUT) capi/mklib.sh $(BUILDFACTS)
	$(MKLIB) front $@ $(VERSION) $(INCOUT)

$(LIBOUT)/$(SOFILE): $(OBJOUT)/$(SOFILE)
	$(MKLIB) split $< $@ $(DEBUGOUT)
	ln -sf $(SOFILE) $(LIBOUT)/$(SONAME)
	ln -sf $(SONAME) $(LIBOUT)/libtinydtls.so

$(LIBOUT)/libtinydtls.a: $(GOSRC) $(FRONTSRC) $(HEADERS) $(HEADERS_OUT) capi/mklib.sh $(BUILDFACTS)
	$(MKLIB) archive $@ $(VERSION) $(OBJOUT) $(INCOUT)

# One rule per header: a copy with the versions filled in (CMake's
# configure_file(@ONLY) makes the same files; test-cmake.sh compares them).
$(INCOUT)/tinydtls/%.h: include/tinydtls/%.h VERSION
	@mkdir -p $(@D)
	@sed -e 's|@TINYDTLS_GO_VERSION@|$(TINYDTLS_GO_VERSION)|g' \
	     -e 's|@TINYDTLS_API_VERSION@|$(TINYDTLS_API_VERSION)|g' $< >$@.tmp && mv -f $@.tmp $@

# tinydtls.pc, from pkgconfig/tinydtls.pc.in: the build tree's (prefix
# $(BUILD)) and the installed one (below).
PC_SED = sed -e 's|@PREFIX@|$(1)|g' -e 's|@LIBDIR@|$(2)|g' -e 's|@INCLUDEDIR@|$(3)|g' \
	  -e 's|@TINYDTLS_API_VERSION@|$(TINYDTLS_API_VERSION)|g' \
	  -e 's|@TINYDTLS_GO_VERSION@|$(TINYDTLS_GO_VERSION)|g' \
	  -e 's|@LIBS_PRIVATE@|$(LIBS_PRIVATE)|g' -e '/^\#/d' pkgconfig/tinydtls.pc.in

pc: $(PCFILE)

$(PCFILE): pkgconfig/tinydtls.pc.in $(BUILDFACTS)
	@mkdir -p $(dir $@)
	$(call PC_SED,$(BUILD),$${exec_prefix}/lib,$${prefix}/include) > $@

# The example programs, linked once against the shared library (with an
# rpath into build/lib) and once statically against the archive.
EXAMPLES := dtls-server dtls-client
EXAMPLE_CFLAGS := $(CFLAGS) $(WARN) -I$(INCOUT)/tinydtls
EXAMPLE_DEPS := ctests/dtls_ciphers_util.c ctests/dtls_ciphers_util.h $(HEADERS_OUT)

examples: $(addprefix $(BINOUT)/,$(EXAMPLES)) $(addprefix $(BINOUT)/,$(addsuffix -static,$(EXAMPLES)))

$(BINOUT)/%: ctests/%.c $(EXAMPLE_DEPS) $(LIBOUT)/$(SOFILE)
	@mkdir -p $(BINOUT)
	$(CC) $(EXAMPLE_CFLAGS) -o $@ $< ctests/dtls_ciphers_util.c -L$(LIBOUT) -Wl,-rpath,$(LIBOUT) -ltinydtls

$(BINOUT)/%-static: ctests/%.c $(EXAMPLE_DEPS) $(LIBOUT)/libtinydtls.a
	@mkdir -p $(BINOUT)
	$(CC) $(EXAMPLE_CFLAGS) -o $@ $< ctests/dtls_ciphers_util.c $(LIBOUT)/libtinydtls.a $(LIBS_PRIVATE)

# examples/psk-server and examples/psk-client (examples/README.md).
include examples/examples.mk

# Test tools and the ABI test (which needs no library; it checks the
# headers as they are installed).
TOOLS := $(BINOUT)/freeport $(BINOUT)/abi_test
tools: $(TOOLS)

$(BINOUT)/freeport: ctests/tools/freeport.c
	@mkdir -p $(BINOUT)
	$(CC) $(CFLAGS) $(WARN) -o $@ $<

$(BINOUT)/abi_test: $(wildcard ctests/abi/*.c ctests/abi/*.h ctests/abi/*.inc) $(HEADERS_OUT)
	@mkdir -p $(BINOUT)
	$(CC) $(CFLAGS) $(WARN) -I$(INCOUT) -I$(INCOUT)/tinydtls -o $@ $(wildcard ctests/abi/*.c)

demo: all tools
	bash ctests/demo.sh $(BINOUT)

# Every Go export starts with stackroom.Reserve() (room for application
# signal handlers on the goroutine stack; see capi/stackroom). The
# signature may span several lines: the body starts after the first line
# that ends in "{"; an //export not followed by a func is an error too.
vet:
	@test -z "$$(gofmt -l core capi)" || { gofmt -l core capi; echo "gofmt needed"; exit 1; }
	@bash ctests/check-spdx.sh
	@awk 'function bad_export(why) { print FILENAME ":" FNR ": export " name why; bad = 1; want = 0 } \
	      /^\/\/export / { name = $$2; want = 2; next } \
	      want == 2 { if ($$0 !~ /^func /) { bad_export(" is not followed by its func"); next } \
	                  want = ($$0 ~ /\{$$/) ? 1 : 3; next } \
	      want == 3 { if ($$0 ~ /\{$$/) want = 1; next } \
	      want == 1 { if ($$0 != "\tstackroom.Reserve()") bad_export(" does not start with stackroom.Reserve()"); want = 0 } \
	      END { exit bad }' capi/*.go
	$(GO) vet ./...

test-go: vet
	$(GO) test -count=1 ./core/... ./capi/compat/...
	# the engine's suite again on associations Endpoint.Compact keeps moving
	TINYDTLS_TEST_COMPACT=1 $(GO) test -count=1 ./core/engine/

# Every Go fuzzer for 20000 inputs (make test), or for FUZZTIME each.
FUZZTIME ?= 10m
test-fuzz:
	GO=$(GO) bash ctests/fuzz.sh 20000x

fuzz:
	GO=$(GO) bash ctests/fuzz.sh $(FUZZTIME)

# ctests/run-tests.sh is the one list of the C tests; ctest runs the same
# pieces (CMakeLists.txt asks it for the list).
test-c: all tools
	bash ctests/run-tests.sh $(BUILD)

# Every program the tests use must be there before anything starts.
check-tools:
	@bash ctests/check-tools.sh

test: check-tools
	$(MAKE) test-go test-fuzz test-c test-bench

# ---- install ----------------------------------------------------------------

# Directories in the installed .pc and CMake package, relative to ${prefix}
# where they can be, so that the files stay right when the tree is moved (or
# staged in DESTDIR).
PC_LIBDIR     = $(patsubst $(PREFIX)%,$${exec_prefix}%,$(LIBDIR))
PC_INCLUDEDIR = $(patsubst $(PREFIX)%,$${prefix}%,$(INCLUDEDIR))

# The CMake package (cmake/*.cmake.in), filled in as CMakeLists.txt fills it
# in, so that both installs give the same files: the way from
# LIBDIR/cmake/tinydtls up to the prefix, and LIBDIR and INCLUDEDIR below
# the prefix (or both absolute, when one of them is not under it).
CMAKEDIR := $(LIBDIR)/cmake/tinydtls
empty :=
space := $(empty) $(empty)
rel_to_prefix = $(patsubst $(PREFIX)/%,%,$(1))
under_prefix  = $(filter $(PREFIX)/%,$(1))
RELOCATABLE  := $(and $(call under_prefix,$(LIBDIR)),$(call under_prefix,$(INCLUDEDIR)))
CM_UP        := $(if $(RELOCATABLE),$(subst $(space),/,$(patsubst %,..,$(subst /,$(space),$(call rel_to_prefix,$(CMAKEDIR))))),..)
CM_LIBDIR     = $(if $(RELOCATABLE),$${_tinydtls_prefix}/$(call rel_to_prefix,$(LIBDIR)),$(LIBDIR))
CM_INCLUDEDIR = $(if $(RELOCATABLE),$${_tinydtls_prefix}/$(call rel_to_prefix,$(INCLUDEDIR)),$(INCLUDEDIR))
CM_STATIC_LIBS := $(subst $(space),;,$(patsubst pthread,Threads::Threads,$(patsubst -l%,%,$(LIBS_PRIVATE))))
CM_SIZEOF_VOID_P = $(shell $(CC) -dM -E - </dev/null | sed -n 's/^\#define __SIZEOF_POINTER__ //p')
CM_SED = sed -e 's|@TD_CONFIG_TO_PREFIX@|$(CM_UP)|g' -e 's|@TD_LIBDIR@|$(CM_LIBDIR)|g' \
	  -e 's|@TD_INCLUDEDIR@|$(CM_INCLUDEDIR)|g' -e 's|@TD_SOFILE@|$(SOFILE)|g' \
	  -e 's|@TD_SONAME@|$(SONAME)|g' -e 's|@TD_ENGINE@|$(ENGINE)|g' \
	  -e 's|@TD_STATIC_LINK_LIBRARIES@|$(CM_STATIC_LIBS)|g' -e 's|@TD_SIZEOF_VOID_P@|$(CM_SIZEOF_VOID_P)|g' \
	  -e 's|@TINYDTLS_API_VERSION@|$(TINYDTLS_API_VERSION)|g' \
	  -e 's|@TINYDTLS_GO_VERSION@|$(TINYDTLS_GO_VERSION)|g'

# Headers below include/tinydtls, relative (tinydtls/dtls.h, tinydtls/sha2/sha2.h, ...).
HEADERS_REL := $(patsubst include/%,%,$(HEADERS))
HEADER_DIRS := $(sort $(patsubst %/,%,$(dir $(HEADERS_REL))))

install: all
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(CMAKEDIR)
	install -m 0755 $(LIBOUT)/$(SOFILE) $(DESTDIR)$(LIBDIR)/$(SOFILE)
	install -m 0755 $(LIBOUT)/$(ENGINE) $(DESTDIR)$(LIBDIR)/$(ENGINE)
	ln -sf $(SOFILE) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libtinydtls.so
	install -m 0644 $(LIBOUT)/libtinydtls.a $(DESTDIR)$(LIBDIR)/libtinydtls.a
	@# the headers of this build, exactly: none left over from an earlier one
	rm -rf $(DESTDIR)$(INCLUDEDIR)/tinydtls
	install -d $(addprefix $(DESTDIR)$(INCLUDEDIR)/,$(HEADER_DIRS))
	@set -e; for h in $(HEADERS_REL); do \
	  install -m 0644 $(INCOUT)/$$h $(DESTDIR)$(INCLUDEDIR)/$$h; done
	$(call PC_SED,$(PREFIX),$(PC_LIBDIR),$(PC_INCLUDEDIR)) > $(DESTDIR)$(LIBDIR)/pkgconfig/tinydtls.pc
	$(CM_SED) cmake/tinydtlsConfig.cmake.in > $(DESTDIR)$(CMAKEDIR)/tinydtlsConfig.cmake
	$(CM_SED) cmake/tinydtlsConfigVersion.cmake.in > $(DESTDIR)$(CMAKEDIR)/tinydtlsConfigVersion.cmake

# The debug information of both shared libraries, where gdb and valgrind
# look for it (the .gnu_debuglink of each file names it).
install-debug: lib
	install -d $(DESTDIR)$(LIBDIR)/.debug
	install -m 0644 $(DEBUGOUT)/$(SOFILE).debug $(DEBUGOUT)/$(ENGINE).debug $(DESTDIR)$(LIBDIR)/.debug/

# Everything install and install-debug write (also what a CMake install of
# the same version wrote, which is the same files), then our directories
# where they are left empty: include/tinydtls (all ours, removed whole),
# LIBDIR/cmake/tinydtls (likewise), and LIBDIR/cmake, LIBDIR/pkgconfig and
# LIBDIR/.debug when nothing else is in them. Never LIBDIR, INCLUDEDIR or
# PREFIX.
uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(SOFILE) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	  $(DESTDIR)$(LIBDIR)/libtinydtls.so $(DESTDIR)$(LIBDIR)/libtinydtls.a \
	  $(DESTDIR)$(LIBDIR)/$(ENGINE) $(DESTDIR)$(LIBDIR)/.debug/$(SOFILE).debug \
	  $(DESTDIR)$(LIBDIR)/.debug/$(ENGINE).debug \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/tinydtls.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/tinydtls $(DESTDIR)$(CMAKEDIR)
	@for d in $(DESTDIR)$(LIBDIR)/cmake $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(LIBDIR)/.debug; do \
	  if [ -d "$$d" ] && rmdir "$$d" 2>/dev/null; then echo "rmdir $$d"; fi; done

# Benchmarks against OpenSSL (bench/, results in BENCHMARKS.md); make test
# runs a few iterations of each to check that they build and run.
bench: all
	BUILD=$(BUILD) CC=$(CC) GO=$(GO) sh bench/run.sh

test-bench: all
	BUILD=$(BUILD) CC=$(CC) GO=$(GO) sh bench/run.sh --quick
	BUILD=$(BUILD) CC=$(CC) sh bench/repro/run.sh

# The API reference from the Doxygen comments of the headers as they are
# installed (the versions filled in): HTML in $(BUILD)/docs/html. Any
# doxygen warning (an undocumented function, parameter, return value, field
# or constant among them) fails it.
docs: docs/Doxyfile docs/mainpage.md $(HEADERS_OUT)
	@command -v doxygen >/dev/null || { echo "make docs needs doxygen (Debian package: doxygen)" >&2; exit 1; }
	@rm -rf $(BUILD)/docs/html && mkdir -p $(BUILD)/docs
	( cat docs/Doxyfile; echo 'OUTPUT_DIRECTORY = $(BUILD)/docs'; \
	  echo 'PROJECT_NUMBER = "$(TINYDTLS_GO_VERSION) (tinydtls API $(TINYDTLS_API_VERSION))"'; \
	  echo 'INPUT = docs/mainpage.md $(INCOUT)/tinydtls'; \
	  echo 'STRIP_FROM_PATH = $(INCOUT)'; echo 'STRIP_FROM_INC_PATH = $(INCOUT)'; \
	  echo 'INCLUDE_PATH = $(INCOUT)/tinydtls' ) | doxygen -
	@echo "API reference: $(BUILD)/docs/html/index.html"

clean:
	rm -rf $(BUILD)
