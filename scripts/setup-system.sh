#!/usr/bin/env bash
# The Debian packages the test suite needs besides Python: Chromium for the browser test, a font
# with every Vietnamese letter, poppler-utils (pdftotext) to read exported PDFs and LibreOffice
# Writer for the Word reports. Installs what is missing with apt-get when it runs as root or
# with sudo; otherwise it stops with one sentence saying what to install. `make report` needs
# none of this.
set -euo pipefail

# "what is checked" "Debian package": a file or a command; the package installs it.
checks=(
    "/usr/bin/chromium chromium"
    "/usr/share/fonts/truetype/dejavu fonts-dejavu-core"
    "pdftotext poppler-utils"
    "soffice libreoffice-writer-nogui"
)

missing=()
for check in "${checks[@]}"; do
    read -r needed package <<<"$check"
    if [[ $needed == /* ]]; then
        [ -e "$needed" ] || missing+=("$package")
    else
        command -v "$needed" >/dev/null 2>&1 || missing+=("$package")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

packages="${missing[*]}"
stop() {
    echo "make test needs the Debian packages $packages: $1" >&2
    exit 1
}

command -v apt-get >/dev/null 2>&1 || stop "this system has no apt-get, so install them with its own package manager and run make test again."
if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo)
else
    stop "run make test as root or with password-less sudo, or install them first (sudo apt-get install $packages)."
fi

echo "Installing $packages with apt-get (once; make test checks for them each run)." >&2
# Other package managers may hold the lock for a while (unattended upgrades on a fresh machine).
apt=(apt-get -o DPkg::Lock::Timeout=600 -qq)
"${as_root[@]}" "${apt[@]}" update >/dev/null ||
    stop "apt-get update failed (is the network reachable?), so install them by hand."
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends $packages >/dev/null ||
    stop "apt-get install failed (see its messages above), so install them by hand."
