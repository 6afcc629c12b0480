#!/usr/bin/env bash
# Installs the Debian packages the test suite runs for real (DNS server, Docker engine, rsync for
# gitlab-ci-local, util-linux for the test cluster; Go itself must be 1.26+, which Debian does not ship yet) when they are missing. Fails loudly when it cannot: tests never skip silently.
set -euo pipefail
need=()
command -v dnsmasq >/dev/null 2>&1 || need+=(dnsmasq)
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
command -v rsync >/dev/null 2>&1 || need+=(rsync)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
# The test cluster (test/cluster): unshare and flock give pods their own resolv.conf and serialise its start.
{ command -v unshare && command -v flock; } >/dev/null 2>&1 || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "system-deps: missing ${need[*]} and not root; install them with apt-get and re-run." >&2
    exit 1
  fi
  echo "system-deps: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi
