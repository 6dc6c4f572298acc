"""New files appear together or not at all."""

from pathlib import Path

import pytest

from desktop_app.services.files import InputFileError, NewFiles, write_files_atomically


def test_files_appear_only_on_commit(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    with NewFiles(folder) as files:
        files.open("a.eml").write(b"first")
        files.write("b.eml", b"second")
        assert sorted(p.name for p in folder.iterdir()) == [".a.eml.partial", ".b.eml.partial"]
        committed = files.commit()
    assert [p.name for p in committed] == ["a.eml", "b.eml"]
    assert sorted(p.name for p in folder.iterdir()) == ["a.eml", "b.eml"]
    assert (folder / "b.eml").read_bytes() == b"second"


def test_a_failure_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), NewFiles(tmp_path) as files:
        files.write("a.eml", b"first")
        raise RuntimeError("sealing failed half way")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(InputFileError, match="cannot be written"):
        write_files_atomically({blocker / "x.eml": b"data"})
