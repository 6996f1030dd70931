# Shared by bin/run, bin/test and .ci/run: install what the app needs, idempotently.
# shellcheck shell=bash

# Debian packages: WeasyPrint's libraries and fonts (CJK included), gettext for translations.
APP_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-dejavu-core gettext)
# Only the tests need these: a headless browser, PDF inspection tools, NSS certutil for pdfsig.
TEST_PACKAGES=(chromium poppler-utils libnss3-tools)

export UV_PYTHON_DOWNLOADS=never  # use the machine's Python 3.11; no downloads from GitHub
export UV_LINK_MODE=copy

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

# install_packages required|optional PKG...: install missing Debian packages when we may
# (root, or passwordless sudo). Otherwise name them and stop (required) or warn (optional).
install_packages() {
  local mode=$1; shift
  local missing
  mapfile -t missing < <(missing_packages "$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi
  fi
  if [ "$sudo" = "none" ] || ! command -v apt-get >/dev/null; then
    if [ "$mode" = required ]; then
      say "Missing Debian packages: ${missing[*]}"
      say "Install them with: sudo apt-get install -y ${missing[*]}  (then run this again)"
      exit 1
    fi
    say "Optional Debian packages missing (their tests will skip): ${missing[*]}"
    return 0
  fi
  say "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# uv from PATH, or installed once from PyPI into .cache/uv.
find_uv() {
  if command -v uv >/dev/null; then command -v uv; return; fi
  if [ ! -x .cache/uv/bin/uv ]; then
    if ! python3 -c "import venv, ensurepip" 2>/dev/null; then
      install_packages required python3-venv
    fi
    say "Installing uv (from PyPI) into .cache/uv"
    python3 -m venv .cache/uv >&2
    .cache/uv/bin/pip install -q uv >&2
  fi
  echo .cache/uv/bin/uv
}

# sync_python [uv sync options...]: the locked Python packages into .venv.
sync_python() {
  local uv
  uv=$(find_uv)
  say "Syncing Python packages from uv.lock"
  "$uv" sync --frozen --quiet "$@"
}

# The interface and contract translations (.po under locale/) compiled to .mo.
compile_translations() {
  DEBUG=true .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=.cache -v0
}
