"""The self-test: every check reports one line, and any failing check makes the exit non-zero."""

from __future__ import annotations

import argparse
import io
import shutil
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.cli import main
from desktop_app.cli.exit_codes import EXIT_FAILURE, EXIT_OK
from desktop_app.cli.parser import build_parser
from desktop_app.cli.selftest_command import run_self_test
from desktop_app.services import paths
from desktop_app.services.paths import resource_folder
from desktop_app.services.policy_files import system_policy_path
from desktop_app.services.secrets import SecretStore, checked_secret_store
from desktop_app.services.selftest import (
    CheckFailed,
    CheckResult,
    SelfTestSettings,
    default_checks,
    run_checks,
)
from desktop_app.services.selftest.admin_checks import check_keyring, check_trust_anchors
from tests.factories.certs import TestCA
from tests.services.keyrings import ForgetfulKeyring, InMemoryKeyring, PlaintextKeyring

CHECK_NAMES = ["Qt", "resources", "seal/open", "keyring", "policy", "trust anchors"]


@pytest.fixture
def settings(tmp_path: Path, qtbot: QtBot) -> SelfTestSettings:
    """Everything in order: checkout resources, an in-memory keyring, no admin files."""
    del qtbot  # the QApplication of pytest-qt is the one the Qt checks use
    return SelfTestSettings(
        resources=resource_folder(),
        home=tmp_path / "home",
        secret_store=lambda: SecretStore(InMemoryKeyring()),
        system_policy=tmp_path / "system" / "policy.toml",
        system_trust_anchors=tmp_path / "system" / "trust-anchors",
    )


def run(settings: SelfTestSettings) -> tuple[int, list[str]]:
    out = io.StringIO()
    status = run_self_test(argparse.Namespace(), settings.home, settings=settings, stream=out)
    return status, out.getvalue().splitlines()


def test_all_checks_pass_and_report_one_line_each(settings: SelfTestSettings) -> None:
    status, lines = run(settings)
    assert status == EXIT_OK, lines
    assert [line.split(":")[0] for line in lines[:-1]] == [f"ok   {n}" for n in CHECK_NAMES]
    assert lines[-1] == "self-test passed: 6 checks"
    assert "opened and verified" in lines[2]
    assert "InMemoryKeyring" in lines[3]
    assert "defaults are in force" in lines[4]


def test_a_refused_keyring_fails_the_self_test_and_says_which(
    settings: SelfTestSettings,
) -> None:
    refused = SelfTestSettings(
        resources=settings.resources,
        home=settings.home,
        secret_store=lambda: checked_secret_store(PlaintextKeyring()),
        system_policy=settings.system_policy,
        system_trust_anchors=settings.system_trust_anchors,
    )
    status, lines = run(refused)
    assert status == EXIT_FAILURE
    keyring_line = next(line for line in lines if "keyring:" in line)
    assert keyring_line.startswith("FAIL keyring:")
    assert "keyrings.alt.file.PlaintextKeyring" in keyring_line
    # The other checks still ran and passed.
    assert sum(line.startswith("ok   ") for line in lines) == 5
    assert lines[-1] == "self-test FAILED: keyring"


def test_a_keyring_that_forgets_fails() -> None:
    with pytest.raises(CheckFailed, match="did not return"):
        check_keyring(lambda: SecretStore(ForgetfulKeyring()))


def test_a_bad_system_policy_fails_with_its_line(settings: SelfTestSettings) -> None:
    assert settings.system_policy is not None
    settings.system_policy.parent.mkdir(parents=True)
    settings.system_policy.write_text('require_encrytion = "always"\n', encoding="utf-8")
    status, lines = run(settings)
    assert status == EXIT_FAILURE
    policy_line = next(line for line in lines if " policy:" in line)
    assert policy_line.startswith("FAIL policy:")
    assert "require_encrytion" in policy_line


def test_the_sample_policy_parses(settings: SelfTestSettings) -> None:
    assert settings.system_policy is not None
    settings.system_policy.parent.mkdir(parents=True)
    sample = Path(__file__).resolve().parents[2] / "packaging" / "policy.toml"
    shutil.copy(sample, settings.system_policy)
    status, lines = run(settings)
    assert status == EXIT_OK, lines
    assert any(str(settings.system_policy) in line and "external" in line for line in lines)


def test_missing_resources_fail(settings: SelfTestSettings, tmp_path: Path) -> None:
    broken = tmp_path / "resources"
    shutil.copytree(settings.resources, broken)
    (broken / "icons" / "lock-closed.svg").unlink()
    shutil.rmtree(broken / "demo" / "inbox")
    status, lines = run(
        SelfTestSettings(
            resources=broken,
            home=settings.home,
            secret_store=settings.secret_store,
            system_policy=settings.system_policy,
            system_trust_anchors=settings.system_trust_anchors,
        )
    )
    assert status == EXIT_FAILURE
    assert any(line.startswith("FAIL resources:") and "lock-closed" in line for line in lines)


def test_trust_anchor_files_are_read(tmp_path: Path) -> None:
    folder = tmp_path / "trust-anchors"
    folder.mkdir()
    (folder / "practice-ca.pem").write_bytes(TestCA("Practice Root").pem)
    (folder / "README.txt").write_text("not a certificate, not read", encoding="utf-8")
    assert check_trust_anchors(folder).startswith("1 certificate in 1 file in ")
    (folder / "broken.crt").write_bytes(b"not a certificate")
    with pytest.raises(Exception, match=r"broken\.crt"):
        check_trust_anchors(folder)


def test_a_crashing_check_fails_alone() -> None:
    def broken() -> str:
        raise RuntimeError("boom")

    seen: list[CheckResult] = []
    results = run_checks([("first", broken), ("second", lambda: "fine")], seen.append)
    assert results == seen
    assert results == [
        CheckResult("first", False, "RuntimeError: boom"),
        CheckResult("second", True, "fine"),
    ]


def test_extra_checks_run_after_the_default_ones(settings: SelfTestSettings) -> None:
    extra = SelfTestSettings(
        resources=settings.resources, home=settings.home, extra=(("more", lambda: "x"),)
    )
    assert [name for name, _ in default_checks(extra)] == [*CHECK_NAMES, "more"]


def test_the_flag_runs_the_self_test(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert build_parser().parse_args(["--self-test"]).self_test
    assert not build_parser().parse_args([]).self_test
    calls: list[Path] = []

    def fake(arguments: argparse.Namespace, home: Path) -> int:
        calls.append(home)
        return 7

    monkeypatch.setattr("desktop_app.cli.selftest_command.run_self_test", fake)
    assert main(["--home", str(tmp_path), "--self-test"]) == 7
    assert calls == [tmp_path]


def test_system_folders_share_the_policy_files_location() -> None:
    assert paths.system_folder() == system_policy_path().parent
    assert paths.system_trust_anchor_folder() == paths.system_folder() / "trust-anchors"


def test_the_resources_line_counts_the_messages_the_demo_inbox_shows(
    settings: SelfTestSettings, tmp_path: Path
) -> None:
    from desktop_app.services.demo.home import ensure_demo_home
    from desktop_app.services.selftest.qt_checks import check_resources
    from tests.ui.make_screenshots import DEMO_NOW

    demo = ensure_demo_home(tmp_path / "demo", settings.resources / "demo", DEMO_NOW)
    shown = len(list((demo.root / "inbox").glob("*.eml")))
    assert f"and {shown} messages" in check_resources(settings.resources)
