#!/usr/bin/env bash
# The Windows proof, run by .ci/run after the test suite. It builds the two
# Windows artefacts (scripts/windows.sh) and proves them under Debian's
# Wine 8 on a virtual X display (Xvfb, OpenGL by Mesa in software):
#
#   gui        the exe opens a window titled "Cartella Sociale" with an Italian
#              and with an English Windows locale; the screenshot is not blank
#              and is the same in both (the UI is Italian on any Windows);
#              start-up (launch → visible window) is measured, best of 3 ≤ 2 s
#   opengl     with no OpenGL (an X server without GLX) the exe shows the
#              Italian message box instead of closing silently, and exits 1
#   cli        `demo` then `verify` on a Windows path succeed and print Italian;
#              the data folder is %APPDATA%\CartellaSociale by default and next
#              to the exe in portable mode
#   installer  the NSIS installer installs silently (files, shortcuts, entry in
#              "App installate"), the uninstaller removes them and leaves the
#              data folder alone
#   store      the test binaries of every package under store/ (sync included),
#              cross-compiled, pass under Wine (Windows rename/lock/path rules)
#
#   bash .ci/windows.sh                      everything
#   bash .ci/windows.sh --skip-build         reuse the artefacts already in dist/
#   bash .ci/windows.sh --only=gui,opengl    some checks only
#
# Screenshots and logs go to build/ci-windows/. Nothing here is shipped: the
# bcryptprimitives.dll shim (tools/winetest/) and the patched os.RemoveAll
# exist only inside the Wine test prefix and the test binaries.
set -euo pipefail

