#!/bin/sh
# Install this smime-guard bundle for every user of this computer (run as root).
#   sh install.sh [PREFIX]           default PREFIX: /opt/smime-guard
#   sh install.sh --uninstall [PREFIX]
# The programs go to PREFIX, the commands to /usr/local/bin, the menu entry, icons and
# AppStream metainfo to /usr/local/share; /etc/smime-guard is made for the practice's
# policy.toml and trust-anchors/ (left in place on uninstall).
set -eu

uninstall=false
if [ "${1:-}" = "--uninstall" ]; then
    uninstall=true
    shift
fi
prefix=${1:-/opt/smime-guard}
bin=/usr/local/bin
share=/usr/local/share
app_id=org.smimeguard.SmimeGuard
here=$(cd "$(dirname "$0")" && pwd)

# The menus' caches; a desktop without these tools rescans by itself.
refresh_menus() {
    if command -v update-desktop-database >/dev/null && [ -d "$share/applications" ]; then
        update-desktop-database -q "$share/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null && [ -d "$share/icons/hicolor" ]; then
        gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
    fi
}

if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: run as root (sudo sh install.sh)" >&2
    exit 1
fi

if $uninstall; then
    rm -f "$bin/smime-guard" "$bin/smime-guard-app"
    rm -f "$share/applications/$app_id.desktop" "$share/metainfo/$app_id.metainfo.xml"
    find "$share/icons/hicolor" -name "$app_id.*" -delete 2>/dev/null || true
    rm -rf "$prefix"
    refresh_menus
    echo "smime-guard removed; /etc/smime-guard was kept"
    exit 0
fi

mkdir -p "$prefix"
rm -rf "$prefix/_internal"  # an upgrade must not keep the old version's files
cp -R "$here/smime-guard" "$here/smime-guard-app" "$here/_internal" "$prefix/"
ln -sf "$prefix/smime-guard" "$bin/smime-guard"
ln -sf "$prefix/smime-guard-app" "$bin/smime-guard-app"
mkdir -p "$share/applications" "$share/metainfo"
cp "$here/share/applications/$app_id.desktop" "$share/applications/"
cp "$here/share/metainfo/$app_id.metainfo.xml" "$share/metainfo/"
cp -R "$here/share/icons" "$share/"
mkdir -p /etc/smime-guard/trust-anchors
if [ ! -e /etc/smime-guard/policy.toml.example ]; then
    cp "$here/share/policy.toml.example" /etc/smime-guard/policy.toml.example
fi
refresh_menus
echo "smime-guard installed in $prefix; check it with: smime-guard --self-test"
