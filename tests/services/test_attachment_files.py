"""Attachments read from their files as a message is sealed: whole each time, checked."""

import os
from pathlib import Path

import pytest

from desktop_app.services.attachment_files import AttachmentFile
from desktop_app.services.files import InputFileError


def test_an_attachment_file_is_read_whole_each_time_and_checked_for_size(tmp_path: Path) -> None:
    path = tmp_path / "scan.bin"
    data = os.urandom(2_500_000)
    path.write_bytes(data)
    attachment = AttachmentFile.open(path)
    assert attachment.size == len(data)
    for _ in range(2):
        assert b"".join(bytes(chunk) for chunk in attachment.chunks()) == data
    with pytest.raises(InputFileError, match="too large"):
        AttachmentFile.open(path, max_bytes=len(data) - 1)
    path.unlink()  # gone between the check and the sealing
    with pytest.raises(InputFileError, match="cannot be read"):
        list(attachment.chunks())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_or_a_device_is_refused_at_once_instead_of_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for special in (pipe, Path(os.devnull)):
        with pytest.raises(InputFileError, match="not an ordinary file"):
            AttachmentFile.open(special)
    with pytest.raises(InputFileError, match="is a folder"):
        AttachmentFile.open(tmp_path)
