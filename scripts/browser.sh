#!/usr/bin/env bash
# A headless browser for the job page test: Debian's chromium (apt-get, when missing) driven by npm
# "playwright-core" (no browser download of its own) installed into .peers/playwright.
#
#   scripts/browser.sh install
#   scripts/browser.sh env       # -> CHROMIUM (its path), PLAYWRIGHT_CORE (the module's directory)
set -euo pipefail

PLAYWRIGHT_VERSION=1.65.1
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PREFIX=$REPO/.peers/playwright

log() { echo "browser: $*" >&2; }

install() {
  if [[ ! -x /usr/bin/chromium ]]; then
    log "installing Debian's chromium"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
  fi
  if [[ $(node -p "require('$PREFIX/node_modules/playwright-core/package.json').version" 2>/dev/null) \
        != "$PLAYWRIGHT_VERSION" ]]; then
    log "installing playwright-core@$PLAYWRIGHT_VERSION into $PREFIX"
    mkdir -p "$PREFIX"
    npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error "playwright-core@$PLAYWRIGHT_VERSION" >&2
  fi
}

case ${1:-} in
  install) install ;;
  env) echo "export CHROMIUM=/usr/bin/chromium"; echo "export PLAYWRIGHT_CORE=$PREFIX/node_modules/playwright-core" ;;
  *) echo "usage: $0 install|env" >&2; exit 2 ;;
esac
