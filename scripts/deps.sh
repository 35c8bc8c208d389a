#!/usr/bin/env bash
# Installs the Debian packages that building and testing Cartella Sociale
# need, when they are missing. Safe to run again. Needs root (or sudo).
set -euo pipefail

# Packages by purpose (see docs/BUILD.md):
#   gcc … xorg-dev            cgo build of Fyne's OpenGL/GLFW driver
#   xvfb … imagemagick        running the window headless and screenshots
#   poppler-utils qpdf        checking generated PDFs in tests
#   libxml2-utils             xmllint, checking XML exports against XSDs
#   --windows: gcc-mingw-w64-x86-64 cross-compiles the Windows exe (cgo GLFW);
#   nsis builds the installer; wine runs the exe in CI; xdotool and
#   x11-utils (xwininfo) find its window for the smoke test.
want=(gcc libc6-dev pkg-config libgl1-mesa-dev xorg-dev xvfb xauth x11-apps imagemagick poppler-utils qpdf libxml2-utils)
if [ "${1:-}" = "--windows" ]; then
  want+=(gcc-mingw-w64-x86-64 wine wine64 nsis xdotool x11-utils)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
# Debian's docker images delete downloaded .debs after each dpkg run, which
# breaks multi-package installs; this config switches that hook off for us.
noclean=$(mktemp)
printf '#clear DPkg::Post-Invoke;\n' > "$noclean"
echo "Installo i pacchetti mancanti: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get -c "$noclean" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
rm -f "$noclean"
