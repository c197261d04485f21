"""Optional sampling profile of the gunicorn workers under load, with py-spy.

py-spy is not a project dependency: install it into the virtualenv when you want
a profile (``.venv/bin/pip install py-spy``) and run ``./scripts/bench --profile``.
`record` samples the gunicorn master and its workers; `summarize` turns py-spy's
collapsed stacks into "what dominates" tables (self time, inclusive time by
package, inclusive time of the project's own functions).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_PACKAGES = ("billing", "generations", "providers", "portal", "doitong")
# Pass-through frames left out of the project-functions table (they wrap everything).
_WRAPPER = re.compile(r"Middleware\.__call__$|<locals>\.wrapper$")
_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def pyspy_path() -> str | None:
    """py-spy from the virtualenv, else from PATH; None when not installed."""
    local = Path(sys.executable).with_name("py-spy")
    return str(local) if local.exists() else shutil.which("py-spy")


def start_record(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    """Start sampling ``pid`` and its subprocesses for ``seconds`` (collapsed stacks)."""
    exe = pyspy_path()
    if exe is None:
        raise RuntimeError("py-spy is not installed: .venv/bin/pip install py-spy")
    cmd = [
        exe, "record", "--pid", str(pid), "--subprocesses",
        "--duration", str(max(1, round(seconds))), "--rate", "100", "--gil",
        "--format", "raw", "--output", str(out),
    ]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@dataclass
class ProfileSummary:
    """Shares of CPU samples (percent of all samples of the gunicorn workers)."""

    samples: int = 0
    self_top: list[tuple[str, float]] = field(default_factory=list)
    package_top: list[tuple[str, float]] = field(default_factory=list)
    project_top: list[tuple[str, float]] = field(default_factory=list)


def _parse_frame(frame: str) -> tuple[str, str]:
    match = _FRAME.match(frame.strip())
    if match is None:
        return frame.strip(), ""
    return match["func"], match["file"]


def _package(file: str) -> str:
    """A readable bucket for a source file: ``django.db``, ``psycopg``, ``stdlib``…"""
    path = file.replace("\\", "/")
    if "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    elif "/lib/python3" in path or "/" not in path:
        return "stdlib"
    parts = [p for p in path.split("/") if p]
    if not parts:
        return "?"
    top = parts[0].removesuffix(".py")
    if top == "django" and len(parts) > 2:
        return f"django.{parts[1]}"
    return top


def summarize(raw: str, top: int = 10) -> ProfileSummary:
    """Summarize py-spy ``--format raw`` output (``frame;frame;… count`` lines).

    ``project_top`` leaves out middleware and decorator wrappers.
    ``package_top`` attributes each sample to the package of its innermost frame
    outside the standard library (time in ``socket.py`` called by psycopg counts
    for psycopg), which says which library or app the CPU time is spent for.
    """
    self_counts: Counter[str] = Counter()
    package_counts: Counter[str] = Counter()
    project_counts: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [
            _parse_frame(f) for f in stack.split(";") if not f.startswith(("process ", "thread "))
        ]
        if not frames:
            continue
        total += count
        func, file = frames[-1]
        self_counts[f"{func} ({file})"] += count
        owner = next(
            (p for p in (_package(f) for _, f in reversed(frames) if f) if p != "stdlib"),
            "stdlib",
        )
        package_counts[owner] += count
        for name in {
            f"{func} ({file})"
            for func, file in frames
            if file.split("/", 1)[0] in PROJECT_PACKAGES and not _WRAPPER.search(func)
        }:
            project_counts[name] += count

    def shares(counter: Counter[str]) -> list[tuple[str, float]]:
        return [(name, 100.0 * n / total) for name, n in counter.most_common(top)] if total else []

    return ProfileSummary(
        samples=total,
        self_top=shares(self_counts),
        package_top=shares(package_counts),
        project_top=shares(project_counts),
    )
