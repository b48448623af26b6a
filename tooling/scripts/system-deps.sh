#!/usr/bin/env bash
# Makes sure the system packages the tests use for real are installed, before any test runs:
#   chromium              browser tests (playwright-core drives /usr/bin/chromium; no browser download)
#   fonts-ipafont-gothic  Japanese glyphs in the screenshots the browser tests keep
#   postgresql            the PostgreSQL server the hub's and the app's `pg` test runs start on loopback
# Installs the missing ones with apt-get when it can (as root, or with sudo that needs no password);
# otherwise it stops at once with the one command to run, instead of a wall of failing tests.
# Used by `./renkei test` and, through it, by `.ci/run`: the system set-up lives only here.
#
# RENKEI_SYSTEM_ROOT prefixes every path it checks (tests point it at a folder of stubs).
set -euo pipefail

root="${RENKEI_SYSTEM_ROOT:-}"
missing=()
[ -x "$root/usr/bin/chromium" ] || missing+=(chromium)
[ -d "$root/usr/share/fonts/opentype/ipafont-gothic" ] || missing+=(fonts-ipafont-gothic)
compgen -G "$root/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)

[ ${#missing[@]} -eq 0 ] && exit 0

install_cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  as_root=(sudo -n)
else
  cat >&2 <<MSG
renkei: the tests need system packages that are not installed: ${missing[*]}
renkei: install them once with:

  sudo apt-get update && sudo $install_cmd

renkei: then run ./renkei test again.
MSG
  exit 1
fi

echo "renkei: installing system packages for the tests: ${missing[*]} (apt-get, about a minute)" >&2
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq >&2
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
