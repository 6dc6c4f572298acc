"""A full disk while sealing: exit 2 with a clear message, and not one file left behind.

The disk is made "full" for this process with RLIMIT_FSIZE (with SIGXFSZ ignored, a write
past the limit fails with EFBIG, as one past a full disk fails with ENOSPC): portable to
any POSIX machine, no root and no tmpfs needed.
"""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.core.messages import text
from desktop_app.services.files import NewFiles, NoSpaceError, unwritable_error
from desktop_app.services.secrets import SecretStore
from tests.prerequisites import require
from tests.services.keyrings import InMemoryKeyring
from tests.test_cli_smime import LEE, ME, make_home

resource = pytest.importorskip("resource", reason="RLIMIT_FSIZE is POSIX")

LIMIT = 256 * 1024  # bytes any one file may grow to while the "disk" is full


@contextmanager
def file_size_limit(limit: int) -> Iterator[None]:
    """Writes past ``limit`` bytes of any file fail with EFBIG, in this process only."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    require(hard == resource.RLIM_INFINITY or hard >= limit, "RLIMIT_FSIZE cannot be lowered")
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)


def _seal_arguments(tmp_path: Path, out: Path) -> list[str]:
    body = tmp_path / "body.txt"
    body.write_text("Scan attached.\n", encoding="utf-8")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(os.urandom(4 * LIMIT))  # the envelope outgrows the limit
    return [
        "seal", "--from", "me@clinic.example", "--to", "lee@clinic.example",
        "--subject", "Scan", "--body-file", str(body), "--attach", str(scan),
        "--at", "2026-06-01T12:00:00+00:00", "--out-dir", str(out),
    ]  # fmt: skip


@pytest.fixture
def keyring() -> SecretStore:
    return SecretStore(InMemoryKeyring())


def test_a_full_disk_while_sealing_is_exit_2_and_leaves_no_file(
    tmp_path: Path, keyring: SecretStore, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    home = make_home(tmp_path / "home", ME, keyring, [LEE])
    out = tmp_path / "out"
    out.mkdir()
    arguments = _seal_arguments(tmp_path, out)
    # The command as ``smime-guard`` runs it, with the test's keyring in place of the OS one.
    monkeypatch.setattr("desktop_app.services.secrets.system_secret_store", lambda: keyring)
    monkeypatch.setenv("SMIME_GUARD_HOME", str(home))
    capsys.readouterr()

    with file_size_limit(LIMIT):
        code = main(arguments)

    err = capsys.readouterr().err
    assert code == 2, err
    assert "internal error" not in err.lower()
    assert "not enough space" in err and "Nothing was written" in err
    assert list(out.iterdir()) == []  # neither a sealed file nor a partial one

    assert main(arguments) == 0  # with room again, the same command seals
    assert [path.suffix for path in out.iterdir()] == [".eml"]


@pytest.mark.parametrize("name", ["ENOSPC", "EFBIG", "EDQUOT"])
def test_every_kind_of_out_of_space_is_one_error_naming_the_file(tmp_path: Path, name: str) -> None:
    number = getattr(errno, name, None)
    require(number is not None, f"this system has no {name}")
    assert number is not None
    path = tmp_path / "sealed.eml"

    error = unwritable_error(path, OSError(number, os.strerror(number)))

    assert isinstance(error, NoSpaceError)
    assert error.message == text("file.no_space", path=path, reason=os.strerror(number))
    other = unwritable_error(path, OSError(errno.EACCES, os.strerror(errno.EACCES)))
    assert not isinstance(other, NoSpaceError)


def test_a_write_to_a_full_device_leaves_nothing(tmp_path: Path) -> None:
    require(Path("/dev/full").exists(), "needs /dev/full (Linux)")
    out = tmp_path / "out"
    out.mkdir()
    # The file being written is the full device: every write fails with ENOSPC.
    (out / ".sealed.eml.partial").symlink_to("/dev/full")

    with pytest.raises(NoSpaceError), NewFiles(out) as new_files:
        new_files.open("sealed.eml").write(os.urandom(1 << 20))
        new_files.commit()

    assert list(out.iterdir()) == []
