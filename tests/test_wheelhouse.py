"""scripts/wheelhouse.py: the wheels for a machine without internet.

Making the folder needs PyPI (tens of MB), so the suite checks what the script asks pip
for and what it tells the person installing; the whole run, and an install from its
folder with ``--no-index`` in a fresh virtual environment, was done by hand (session 10;
the README's "Installing without internet").
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("wheelhouse", ROOT / "scripts" /
                                                  "wheelhouse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_wheels_of_this_kind_of_machine():
    own, needs = _script().plan(Path("w"))
    assert own == [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", "w",
                   str(ROOT)]
    assert needs == [sys.executable, "-m", "pip", "download", "--dest", "w", "WHEEL"]
    _own, needs = _script().plan(Path("w"), extra=("jupyterlab",))
    assert needs[-2:] == ["WHEEL", "jupyterlab"]


def test_the_wheels_of_windows_are_wheels_only():
    """Nothing may be built on the target: another platform's wheels only (pip refuses a
    --platform without --only-binary=:all: anyway)."""
    _own, needs = _script().plan(Path("w"), "win_amd64", "3.12")
    assert needs[needs.index("--platform") + 1] == "win_amd64"
    assert needs[needs.index("--python-version") + 1] == "3.12"
    assert "--only-binary=:all:" in needs
    _own, needs = _script().plan(Path("w"), "win_amd64")
    assert needs[needs.index("--python-version") + 1] == \
        f"{sys.version_info.major}.{sys.version_info.minor}"


def test_the_note_in_the_folder_says_how_to_install_offline():
    text = _script().INSTALL_TEXT.format(target="win_amd64, Python 3.11")
    assert "python -m pip install --no-index --find-links . chainmap" in text
    assert "python -m chainmap demo" in text and "离线安装" in text
    assert "python -m jupyter lab notebooks" in text
    assert text.rstrip().endswith("win_amd64, Python 3.11")
