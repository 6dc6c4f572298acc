"""Every file under resources/ is installed by a plain ``pip install .``."""

import fnmatch
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_data_files_cover_every_resource() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = [p for globs in config["tool"]["setuptools"]["data-files"].values() for p in globs]
    resources = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "resources").rglob("*")
        if path.is_file()
    ]
    missing = [name for name in resources if not any(fnmatch.fnmatch(name, p) for p in patterns)]
    assert resources and missing == []
    for target, globs in config["tool"]["setuptools"]["data-files"].items():
        for pattern in globs:
            folder = pattern.rsplit("/", 1)[0].removeprefix("resources")
            assert target == "share/smime-guard/resources" + folder, (target, pattern)
