#!/bin/sh
# Installs the Debian 12 packages a step needs, only those missing.
#   install-deps.sh build   compile the daemons and tools
#   install-deps.sh test    build + unit tests, fuzzing, namespace tests
#   install-deps.sh bench   test + benchmark peers (wireguard-go)
#   install-deps.sh demo    build + the lab demo
set -eu
build="gcc make pkg-config libev-dev libssl-dev libnl-3-dev libnl-route-3-dev libnl-xfrm-3-dev"
run="iproute2 iputils-ping jq procps python3"
test="$build $run libcmocka-dev clang libclang-rt-14-dev tshark iperf3 tcpdump tmux nftables frr strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins"
case "${1:-test}" in
build) want="$build" ;;
demo) want="$build $run tshark" ;;
test) want="$test" ;;
bench) want="$test wireguard-go wireguard-tools" ;;
*) echo "usage: $0 build|test|bench|demo" >&2; exit 2 ;;
esac
missing=""
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the default (no) is fine.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections 2>/dev/null || true
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
