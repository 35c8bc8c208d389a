#!/usr/bin/env bash
# Opens Cartella Sociale on a demo office of synthetic people.
# Operator: demo   Password: Prova-Cartella-2026
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
dir="${CARTELLA_DEMO_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/cartella-demo}"
echo "Ufficio dimostrativo in $dir — operatore: demo, password: Prova-Cartella-2026" >&2
exec go run -tags migrated_fynedo ./cmd/cartella -demo -data "$dir"
