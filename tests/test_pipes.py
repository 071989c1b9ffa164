"""Piping a command or an example into ``head`` ends quietly (issue 11): no
BrokenPipeError traceback on stderr."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import chainmap

REPO = Path(__file__).resolve().parents[1]
F_SETPIPE_SZ = 1031  # Linux: shrink the pipe so that the writer is still writing


def head(args: list[str], cwd: Path) -> tuple[bytes, int, str]:
    """Run ``args`` with stdout into a pipe whose reader takes one byte and goes away."""
    read, write = os.pipe()
    try:
        fcntl.fcntl(write, F_SETPIPE_SZ, 4096)
    except OSError:  # not Linux: the default pipe; the output is larger still
        pass
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(args, stdout=write, stderr=subprocess.PIPE, cwd=cwd, env=env)
    os.close(write)
    first = os.read(read, 1)
    os.close(read)
    err = proc.stderr.read().decode() if proc.stderr else ""
    return first, proc.wait(timeout=120), err


def test_a_command_into_head_ends_quietly(run, db, tmp_path):
    assert run("import", chainmap.sample_path()).exit_code == 0
    assert run("config", "home", "当涂县").exit_code == 0
    code = "from chainmap.cli import run; run()"
    first, status, err = head([sys.executable, "-c", code, "--db", str(db), "gaps", "--chain",
                               "智能家电", "--format", "json"], tmp_path)
    assert first == b"["
    assert "Traceback" not in err and "BrokenPipe" not in err and "Error" not in err, err
    assert status in (0, 1)


def test_the_shell_pipe_into_head(run, db, tmp_path):
    assert run("import", chainmap.sample_path()).exit_code == 0
    assert run("config", "home", "当涂县").exit_code == 0
    cmd = (f"'{sys.executable}' -c 'from chainmap.cli import run; run()' --db '{db}' "
           "gaps --chain 智能家电 --format json | head -1")
    result = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=120)
    assert result.stdout == "[\n" and result.returncode == 0
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_an_example_into_head_ends_quietly(tmp_path):
    first, status, err = head([sys.executable, str(REPO / "examples" / "gaps_from_excel.py")],
                              tmp_path)
    assert first == b"["
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert status == 1  # the reader went away before the report was written
