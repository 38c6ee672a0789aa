# dmvpn build. Three variants share the sources:
#   build/release  what `make` and `make install` build
#   build/asan     ASan + UBSan, used by every test
#   build/fuzz     clang libFuzzer targets (ASan + UBSan)
#
#   make               build the daemons and tools
#   make check         install test deps, unit tests, fuzz smoke, integration tests (root)
#   make demo          install deps, bring up the hub-and-spokes lab, show it, tear it down
#   make bench         tests/bench figures (not pass/fail)
#   make bench-nhrp    only the NHRP registration load benchmark
#   make bench-zebra   only the routes-into-zebra benchmark
#   make install       PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
BINDIR ?= $(PREFIX)/bin
SYSCONFDIR ?= /etc

CC ?= cc
FUZZ_CC ?= clang
PKGS := libnl-3.0 libnl-route-3.0 libcrypto
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lev

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla
BASE_CFLAGS := -std=c11 -D_GNU_SOURCE -I. $(PKG_CFLAGS) $(WARN) -MMD -MP
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

release_CFLAGS := $(BASE_CFLAGS) -O2 -g
asan_CFLAGS := $(BASE_CFLAGS) -O1 -g $(SAN)
fuzz_CFLAGS := $(BASE_CFLAGS) -O1 -g $(SAN) -fsanitize=fuzzer-no-link
release_LDFLAGS :=
asan_LDFLAGS := $(SAN)

