# SPDX-License-Identifier: BSD-3-Clause
# The minimal examples (examples/README.md): $(BINOUT)/psk-server and
# $(BINOUT)/psk-client, built against the build tree's headers and shared
# library like the EXAMPLES above, and part of `make` through `examples`.
# Included by the root Makefile after its examples rules (it uses BINOUT,
# LIBOUT, INCOUT, CC, CFLAGS and WARN). ctests/test-examples.sh builds and
# runs them on its own, with pkg-config's flags.

PSK_EXAMPLES := $(BINOUT)/psk-server $(BINOUT)/psk-client

.PHONY: psk-examples
psk-examples: $(PSK_EXAMPLES)
examples: psk-examples

$(PSK_EXAMPLES): $(BINOUT)/%: examples/%.c lib headers
	@mkdir -p $(BINOUT)
	$(CC) $(CFLAGS) $(WARN) -I$(INCOUT) -I$(INCOUT)/tinydtls -o $@ $< \
	  -L$(LIBOUT) -Wl,-rpath,$(LIBOUT) -ltinydtls
