#!/usr/bin/env bash
# Run a command inside a private D-Bus session with a real Secret Service (gnome-keyring),
# its login keyring unlocked with a throwaway password, for the real-keyring tests.
#
#   bash .ci/secret-service.sh python -m pytest -q tests/integration
#
# The keyring's files and sockets live in a temporary folder removed on exit, so a
# developer's own login keyring is never touched. Needs the Debian packages dbus-daemon
# (dbus-run-session) and gnome-keyring, and the Python package keyring (with SecretStorage).
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGUMENT...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null; then
        echo "$0: $tool is missing (apt-get install dbus-daemon gnome-keyring)" >&2
        exit 2
    fi
done

# Never let the daemon find, and unlock, a keyring daemon of the calling desktop session.
unset GNOME_KEYRING_CONTROL GNOME_KEYRING_PID DBUS_SESSION_BUS_ADDRESS

scratch="$(mktemp -d)"
remove_scratch() {
    # The daemon leaves when the session bus closes, and may still be saving its
    # keyring for a moment after dbus-run-session has returned.
    for _ in $(seq 50); do
        rm -rf "$scratch" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "$0: could not remove $scratch" >&2
}
trap remove_scratch EXIT
mkdir -m 700 "$scratch/data" "$scratch/runtime"

# Inside the session: start the daemon's secrets component and unlock (creating) the
# login keyring, then hand over to the command. The daemon ends with the session bus.
# shellcheck disable=SC2016
XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/runtime" \
    dbus-run-session -- bash -c '
        set -euo pipefail
        printf %s "throwaway-ci-password" \
            | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        export SMIME_GUARD_REAL_KEYRING=1
        "$@"
    ' secret-service "$@"