LIB_SRC := $(wildcard lib/*.c)
GRE_SRC := $(filter-out gre/mgred/%,$(wildcard gre/*.c))
MGRED_SRC := $(wildcard gre/mgred/*.c)
NHRPD_SRC := $(wildcard nhrpd/*.c)
ROUTING_SRC := $(wildcard routing/*.c)
IKED_SRC := $(wildcard iked/*.c)
CTL_SRC := shell/dmvpnctl.c
SH_SRC := $(filter-out $(CTL_SRC),$(wildcard shell/*.c))
CODEC_SRC := lib/buf.c lib/csum.c lib/addr.c gre/gre_codec.c gre/mgre_lladdr.c lib/ctl_frame.c nhrpd/nhrp_packet.c \
	nhrpd/nhrp_packet_encode.c routing/zapi_msg.c iked/ikev2_msg.c iked/ikev2_msg_decode.c \
	iked/ikev2_msg_sa.c iked/ikev2_msg_build.c

UNIT_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)

# Objects under build/VARIANT/obj, so that no object directory (nhrpd/)
# collides with a binary of the same name.
obj = $(patsubst %.c,build/$(1)/obj/%.o,$(2))

BIN_release := build/release/mgred build/release/nhrpd build/release/iked build/release/dmvpnctl \
	build/release/dmvpnsh
BIN_asan := build/asan/mgred build/asan/nhrpd build/asan/iked build/asan/dmvpnctl build/asan/dmvpnsh \
	build/asan/dp_probe build/asan/nhrp_pcap
UNIT_BIN := $(patsubst tests/unit/%.c,build/asan/tests/unit/%,$(UNIT_SRC))
FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/tests/fuzz/%,$(FUZZ_SRC))

# Keep objects between builds: pattern-rule outputs are otherwise intermediates.
.SECONDARY:

.PHONY: all asan check unit fuzz fuzz-smoke integration demo bench bench-nhrp bench-zebra bench-shortcut install uninstall clean deps deps-test format
all: $(BIN_release)
asan: $(BIN_asan)

# `make V=1` shows the full command lines.
ifeq ($(V),1)
Q :=
else
Q := @
endif

build/release/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(release_CFLAGS) -c $< -o $@
build/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) $(asan_CFLAGS) -c $< -o $@
build/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(FUZZ_CC) $(fuzz_CFLAGS) -c $< -o $@

define daemon_rules
build/$(1)/mgred: $(call obj,$(1),$(MGRED_SRC) $(GRE_SRC) $(LIB_SRC))
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(PKG_LIBS)
build/$(1)/nhrpd: $(call obj,$(1),$(NHRPD_SRC) $(ROUTING_SRC) $(GRE_SRC) $(LIB_SRC))
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(PKG_LIBS)
build/$(1)/iked: $(call obj,$(1),$(IKED_SRC) $(GRE_SRC) $(LIB_SRC))
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(PKG_LIBS)
build/$(1)/dmvpnctl: $(call obj,$(1),$(CTL_SRC) $(LIB_SRC))
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(PKG_LIBS)
build/$(1)/dmvpnsh: $(call obj,$(1),$(SH_SRC) $(LIB_SRC))
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(PKG_LIBS)
build/$(1)/dp_probe: $(call obj,$(1),tests/tools/dp_probe.c $(GRE_SRC) $(LIB_SRC))
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$($(1)_LDFLAGS) -o $$@ $$^ $$(PKG_LIBS)
endef
$(eval $(call daemon_rules,release))
$(eval $(call daemon_rules,asan))

# Encoder-built NHRP packets of every type in a pcap, for the tshark check.
build/asan/nhrp_pcap: $(call obj,asan,tests/tools/nhrp_pcap.c $(CODEC_SRC))
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(asan_LDFLAGS) -o $@ $^

# The registration load generator: the NHRP and GRE codecs, no daemon code.
LOADGEN_SRC := tests/bench/nhrp_loadgen.c lib/buf.c lib/csum.c lib/addr.c gre/gre_codec.c \
	$(wildcard nhrpd/nhrp_packet*.c)
build/release/nhrp_loadgen: $(call obj,release,$(LOADGEN_SRC))
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(release_LDFLAGS) -o $@ $^

# Routes pushed into zebra: the ZAPI client nhrpd links, in its libev loop
# (build/asan/zapi_push: the same under ASan + UBSan).
ZAPI_PUSH_SRC := tests/bench/zapi_push.c $(ROUTING_SRC) $(LIB_SRC)
build/release/zapi_push: $(call obj,release,$(ZAPI_PUSH_SRC))
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(release_LDFLAGS) -o $@ $^ $(PKG_LIBS)
build/asan/zapi_push: $(call obj,asan,$(ZAPI_PUSH_SRC))
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(asan_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Unit tests link the pure codecs and lib/ (plus the module they test).
UNIT_DEPS := $(call obj,asan,$(LIB_SRC) $(GRE_SRC) $(filter-out gre/mgred/mgred_main.c,$(MGRED_SRC)) \
	$(filter-out nhrpd/nhrpd_main.c,$(NHRPD_SRC)) $(ROUTING_SRC) $(filter-out iked/iked_main.c,$(IKED_SRC)))
build/asan/tests/unit/%: build/asan/obj/tests/unit/%.o $(UNIT_DEPS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(asan_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka

# The daemons' objects (not their main) link in too: config readers are
# fuzzed with their handlers.
FUZZ_DEPS := $(call obj,fuzz,$(sort $(CODEC_SRC) $(LIB_SRC) $(GRE_SRC) \
	$(filter-out gre/mgred/mgred_main.c,$(MGRED_SRC)) $(filter-out nhrpd/nhrpd_main.c,$(NHRPD_SRC)) \
	$(ROUTING_SRC) $(filter-out iked/iked_main.c,$(IKED_SRC))))
build/fuzz/tests/fuzz/%: build/fuzz/obj/tests/fuzz/%.o $(FUZZ_DEPS)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(FUZZ_CC) $(SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

deps:
	scripts/install-deps.sh build
deps-test:
	scripts/install-deps.sh test

unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)

fuzz: $(FUZZ_BIN)

# A short run of every fuzz target over its seed corpus; `make fuzz` and
# tests/fuzz/README.md for long runs.
fuzz-smoke: $(FUZZ_BIN)
	@tests/fuzz/run.sh 20 $(FUZZ_BIN)

integration: $(BIN_asan)
	@tests/integration/run.sh

# The README's test command. deps first: a fresh machine has nothing.
check:
	@scripts/install-deps.sh test
	@$(MAKE) --no-print-directory all asan
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-smoke
	@$(MAKE) --no-print-directory integration

demo:
	@scripts/install-deps.sh demo
	@$(MAKE) --no-print-directory all
	@tests/demo.sh

bench:
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory all build/release/nhrp_loadgen build/release/zapi_push
	@tests/bench/dataplane.sh
	@tests/bench/nhrp_register.sh
	@tests/bench/zebra_routes.sh
	@tests/bench/shortcut_setup.sh

bench-shortcut:
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory all
	@tests/bench/shortcut_setup.sh

bench-nhrp:
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory all build/release/nhrp_loadgen
	@tests/bench/nhrp_register.sh

bench-zebra:
	@scripts/install-deps.sh bench
	@$(MAKE) --no-print-directory build/release/zapi_push
	@tests/bench/zebra_routes.sh

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR)/dmvpn
	install -m 0755 build/release/mgred $(DESTDIR)$(SBINDIR)/mgred
	install -m 0755 build/release/nhrpd $(DESTDIR)$(SBINDIR)/nhrpd
	install -m 0755 build/release/iked $(DESTDIR)$(SBINDIR)/iked
	install -m 0755 build/release/dmvpnctl $(DESTDIR)$(BINDIR)/dmvpnctl
	install -m 0755 build/release/dmvpnsh $(DESTDIR)$(BINDIR)/dmvpnsh
	install -m 0644 configs/hub.conf $(DESTDIR)$(SYSCONFDIR)/dmvpn/hub.conf.example
	install -m 0644 configs/spoke.conf $(DESTDIR)$(SYSCONFDIR)/dmvpn/spoke.conf.example

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/mgred $(DESTDIR)$(SBINDIR)/nhrpd $(DESTDIR)$(SBINDIR)/iked $(DESTDIR)$(BINDIR)/dmvpnctl \
		$(DESTDIR)$(BINDIR)/dmvpnsh
	rm -f $(DESTDIR)$(SYSCONFDIR)/dmvpn/hub.conf.example $(DESTDIR)$(SYSCONFDIR)/dmvpn/spoke.conf.example

format:
	clang-format -i $(wildcard lib/*.[ch] gre/*.[ch] gre/mgred/*.[ch] nhrpd/*.[ch] routing/*.[ch] iked/*.[ch] shell/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch])

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
