#!/usr/bin/env bash
# What the suite and the service need from the operating system: Chromium for
# the browser tests, CJK fonts for the PDFs, poppler's pdftoppm for looking at
# them, PostgreSQL 15 for the second database pass. Installed when missing and
# this is Debian as root; otherwise named in one line. Nothing downloads at run
# or test time: this runs once, from `make`.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -qi 'noto' || missing+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "${QAWARD_WITH_POSTGRES:-1}" = 1 ]; then
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql-15)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing from Debian: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
else
  echo "缺少系统软件包 (missing system packages), install them first: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
