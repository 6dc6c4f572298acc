#!/usr/bin/env bash
# Build the Linux bundle and check it the way an administrator checks an installed copy:
# its --self-test, the demo window, then a `check` on the bundled example. A hidden import
# or a resource missing from the bundle fails here. CI runs it inside
# .ci/secret-service.sh, so the self-test finds a real Secret Service.
#
#   QT_QPA_PLATFORM=offscreen bash .ci/secret-service.sh bash packaging/check_bundle.sh
set -euo pipefail
cd "$(dirname "$0")/.."

python packaging/build.py
bundle="$PWD/dist/smime-guard"
program="$bundle/smime-guard"
passed=0
failed=0

echo "== bundle: smime-guard --self-test"
# Run from another folder: nothing of the checkout may stand in for the bundle's own files.
if (cd / && "$program" --self-test); then
    passed=$((passed + 1))
else
    echo "FAILED: the bundle's self-test" >&2
    failed=$((failed + 1))
fi

echo "== bundle: smime-guard-app --demo --measure-startup"
# The window's code is not touched by the self-test (services do not import the UI): open
# the demo window once, offscreen; it exits after its first paint.
gui_home="$(mktemp -d)"
if (cd / && SMIME_GUARD_HOME="$gui_home" QT_QPA_PLATFORM=offscreen \
    "$bundle/smime-guard-app" --demo --measure-startup 2>&1 | grep "first_paint_ms"); then
    passed=$((passed + 1))
else
    echo "FAILED: the bundle's window did not open" >&2
    failed=$((failed + 1))
fi
rm -rf "$gui_home"

echo "== bundle: smime-guard check on the bundled example"
examples="$bundle/_internal/resources/examples"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
report="$home/check.txt"
status=0
(
    cd /
    export SMIME_GUARD_HOME="$home"
    "$program" certs trust "$examples/demo-ca.pem"
    "$program" certs import "$examples"/certs/*.pem
    "$program" check --from you@clinic.example --reply-all "$examples/reply-all.eml"
) >"$report" 2>&1 || status=$?
cat "$report"
# The example is a Reply All where one recipient has no certificate: exit 3, Not Encrypted.
if [[ $status -eq 3 ]] && grep -q "Not Encrypted" "$report" && grep -q "no_certificate" "$report"; then
    passed=$((passed + 1))
else
    echo "FAILED: the bundle's check gave exit $status, expected 3 and Not Encrypted" >&2
    failed=$((failed + 1))
fi

echo "bundle: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
