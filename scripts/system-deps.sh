#!/usr/bin/env bash
# Install the system tools lunar-report needs, with apt, only when they are missing.
#   scripts/system-deps.sh report   Chromium + fonts (DejaVu; Noto CJK for Chinese, Japanese, Korean), for the PDF;
#                                   xelatex + pandoc too when reports.toml sets pdf_engine = "xelatex"
#   scripts/system-deps.sh test     all of the above + poppler-utils, nodejs/npm and a Java runtime (browser, HTML
#                                   and PDF tests), then tests/browser's npm packages (axe-core, lighthouse, the Nu
#                                   HTML Checker) from its lock
# Runs apt-get only as root; otherwise prints one line saying what to install and exits 1.
# APT_ARCHIVES=DIR keeps the downloaded .deb files in DIR and installs from there when present
# (CI caches DIR: .github/workflows/render-reports.yml).
set -euo pipefail

report_packages=(fonts-dejavu-core fonts-noto-cjk)
tex_packages=(texlive-xetex texlive-fonts-recommended texlive-plain-generic pandoc)
test_packages=("${tex_packages[@]}" poppler-utils)
# npm from apt only when there is none: a Node.js from elsewhere (NodeSource's package bundles npm) is kept
command -v npm >/dev/null 2>&1 || test_packages+=(nodejs npm)
# a Java runtime for the Nu HTML Checker (vnu.jar) only when there is none
command -v java >/dev/null 2>&1 || test_packages+=(default-jre-headless)
PROJECT="$(cd "$(dirname "$0")/.." && pwd)"
BROWSER_CHECKS="$PROJECT/tests/browser"
# a Chromium or Chrome program already there (Ubuntu ships Chromium as a snap; CI images have Chrome) is used as it is
have_chromium() {
  [ -n "${LUNAR_REPORT_CHROMIUM:-}" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
    command -v google-chrome >/dev/null || command -v google-chrome-stable >/dev/null
}
have_chromium || report_packages+=(chromium)
# xelatex typesets the PDF only when the report configuration asks for it
uses_xelatex() { grep -Eq '^[[:space:]]*pdf_engine[[:space:]]*=[[:space:]]*["'"'"']xelatex["'"'"']' "$PROJECT/reports.toml" 2>/dev/null; }

# tests/browser's npm packages, exactly as its package-lock.json pins them; again only when the lock changed.
npm_packages() {
  [ "${1:-report}" = test ] || return 0
  local stamp="$BROWSER_CHECKS/node_modules/.lock-installed"
  if [ -f "$stamp" ] && cmp -s "$stamp" "$BROWSER_CHECKS/package-lock.json"; then return 0; fi
  command -v npm >/dev/null || { echo "missing npm: install nodejs and npm for the browser checks"; exit 1; }
  echo "installing the browser checks' npm packages (axe-core, lighthouse, vnu-jar) from tests/browser/package-lock.json"
  npm ci --prefix "$BROWSER_CHECKS" --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
  cp "$BROWSER_CHECKS/package-lock.json" "$stamp"
}

wanted=("${report_packages[@]}")
if [ "${1:-report}" = test ]; then wanted+=("${test_packages[@]}"); elif uses_xelatex; then wanted+=("${tex_packages[@]}"); fi
python3 -c 'import ensurepip' 2>/dev/null || wanted+=(python3-venv)

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not Debian/Ubuntu: check the commands themselves.
  have_chromium || { echo "missing Chromium for the PDF: install it, or set LUNAR_REPORT_CHROMIUM to a Chromium or Chrome program"; exit 1; }
  if [ "${1:-report}" = test ] || uses_xelatex; then
    for tool in xelatex pandoc; do
      command -v "$tool" >/dev/null || { echo "missing system tool '$tool': install a TeX distribution with xelatex and pandoc"; exit 1; }
    done
  fi
  npm_packages "${1:-report}"
  exit 0
fi

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && { npm_packages "${1:-report}"; exit 0; }

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
npm_packages "${1:-report}"
