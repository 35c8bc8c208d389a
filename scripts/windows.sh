#!/usr/bin/env bash
# Builds the two Windows artefacts from Linux into dist/:
#   dist/CartellaSociale.exe                   the program (also the portable version)
#   dist/CartellaSociale-<version>-setup.exe   the installer (NSIS)
# each with a .sha256 beside it. Needs the packages of `scripts/deps.sh --windows`.
#
#   bash scripts/windows.sh              build both from the last commit (HEAD)
#   bash scripts/windows.sh --worktree   build both from the files as they are now
#   bash scripts/windows.sh --exe-only   only the exe (quicker; combinable with --worktree)
#
# CARTELLA_PUBLISHER overrides the publisher shown in the file properties,
# in the installer and in Windows' list of installed apps.
set -euo pipefail

# The body is a function so that bash reads the whole file before running
# it: editing the script while a 10-minute build runs cannot derail it.
main() {
  say() { echo "windows.sh: $*" >&2; }
  die() { echo "windows.sh: ERRORE: $*" >&2; exit 1; }
  cd "$(dirname "$0")/.."
  local root=$PWD

  local publisher="${CARTELLA_PUBLISHER:-Progetto Cartella Sociale}"
  local fyne_version=v1.7.4   # fyne.io/tools: the packager measured in the notes
  local winres_version=v0.3.3 # github.com/tc-hib/go-winres: adds the publisher to the exe
  local max_setup_mb=40

  local exe_only=false worktree=false arg
  for arg in "$@"; do
    case "$arg" in
      --exe-only) exe_only=true ;;
      --worktree) worktree=true ;;
      *) die "argomento sconosciuto: $arg (ammessi: --exe-only, --worktree)" ;;
    esac
  done

  local t0 tool
  t0=$(date +%s)
  for tool in go git x86_64-w64-mingw32-gcc makensis convert sha256sum; do
    command -v "$tool" >/dev/null || die "manca '$tool': eseguire prima 'bash scripts/deps.sh --windows'"
  done

  # The Go tools live in GOPATH/bin; install the pinned versions when missing.
  local gobin have
  gobin="$(go env GOPATH)/bin"
  export PATH="$gobin:$PATH"
  have=$(fyne version 2>/dev/null || true) # not piped into grep -q: SIGPIPE + pipefail
  if [[ "$have" != *"cli version: $fyne_version"* ]]; then
    say "installo fyne $fyne_version"
    go install "fyne.io/tools/cmd/fyne@$fyne_version"
  fi
  if ! [ -x "$gobin/go-winres" ]; then
    say "installo go-winres $winres_version"
    go install "github.com/tc-hib/go-winres@$winres_version"
  fi

  # fyne package writes into the source folder it builds (fyne.syso, a
  # generated fyne_metadata_init.go, the exe) and bumps Build in
  # FyneApp.toml. Other people build and test in this tree at the same
  # time, so package a private copy instead: by default of the last commit,
  # so that a release is exactly one commit and half-saved work cannot
  # break it. --release adds -trimpath, so the copy's path does not enter
  # Go's cache keys and the build cache is still reused.
  local stage="$root/build/windows"
  local src="$stage/src"
  rm -rf "$src"
  mkdir -p "$src" "$root/dist"
  if $worktree; then
    say "sorgenti: la cartella di lavoro com'è ora"
    git ls-files -z --cached --others --exclude-standard \
      | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
      | tar --null -T - -cf - | tar -xf - -C "$src"
  else
    say "sorgenti: commit $(git rev-parse --short HEAD)"
    [ -z "$(git status --porcelain --untracked-files=no)" ] ||
      say "nota: le modifiche non salvate in git non sono incluse (--worktree per includerle)"
    git archive --format=tar HEAD | tar -xf - -C "$src"
  fi
  cd "$src"

  field() { sed -n "s/^$1 *= *\"\{0,1\}\([^\"]*\)\"\{0,1\} *$/\1/p" FyneApp.toml | head -1; }
  local version build version4 year
  version=$(field Version)
  build=$(field Build)
  [ -n "$version" ] && [ -n "$build" ] || die "Version o Build mancanti in FyneApp.toml"
  version4="$version.$build"
  year=$(date +%Y)

  # FyneApp.toml lives at the repository root; fyne reads it from the
  # folder of the main package, with the icon path relative to that folder.
  sed 's|^Icon *=.*|Icon = "../../assets/icon.png"|' FyneApp.toml > cmd/cartella/FyneApp.toml

  say "compilo CartellaSociale.exe $version (build $build)"
  local t1 t2
  t1=$(date +%s)
  (
    cd cmd/cartella
    CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
      fyne package -os windows --release --tags migrated_fynedo
  )
  local built="cmd/cartella/Cartella Sociale.exe"
  [ -f "$built" ] || die "fyne package non ha prodotto '$built'"
  t2=$(date +%s)

  # fyne's version resource has the product name and version but no
  # publisher (CompanyName) or copyright: replace it with a complete one.
  sed -e "s|@VERSION4@|$version4|g" -e "s|@VERSION@|$version|g" \
      -e "s|@PUBLISHER@|$publisher|g" -e "s|@YEAR@|$year|g" \
      packaging/windows/winres.json > "$stage/winres.json"
  go-winres patch --in "$stage/winres.json" --no-backup "$built" >/dev/null
  mv -f "$built" "$root/dist/CartellaSociale.exe"
  (cd "$root/dist" && sha256sum CartellaSociale.exe > CartellaSociale.exe.sha256)
  say "dist/CartellaSociale.exe: $(du -m "$root/dist/CartellaSociale.exe" | cut -f1) MB, compilato in $((t2 - t1)) s"

  if $exe_only; then
    say "fatto in $(( $(date +%s) - t0 )) s (solo exe)"
    return 0
  fi

  # The installer's own icon (NSIS needs an .ico) and the picture of its
  # welcome and finish pages (164×314, 24-bit BMP), made from the same PNG.
  local t3 t4 setup size_mb
  t3=$(date +%s)
  convert assets/icon.png -define icon:auto-resize=256,64,48,32,24,16 "$stage/icon.ico"
  convert -size 164x314 xc:white \( assets/icon.png -resize 120x120 \) -gravity center \
    -geometry +0-40 -composite -fill '#0066CC' -draw 'rectangle 0,306 164,314' \
    BMP3:"$stage/welcome.bmp"
  setup="CartellaSociale-$version-setup.exe"
  rm -f "$root/dist/$setup"
  makensis -V2 -INPUTCHARSET UTF8 \
    -DVERSION="$version" -DVERSION4="$version4" -DPUBLISHER="$publisher" -DYEAR="$year" \
    -DEXE="$root/dist/CartellaSociale.exe" -DICON="$stage/icon.ico" -DWELCOME="$stage/welcome.bmp" \
    -DLICENSE="$src/LICENSE" -DOUTFILE="$root/dist/$setup" \
    packaging/windows/installer.nsi
  (cd "$root/dist" && sha256sum "$setup" > "$setup.sha256")
  size_mb=$(( ($(stat -c %s "$root/dist/$setup") + 1048575) / 1048576 ))
  [ "$size_mb" -le "$max_setup_mb" ] ||
    die "l'installatore pesa $size_mb MB, oltre il limite di $max_setup_mb MB"
  t4=$(date +%s)
  say "dist/$setup: $size_mb MB, creato in $((t4 - t3)) s"
  say "fatto in $((t4 - t0)) s"
  ls -l "$root/dist" >&2
}

main "$@"
