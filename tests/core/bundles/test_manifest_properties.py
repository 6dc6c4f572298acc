"""The bundle's parsers never fail any other way than BundleError, whatever they are given."""

import contextlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.core.bundles.manifest import BundleError, parse_manifest, read_export
from desktop_app.core.bundles.signing import open_bundle
from tests.factories.certs import NOW, TestCA

ADMIN = TestCA("Property Admin CA")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
exports = st.fixed_dictionaries(
    {
        "exported": st.one_of(st.just(NOW.isoformat()), st.text(max_size=30), st.integers()),
        "recipients": st.lists(
            st.fixed_dictionaries(
                {
                    "address": st.one_of(st.emails(), st.text(max_size=20), st.none(), json_values),
                    "proxy_addresses": st.one_of(
                        st.lists(st.text(max_size=30), max_size=3), json_values
                    ),
                    "certificates": st.one_of(
                        st.lists(st.text(max_size=40), max_size=3), json_values
                    ),
                }
            ),
            max_size=4,
        )
        | st.lists(json_values, max_size=3),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(exports, json_values))
def test_read_export_only_refuses_with_bundle_error(document: object) -> None:
    try:
        read = read_export(json.dumps(document).encode(), where="export.json")
    except BundleError:
        return
    for entry in read.manifest.entries:
        assert entry.aliases


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_manifest_and_bundle_readers_refuse_any_bytes_cleanly(data: bytes) -> None:
    for reader in (parse_manifest, lambda d: open_bundle(d, [ADMIN.cert], NOW)):
        with contextlib.suppress(BundleError):
            reader(data)
