#!/usr/bin/env bash
# Installs the system libraries Qt needs for a real window on Debian/Ubuntu (xcb and friends),
# the fonts the printed-text generator renders ("not a digit" training samples and printed labels
# in the generated scans: digit_app/data/printed.py), plus Xvfb when called with --xvfb
# (screenshots). Quick when everything is there already.
# Elsewhere, or without root/sudo, it prints exactly what to install and leaves the rest to you.
set -euo pipefail
packages=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
          libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0
          libxkbcommon0 libegl1 libgl1 libfontconfig1 libdbus-1-3
          fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-liberation2
          fonts-freefont-ttf fonts-crosextra-carlito fonts-crosextra-caladea fonts-open-sans
          fonts-roboto-unhinted fonts-go fonts-cantarell fonts-linuxlibertine fonts-urw-base35
          fonts-courier-prime fonts-sil-gentium-basic fonts-ebgaramond fonts-lato)
[ "${1:-}" = "--xvfb" ] && packages+=(xvfb)

if ! command -v dpkg >/dev/null 2>&1; then
  echo "install-system-deps: not a Debian/Ubuntu system; Qt's platform libraries come with the OS here." >&2
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"
else
  echo "install-system-deps: missing system packages; please run:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
