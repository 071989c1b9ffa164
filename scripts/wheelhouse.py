"""Make a folder of wheels to install chainmap on a machine without internet (政务内网).

Run on a machine that reaches PyPI, from the repository::

    python scripts/wheelhouse.py wheels              # for a machine like this one
    python scripts/wheelhouse.py wheels --windows    # for 64-bit Windows, this Python
    python scripts/wheelhouse.py wheels --windows --python 3.12
    python scripts/wheelhouse.py wheels --windows --with jupyterlab   # notebooks too

The folder gets chainmap's own wheel, every wheel it needs (pandas, numpy, matplotlib
... about 60-75 MB), the planners' notebooks (``notebooks/``) and
``安装说明-INSTALL.txt``. Carry it over (a USB stick, the intranet's file share) and, on
the machine without internet, in that folder::

    python -m pip install --no-index --find-links . chainmap
    python -m chainmap demo

``--windows`` (or ``--platform TAG``) asks pip for the wheels of that platform and
Python version only (``--only-binary=:all:``): nothing is built on the target machine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INSTALL = "安装说明-INSTALL.txt"
INSTALL_TEXT = """\
chainmap 离线安装 / offline installation
=======================================

在本文件夹中（命令行先 cd 到这里）运行：
In this folder (cd here first), run:

    python -m pip install --no-index --find-links . chainmap

然后试一下 / then try:

    python -m chainmap demo

规划用的 Jupyter 笔记本在 notebooks 文件夹里（需要随带 jupyterlab：--with jupyterlab）。
The planners' notebooks are in notebooks/ (with jupyterlab carried along: --with jupyterlab):

    python -m pip install --no-index --find-links . jupyterlab
    python -m jupyter lab notebooks

--no-index 让 pip 不连网，只用本文件夹里的安装包。
--no-index keeps pip off the network: it uses only the wheels in this folder.
这些安装包适用于 / these wheels are for: {target}
"""


def plan(folder: Path, platform: str | None = None, python: str | None = None,
         extra: tuple[str, ...] = ()) -> list[list[str]]:
    """The pip commands that fill ``folder``: chainmap's wheel, then what it needs.

    Parameters
    ----------
    folder : Path
        Where the wheels go.
    platform : str or None
        A pip platform tag (``win_amd64``) for another kind of machine; ``None`` for one
        like this.
    python : str or None
        The target's Python version (``3.11``), with ``platform``; default this one's.
    extra : tuple of str
        More packages to carry along (``jupyterlab`` for the notebooks).

    Returns
    -------
    list of list of str
        The commands, each an argument list for :func:`subprocess.run`.

    Examples
    --------
    >>> [c[3] for c in plan(Path("w"))]
    ['wheel', 'download']
    >>> plan(Path("w"), "win_amd64", "3.11")[1][-6:]
    ['--only-binary=:all:', '--platform', 'win_amd64', '--python-version', '3.11', 'WHEEL']
    """
    pip = [sys.executable, "-m", "pip"]
    own = [*pip, "wheel", "--no-deps", "--wheel-dir", str(folder), str(ROOT)]
    needs = [*pip, "download", "--dest", str(folder)]
    if platform:
        version = python or f"{sys.version_info.major}.{sys.version_info.minor}"
        needs += ["--only-binary=:all:", "--platform", platform, "--python-version", version]
    # WHEEL: chainmap's wheel, once the first command has made it
    return [own, [*needs, "WHEEL", *extra]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="where the wheels go (made if missing)")
    parser.add_argument("--windows", action="store_true",
                        help="for 64-bit Windows (the same as --platform win_amd64)")
    parser.add_argument("--platform", help="a pip platform tag, e.g. manylinux2014_x86_64")
    parser.add_argument("--python", help="the target's Python version, e.g. 3.11 "
                                         "(default: this one's)")
    parser.add_argument("--with", dest="extra", action="append", default=[],
                        metavar="PACKAGE", help="more to carry along, e.g. jupyterlab "
                                                "(may be given again)")
    args = parser.parse_args(argv)
    platform = "win_amd64" if args.windows else args.platform
    args.folder.mkdir(parents=True, exist_ok=True)
    own, needs = plan(args.folder, platform, args.python, tuple(args.extra))
    before = set(args.folder.glob("chainmap-*.whl"))
    if subprocess.run(own).returncode:
        return 1
    made = sorted(set(args.folder.glob("chainmap-*.whl")) - before) or \
        sorted(args.folder.glob("chainmap-*.whl"))
    if not made:
        print(f"no chainmap wheel in {args.folder}", file=sys.stderr)
        return 1
    if subprocess.run([str(made[-1]) if a == "WHEEL" else a for a in needs]).returncode:
        return 1
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    target = f"{platform or 'this kind of machine'}, Python {args.python or here}"
    notebooks = args.folder / "notebooks"
    notebooks.mkdir(exist_ok=True)
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        shutil.copy2(notebook, notebooks / notebook.name)
    (args.folder / INSTALL).write_text(INSTALL_TEXT.format(target=target), encoding="utf-8")
    wheels = list(args.folder.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels) / 1e6
    print(f"{args.folder}: {len(wheels)} wheels, {size:.0f} MB, and {INSTALL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
