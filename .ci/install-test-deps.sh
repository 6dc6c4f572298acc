#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the test suite needs, so that it runs with no skips:
#
#   bash .ci/install-test-deps.sh        (as root, or it asks sudo for apt-get)
#
# .ci/run calls it first; the README's test command too. Only what is missing is installed
# (after an apt-get update), so a second run does nothing.
set -euo pipefail

packages=(
    # Real interoperability peers: OpenSSL, GnuPG's gpgsm, NSS's cmsutil/certutil/pk12util.
    openssl gpgsm libnss3-tools
    # The throwaway Secret Service the keyring tests run in (.ci/secret-service.sh).
    dbus dbus-daemon gnome-keyring
    # Qt's offscreen platform (window tests, screenshots): its libraries and a font.
    libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
    # msal-extensions keeps the OAuth token cache through libsecret, from Python through
    # PyGObject: the Secret typelib at run time, and what PyGObject (and pycairo, which it
    # needs) build against when pip installs them (PyGObject before 3.51 builds against
    # girepository-1.0, which Debian 12 has).
    libsecret-1-0 gir1.2-secret-1 libgirepository1.0-dev libcairo2-dev pkg-config gcc
    # The LDAP directory tests run a real OpenLDAP server (unprivileged, on a free port).
    slapd ldap-utils
    # A real IMAP server the IMAP account tests start unprivileged (tests/mail_servers).
    dovecot-imapd
)

# The venv's Python must have its headers for those builds, and venv itself (Debian splits
# both out of its python3); a Python from elsewhere (pyenv, python.org) brings its own.
if command -v python3 >/dev/null; then
    include="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
    [ -f "$include/Python.h" ] || packages+=(python3-dev)
    python3 -c 'import ensurepip' 2>/dev/null || packages+=(python3-venv)
fi

needed=()
for package in "${packages[@]}"; do
    # Installed means "install ok installed", not only known to dpkg (removed, config-files).
    status="$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)"
    [ "$status" = "install ok installed" ] || needed+=("$package")
done
if [ ${#needed[@]} -eq 0 ]; then
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "$0: installing ${needed[*]} needs root (run it as root, or install sudo)" >&2
        exit 2
    fi
    as_root=(sudo)
fi
echo "Installing Debian packages for the tests: ${needed[*]}"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
