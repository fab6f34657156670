#!/usr/bin/env bash
# Install the system tools lunar-report needs, with apt, only when they are missing.
#   scripts/system-deps.sh report   xelatex + fonts + pandoc (for the PDF)
#   scripts/system-deps.sh test     the above + chromium and poppler-utils (browser and PDF tests)
# Runs apt-get only as root; otherwise prints one line saying what to install and exits 1.
# APT_ARCHIVES=DIR keeps the downloaded .deb files in DIR and installs from there when present
# (CI caches DIR: .github/workflows/render-reports.yml).
set -euo pipefail

report_packages=(texlive-xetex texlive-fonts-recommended texlive-plain-generic pandoc fonts-dejavu-core)
test_packages=(chromium poppler-utils)

wanted=("${report_packages[@]}")
[ "${1:-report}" = test ] && wanted+=("${test_packages[@]}")
python3 -c 'import ensurepip' 2>/dev/null || wanted+=(python3-venv)

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian/Ubuntu: check the commands themselves.
  for tool in xelatex pandoc; do
    command -v "$tool" >/dev/null || { echo "missing system tool '$tool': install a TeX distribution with xelatex and pandoc"; exit 1; }
  done
  exit 0
fi

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages; run: sudo apt-get install -y --no-install-recommends ${missing[*]}"
  exit 1
fi
echo "installing system packages with apt: ${missing[*]} (a few minutes the first time)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt_options=()
if [ -n "${APT_ARCHIVES:-}" ]; then
  mkdir -p "$APT_ARCHIVES/partial"
  apt_options=(-o "Dir::Cache::Archives=$APT_ARCHIVES" -o APT::Keep-Downloaded-Packages=true)
fi
apt-get install -y -qq --no-install-recommends "${apt_options[@]}" "${missing[@]}" >/dev/null
echo "system packages installed"
