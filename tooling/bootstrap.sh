#!/usr/bin/env bash
# Source this file: it puts Node >= 24 and pnpm 12 on PATH, installing them under
# $HOME/.local with npm when the machine only has an older Node (corepack fails here).
# Idempotent; does nothing on a machine that already has both.
renkei_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
renkei_pnpm_major() { pnpm -v 2>/dev/null | cut -d. -f1 || echo 0; }

case ":$PATH:" in *":$HOME/.local/bin:"*) ;; *) export PATH="$HOME/.local/bin:$PATH" ;; esac

if [ "$(renkei_node_major)" -lt 24 ] || [ "$(renkei_pnpm_major)" != "12" ]; then
  echo "renkei: installing Node 24 and pnpm 12 into $HOME/.local ..." >&2
  npm i -g --prefix "$HOME/.local" --loglevel=error node@24 pnpm@12 >&2 || {
    echo "renkei: could not install Node 24 / pnpm 12 with npm" >&2
    return 1 2>/dev/null || exit 1
  }
  hash -r
fi