# A function, so that bash has read all of it before a long step runs.
main() {
  cd "$(dirname "$0")/.."
  root=$PWD
  work="$root/build/ci-windows"
  wine=/usr/lib/wine/wine64 # Debian puts no wine64 on PATH
  t_start=$(date +%s)
  timings=()

  local skip_build=false only="" arg
  for arg in "$@"; do
    case "$arg" in
      --skip-build) skip_build=true ;;
      --only=*) only="${arg#--only=}" ;;
      *) die "argomento sconosciuto: $arg (ammessi: --skip-build, --only=gui,opengl,cli,installer,store)" ;;
    esac
  done
  wanted() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

  phase "dipendenze (apt)"
  bash scripts/deps.sh --windows
  end_phase

  echo "cache di Go: $(go env GOCACHE) ($(du -sh "$(go env GOCACHE)" 2>/dev/null | cut -f1 || echo vuota))"
  if ! $skip_build; then
    phase "build Windows (scripts/windows.sh)"
    bash scripts/windows.sh
    end_phase
  fi
  [ -f dist/CartellaSociale.exe ] || die "manca dist/CartellaSociale.exe"
  (cd dist && sha256sum -c --quiet ./*.sha256) || die "SHA-256 degli artefatti non corrispondente"

  rm -rf "$work"
  mkdir -p "$work"
  trap cleanup EXIT

  phase "prefisso Wine + shim"
  setup_wine
  end_phase

  phase "Xvfb"
  # Wine's desktop process belongs to the X display of the first program
  # of a session; every Wine program here therefore runs on this display,
  # except the no-OpenGL check, which gets a session of its own.
  start_x display_gl
  export DISPLAY=$display_gl
  if wanted opengl; then start_x display_nogl -extension GLX; fi
  end_phase
  if wanted gui; then phase "gui: finestra, lingua, avvio"; check_gui; end_phase; fi
  if wanted opengl; then phase "opengl: messaggio senza OpenGL"; check_no_opengl; end_phase; fi
  if wanted cli; then phase "cli: demo, verify, cartella dati"; check_cli; end_phase; fi
  if wanted installer; then phase "installer: installa, disinstalla"; check_installer; end_phase; fi
  if wanted store; then phase "store: compilazione dei test"; check_store_tests; end_phase; fi

  echo
  echo "== Windows (Wine): tempi"
  printf '  %s\n' "${timings[@]}"
  echo "  totale: $(( $(date +%s) - t_start )) s"
  echo "Verifiche Windows superate."
}

say() { echo "ci-windows: $*" >&2; }
die() { echo "ci-windows: ERRORE: $*" >&2; exit 1; }

# since T0: seconds elapsed since T0 (date +%s.%N), with awk (bc is not
# on every fresh Debian).
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }

phase() {
  phase_name=$1
  phase_t0=$(date +%s.%N)
  echo
  echo "== $phase_name"
}
end_phase() {
  local d
  d=$(since "$phase_t0")
  timings+=("$(printf '%-36s %6.1f s' "$phase_name" "$d")")
}

# ---------------------------------------------------------------- Wine

setup_wine() {
  export WINEPREFIX="$work/wine" WINEARCH=win64 WINEDEBUG=-all
  # No Mono/Gecko download prompts: the program needs neither.
  export WINEDLLOVERRIDES="mscoree,mshtml="
  "$wine" wineboot --init >"$work/wineboot.log" 2>&1 || { cat "$work/wineboot.log"; die "wineboot non riuscito"; }
  "$(dirname "$wine")/wineserver" -w
  # Go >= 1.22 needs bcryptprimitives.dll!ProcessPrng, which Wine 8 lacks
  # (notes/tech.md §2.2); a test-only stand-in goes into the prefix.
  x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" \
    tools/winetest/bcryptprimitives.c -ladvapi32
  cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
  cp dist/CartellaSociale.exe "$WINEPREFIX/drive_c/CartellaSociale.exe"
  winuser=$(ls "$WINEPREFIX/drive_c/users" | grep -v '^Public$' | head -1)
  appdata="$WINEPREFIX/drive_c/users/$winuser/AppData/Roaming"
  [ -d "$appdata" ] || die "cartella AppData\\Roaming non trovata nel prefisso"
  say "prefisso $WINEPREFIX pronto (utente Windows: $winuser)"
}

# wine_locale LANG: the Windows locale Wine derives from LANG, as Windows
# reports it (proves which language the exe ran under).
wine_locale() {
  LANG=$1 LC_ALL=$1 "$wine" reg query 'HKCU\Control Panel\International' /v LocaleName 2>/dev/null |
    tr -d '\r' | awk '/LocaleName/ {print $3}'
}

cleanup() {
  local p
  for p in ${app_pids:-} ${x_pids:-}; do kill "$p" 2>/dev/null || true; done
  # Stops only the processes of this test prefix.
  [ -n "${WINEPREFIX:-}" ] && timeout 20 "$(dirname "$wine")/wineserver" -k 2>/dev/null || true
}

# ---------------------------------------------------------------- X

# start_x VAR [Xvfb options]: starts an Xvfb on a free display, stores ":N"
# in VAR. -displayfd lets the server pick the number.
start_x() {
  local var=$1
  shift
  local f="$work/display-$var"
  : >"$f"
  Xvfb -displayfd 9 -screen 0 1280x1024x24 -nolisten tcp "$@" 9>"$f" >"$work/xvfb-$var.log" 2>&1 &
  x_pids="${x_pids:-} $!"
  local i
  for i in $(seq 1 100); do [ -s "$f" ] && break; sleep 0.1; done
  [ -s "$f" ] || die "Xvfb non partito ($*)"
  printf -v "$var" ':%s' "$(tr -dc 0-9 <"$f")"
  say "Xvfb ${!var} $*"
}

# X clients get a timeout each: a wedged X server must fail the check, not
# hang CI.
xdo() { timeout 10 xdotool "$@"; }

# wait_window DISPLAY REGEX SECONDS: prints the id of the first visible
# window whose title matches, or fails.
wait_window() {
  local d=$1 re=$2 secs=$3 w="" n
  n=$(awk -v s="$secs" 'BEGIN { print int(s * 20) }')
  for _ in $(seq 1 "$n"); do
    w=$(DISPLAY=$d xdo search --onlyvisible --name "$re" 2>/dev/null | head -1 || true)
    [ -n "$w" ] && { echo "$w"; return 0; }
    sleep 0.05
  done
  return 1
}

colours() { identify -format '%k' "$1"; }

# ---------------------------------------------------------------- checks

# run_gui LANG TAG: starts the exe on a fresh data folder (first-run wizard),
# measures launch → visible window → painted, saves build/ci-windows/TAG.png.
run_gui() {
  local lang=$1 tag=$2 t0 w t_win t_paint pid i c=0
  t0=$(date +%s.%N)
  DISPLAY=$display_gl LANG=$lang LC_ALL=$lang \
    "$wine" 'C:\CartellaSociale.exe' -data "C:\\ci\\gui-$tag" >"$work/$tag.log" 2>&1 &
  pid=$!
  app_pids="${app_pids:-} $pid"
  w=$(wait_window "$display_gl" '^Cartella Sociale$' 30) || {
    cat "$work/$tag.log"; die "nessuna finestra «Cartella Sociale» entro 30 s ($lang)"; }
  t_win=$(since "$t0")
  # Painted: the window's pixels have more than a handful of colours.
  for i in $(seq 1 100); do
    DISPLAY=$display_gl timeout 10 import -window "$w" "$work/$tag.png" 2>/dev/null || true
    c=$(colours "$work/$tag.png" 2>/dev/null || echo 0)
    [ "$c" -gt 50 ] && break
    sleep 0.1
  done
  t_paint=$(since "$t0")
  [ "$c" -gt 50 ] || die "la finestra resta vuota ($c colori, $lang)"
  sleep 1 # let the layout settle before the reference picture
  DISPLAY=$display_gl timeout 10 import -window "$w" "$work/$tag.png"
  c=$(colours "$work/$tag.png")
  local sd
  sd=$(identify -format '%[fx:standard_deviation]' "$work/$tag.png")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$c" -gt 50 ] && awk -v s="$sd" 'BEGIN { exit !(s > 0.05) }' ||
    die "schermata vuota: $c colori, deviazione standard $sd ($lang)"
  printf '%s %.2f %.2f %s %s\n' "$tag" "$t_win" "$t_paint" "$c" "$sd"
}

check_gui() {
  local lang tag loc runs=3 r line best_it="" best_en=""
  for lang in it_IT.UTF-8 en_US.UTF-8; do
    tag=${lang%%_*}
    loc=$(wine_locale "$lang")
    say "lingua $lang → Windows «$loc»"
    case "$tag:$loc" in it:it-IT | en:en-US) ;; *) die "Wine non ha preso la lingua $lang (dice «$loc»)" ;; esac
    for r in $(seq 1 $runs); do
      line=$(run_gui "$lang" "wizard-$tag-$r")
      say "avvio $lang n.$r: finestra dopo $(echo "$line" | cut -d' ' -f2) s, disegnata dopo $(echo "$line" | cut -d' ' -f3) s ($(echo "$line" | cut -d' ' -f4) colori)"
      echo "$line" >>"$work/startup.txt"
    done
  done
  # The same pixels with either language: the UI is Italian on an English
  # Windows too (ui.RegisterTranslations). A blinking caret may differ.
  local diff total
  diff=$(compare -metric AE "$work/wizard-it-$runs.png" "$work/wizard-en-$runs.png" null: 2>&1 || true)
  total=$(identify -format '%w %h' "$work/wizard-it-$runs.png" | awk '{print $1 * $2}')
  say "differenza it/en: $diff pixel su $total"
  awk -v d="${diff%% *}" -v t="$total" 'BEGIN { exit !(d + 0 < t / 1000) }' ||
    die "con Windows in inglese la finestra è diversa da quella in italiano ($diff pixel)"
  cp "$work/wizard-it-$runs.png" "$work/screenshot-wine-wizard.png"
  if [ -f docs/screenshot-wine-wizard.png ]; then
    say "differenza dal riferimento docs/screenshot-wine-wizard.png: $(compare -metric AE docs/screenshot-wine-wizard.png "$work/screenshot-wine-wizard.png" null: 2>&1 || true) pixel (solo informativo)"
  fi
  # Start-up: launch → visible window, best of the runs per language.
  best_it=$(awk '$1 ~ /^wizard-it/ {print $2}' "$work/startup.txt" | sort -n | head -1)
  best_en=$(awk '$1 ~ /^wizard-en/ {print $2}' "$work/startup.txt" | sort -n | head -1)
  local worst
  worst=$(awk '{print $2}' "$work/startup.txt" | sort -n | tail -1)
  timings+=("$(printf '%-36s %6s s (en %s s, peggiore %s s)' "avvio → finestra (it, migliore)" "$best_it" "$best_en" "$worst")")
  for b in "$best_it" "$best_en"; do
    awk -v b="$b" 'BEGIN { exit !(b <= 2.0) }' || die "avvio troppo lento: $b s (limite 2 s)"
  done
}

# end_wine_session: stops this prefix's programs and waits for its
# wineserver to exit, so that the next program starts a new session.
end_wine_session() {
  timeout 30 "$(dirname "$wine")/wineserver" -k 2>/dev/null || true
  timeout 30 "$(dirname "$wine")/wineserver" -w 2>/dev/null || true
}

# Without GLX the exe must show the Italian message box and exit 1: once
# through the start-up check, once with the check skipped
# (CARTELLA_SKIP_GL_CHECK=1), which leaves it to the watch on Fyne's and
# GLFW's log: the second line of defence.
check_no_opengl() {
  local skip pid w rc tag
  for skip in 0 1; do
    tag=no-opengl-$skip
    end_wine_session
    DISPLAY=$display_nogl LANG=it_IT.UTF-8 LC_ALL=it_IT.UTF-8 CARTELLA_SKIP_GL_CHECK=$skip \
      "$wine" 'C:\CartellaSociale.exe' -data 'C:\ci\senza-opengl' >"$work/$tag.log" 2>&1 &
    pid=$!
    app_pids="${app_pids:-} $pid"
    w=$(wait_window "$display_nogl" 'grafica non disponibile' 30) || {
      cat "$work/$tag.log"; die "senza OpenGL non compare il messaggio (CARTELLA_SKIP_GL_CHECK=$skip)"; }
    sleep 0.5
    DISPLAY=$display_nogl timeout 10 import -window "$w" "$work/$tag.png"
    [ "$(colours "$work/$tag.png")" -gt 5 ] || die "il messaggio OpenGL è vuoto"
    DISPLAY=$display_nogl xdo key --window "$w" Return 2>/dev/null # no WM: xdotool grumbles about focus
    rc=0
    timeout 30 tail --pid="$pid" -f /dev/null || true
    wait "$pid" || rc=$?
    [ "$rc" = 1 ] || die "senza OpenGL l'uscita dovrebbe essere 1, è $rc (CARTELLA_SKIP_GL_CHECK=$skip)"
    grep -q "OpenGL 2.1 non disponibile" "$work/$tag.log" || die "manca la spiegazione su stderr"
    say "CARTELLA_SKIP_GL_CHECK=$skip: messaggio mostrato, uscita 1 ($(grep -o 'PlatformError.*' "$work/$tag.log" | head -1 | tr -d '\r'))"
  done
  cp "$work/no-opengl-0.png" "$work/screenshot-wine-opengl.png"
  end_wine_session
}

# cartella ARGS...: the exe as a command line tool, Italian locale.
cartella() {
  LANG=it_IT.UTF-8 LC_ALL=it_IT.UTF-8 CARTELLA_PASSWORD=Prova-Wine-2026 \
    timeout 300 "$wine" "$@"
}

check_cli() {
  local out="$work/cli"
  mkdir -p "$out"
  cartella 'C:\CartellaSociale.exe' demo -data 'C:\ci\dati' -persons 50 >"$out/demo.out" 2>"$out/demo.err" ||
    { cat "$out/demo.err"; die "demo non riuscito"; }
  grep -q "Ufficio dimostrativo creato in C:\\\\ci\\\\dati con 50 persone" "$out/demo.out" ||
    { cat "$out/demo.out"; die "demo: messaggio inatteso"; }
  [ -f "$WINEPREFIX/drive_c/ci/dati/cartella.db" ] || die "demo: manca C:\\ci\\dati\\cartella.db"
  cartella 'C:\CartellaSociale.exe' verify -data 'C:\ci\dati' >"$out/verify.out" 2>"$out/verify.err" ||
    { cat "$out/verify.out" "$out/verify.err"; die "verify non riuscito"; }
  grep -q "Esito: nessun problema trovato." "$out/verify.out" || { cat "$out/verify.out"; die "verify: esito inatteso"; }
  sed 's/^/    /' "$out/verify.out"
  # From a command prompt too, with the report redirected to a file.
  cartella cmd /c 'C:\CartellaSociale.exe verify -data C:\ci\dati > C:\ci\rapporto.txt' >/dev/null 2>&1 ||
    die "verify da cmd non riuscito"
  grep -q "Esito: nessun problema trovato." "$WINEPREFIX/drive_c/ci/rapporto.txt" ||
    die "verify > rapporto.txt da cmd: file senza rapporto"
  # Default data folder: %APPDATA%\CartellaSociale.
  rm -rf "$appdata/CartellaSociale"
  cartella 'C:\CartellaSociale.exe' demo -persons 1 >"$out/appdata.out" 2>&1 || { cat "$out/appdata.out"; die "demo in %APPDATA% non riuscito"; }
  [ -f "$appdata/CartellaSociale/cartella.db" ] || die "i dati non sono in %APPDATA%\\CartellaSociale"
  # Portable mode: a file named "portable" next to the exe.
  mkdir -p "$WINEPREFIX/drive_c/chiavetta"
  cp dist/CartellaSociale.exe "$WINEPREFIX/drive_c/chiavetta/"
  : >"$WINEPREFIX/drive_c/chiavetta/portable"
  cartella 'C:\chiavetta\CartellaSociale.exe' demo -persons 1 >"$out/portable.out" 2>&1 || { cat "$out/portable.out"; die "demo portatile non riuscito"; }
  [ -f "$WINEPREFIX/drive_c/chiavetta/CartellaSociale-dati/cartella.db" ] ||
    die "modalità portatile: i dati non sono accanto all'exe"
  say "demo+verify ok; dati in %APPDATA%\\CartellaSociale e, in modalità portatile, accanto all'exe"
}

check_installer() {
  local setup lnks pf="$WINEPREFIX/drive_c/Program Files/CartellaSociale" key
  setup=$(ls dist/CartellaSociale-*-setup.exe | head -1)
  [ -n "$setup" ] || die "manca l'installatore in dist/"
  key='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\CartellaSociale'
  timeout 300 "$wine" "$setup" /S >"$work/setup.log" 2>&1 || die "installazione silenziosa non riuscita"
  timeout 120 "$(dirname "$wine")/wineserver" -w
  [ -f "$pf/CartellaSociale.exe" ] && [ -f "$pf/LICENZA.txt" ] && [ -f "$pf/Disinstalla Cartella Sociale.exe" ] ||
    die "file installati mancanti in $pf"
  cmp -s "$pf/CartellaSociale.exe" dist/CartellaSociale.exe || die "l'exe installato non è quello di dist/"
  lnks=$(find "$WINEPREFIX/drive_c" -name 'Cartella Sociale.lnk' | wc -l)
  [ "$lnks" -ge 2 ] || die "collegamenti mancanti (menu Start e desktop): $lnks"
  "$wine" reg query "$key" >"$work/uninstall-key.txt" 2>/dev/null || die "manca la voce in App installate"
  for v in DisplayName DisplayVersion Publisher UninstallString; do
    grep -q "$v" "$work/uninstall-key.txt" || die "voce di disinstallazione senza $v"
  done
  # Data made by the installed program, then uninstall.
  mkdir -p "$appdata/CartellaSociale"
  echo "dati dell'ufficio" >"$appdata/CartellaSociale/da-non-cancellare.txt"
  timeout 300 "$wine" "C:\\Program Files\\CartellaSociale\\Disinstalla Cartella Sociale.exe" /S >"$work/uninstall.log" 2>&1 ||
    die "disinstallazione non riuscita"
  timeout 120 "$(dirname "$wine")/wineserver" -w
  [ ! -e "$pf/CartellaSociale.exe" ] || die "la disinstallazione ha lasciato l'exe"
  [ "$(find "$WINEPREFIX/drive_c" -name 'Cartella Sociale.lnk' | wc -l)" = 0 ] || die "la disinstallazione ha lasciato collegamenti"
  ! "$wine" reg query "$key" >/dev/null 2>&1 || die "la disinstallazione ha lasciato la voce in App installate"
  [ -f "$appdata/CartellaSociale/da-non-cancellare.txt" ] || die "LA DISINSTALLAZIONE HA CANCELLATO I DATI"
  say "installatore $(basename "$setup") ($(du -m "$setup" | cut -f1) MB): installa, collegamenti e voce di registro; disinstalla lasciando i dati"
}

check_store_tests() {
  local bin="$work/test-bin" pkgs p name rc failed=()
  mkdir -p "$bin"
  # Wine 8 lacks FileDispositionInformationEx (NtSetInformationFile class
  # 64) and answers STATUS_NOT_IMPLEMENTED, which Go 1.26's os.RemoveAll
  # does not treat as "unsupported" (it falls back for older Windows and
  # FAT32 on the statuses real Windows returns). Without help every
  # t.TempDir cleanup fails under Wine. The test binaries, and only they,
  # are built with an overlay that adds Wine's status to Go's fallback
  # list: the fallback is what Windows 8.1 and FAT32 sticks get anyway.
  local goroot at ov="$work/overlay"
  goroot=$(go env GOROOT)
  at="$goroot/src/internal/syscall/windows/at_windows.go"
  mkdir -p "$ov"
  sed 's|^\tcase STATUS_INVALID_INFO_CLASS, // the operating system doesn.t support FileDispositionInformationEx$|\tcase STATUS_INVALID_INFO_CLASS, NTStatus(0xC0000002), // not supported; Wine 8: STATUS_NOT_IMPLEMENTED (ci-windows overlay)|' \
    "$at" >"$ov/at_windows.go"
  grep -q "ci-windows overlay" "$ov/at_windows.go" ||
    die "Go $(go env GOVERSION): la riga da correggere in $at è cambiata; rivedere la sovrapposizione"
  printf '{"Replace":{"%s":"%s"}}\n' "$at" "$ov/at_windows.go" >"$ov/overlay.json"

  pkgs=$(go list ./store/...)
  for p in $pkgs; do
    name=$(echo "${p#cartella/}" | tr / _)
    CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go test -c -tags migrated_fynedo \
      -overlay "$ov/overlay.json" -o "$bin/$name.test.exe" "$p"
  done
  end_phase
  phase "store: esecuzione sotto Wine"
  for p in $pkgs; do
    name=$(echo "${p#cartella/}" | tr / _)
    [ -f "$bin/$name.test.exe" ] || { say "$p: nessun test"; continue; }
    local t0 dir
    t0=$(date +%s)
    dir=$(go list -f '{{.Dir}}' "$p")
    rc=0
    (cd "$dir" && LANG=it_IT.UTF-8 LC_ALL=it_IT.UTF-8 timeout 1500 \
      "$wine" "$bin/$name.test.exe" -test.count=1 -test.timeout=20m -test.v >"$work/$name.log" 2>&1) || rc=$?
    say "$p: $(grep -c '^--- PASS' "$work/$name.log" || true) passati, $(grep -c '^--- SKIP' "$work/$name.log" || true) saltati, $(grep -c '^--- FAIL' "$work/$name.log" || true) falliti, $(( $(date +%s) - t0 )) s"
    if [ "$rc" != 0 ] || ! tail -1 "$work/$name.log" | grep -q '^PASS'; then
      grep -E -A15 '^(--- FAIL|panic:|FAIL)' "$work/$name.log" | head -60 >&2 || tail -30 "$work/$name.log" >&2
      failed+=("$p")
    fi
    # Each skip with its reason (the line before it in -test.v output).
    grep -h -B1 -e '^--- SKIP' "$work/$name.log" | grep -v '^--$' | sed 's/^/    /' >&2 || true
  done
  [ ${#failed[@]} = 0 ] || die "test falliti sotto Wine: ${failed[*]}"
}

main "$@"
