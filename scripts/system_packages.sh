#!/usr/bin/env bash
# The Debian packages the product needs beside its Python and npm ones (docs/setup.md):
#   runtime  Pango (WeasyPrint renders the PDF reports with it) and the fonts the reports use,
#            Latin and Arabic, from packages: nothing is downloaded at run time
#   test     the above, Chromium for the browser tests and poppler-utils (pdftoppm)
# Installs what is missing with apt-get when run as root; otherwise says what to install.
set -euo pipefail

want=${1:-runtime}
packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core)
if [ "$want" = "test" ]; then
  packages+=(chromium poppler-utils)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
else
  echo "error: these Debian packages are needed: ${missing[*]}" >&2
  echo "       sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
