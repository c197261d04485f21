"""Who uses the 2 cores during a load phase: a /proc based CPU split.

A `CpuWindow` thread snapshots ``/proc/<pid>/stat`` for every process and
``/proc/stat`` at two instants inside a load phase, then attributes the CPU
time to gunicorn, the Celery worker, PostgreSQL, Redis, the load generator, the
kernel (its worker threads: writeback of PostgreSQL's WAL and the job outputs,
networking; plus interrupt time and processes that exited during the window)
and *other* processes (anything else running on the machine: noise).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class _Proc:
    comm: str
    ppid: int
    ticks: int


def _processes() -> dict[int, _Proc]:
    out: dict[int, _Proc] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        rest = raw[raw.rindex(")") + 2 :].split()
        out[int(entry.name)] = _Proc(
            comm=comm, ppid=int(rest[1]), ticks=int(rest[11]) + int(rest[12])
        )
    return out


def _busy_total() -> tuple[int, int]:
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])  # guest time is already included in user
    return total - idle, total


def busy_fraction(seconds: float) -> float:
    """Share of the whole machine's CPU that was busy over the next ``seconds``."""
    busy0, total0 = _busy_total()
    time.sleep(seconds)
    busy1, total1 = _busy_total()
    return (busy1 - busy0) / max(1, total1 - total0)


def _descendants(root: int, procs: Mapping[int, _Proc]) -> set[int]:
    children: dict[int, list[int]] = {}
    for pid, proc in procs.items():
        children.setdefault(proc.ppid, []).append(pid)
    found, stack = set(), [root]
    while stack:
        pid = stack.pop()
        if pid in found:
            continue
        found.add(pid)
        stack.extend(children.get(pid, []))
    return found


@dataclass
class CpuSplit:
    """CPU use over a window, in percent of one core (200 % = both cores busy)."""

    window_s: float = 0.0
    by_group: dict[str, float] = field(default_factory=dict)
    machine_busy_pct: float = 0.0  # of one core, from /proc/stat
    top_other: list[tuple[str, float]] = field(default_factory=list)  # biggest "other" ones
    gunicorn_workers: list[float] = field(default_factory=list)  # per worker process

    def describe(self) -> str:
        """``gunicorn 120%, postgres 40%, … (other: pytest 60%)`` (largest first)."""
        parts = sorted(self.by_group.items(), key=lambda kv: -kv[1])
        text = ", ".join(f"{name} {pct:.0f}%" for name, pct in parts if pct >= 0.5)
        others = [f"{name} {pct:.0f}%" for name, pct in self.top_other if pct >= 5]
        if others:
            text += f" (other: {', '.join(others)})"
        return text


class CpuWindow(threading.Thread):
    """Measure a `CpuSplit` from ``delay_s`` to ``delay_s + window_s`` after `start()`."""

    def __init__(self, *, delay_s: float, window_s: float, roots: Mapping[str, int]) -> None:
        super().__init__(daemon=True)
        self.delay_s = delay_s
        self.window_s = window_s
        self.roots = dict(roots)  # group name -> root pid of its process tree
        self.result = CpuSplit()

    def run(self) -> None:
        time.sleep(self.delay_s)
        before, busy0 = _processes(), _busy_total()
        t0 = time.monotonic()
        time.sleep(self.window_s)
        after, busy1 = _processes(), _busy_total()
        elapsed = time.monotonic() - t0
        groups: dict[int, str] = {}
        for name, root in self.roots.items():
            for pid in _descendants(root, after):
                groups.setdefault(pid, name)
        scale = 100.0 / CLK_TCK / elapsed
        totals: dict[str, float] = {}
        other: dict[str, float] = {}
        workers: list[float] = []
        gunicorn = self.roots.get("gunicorn")
        for pid, proc in after.items():
            old = before.get(pid)
            delta = proc.ticks - (old.ticks if old and old.comm == proc.comm else 0)
            if delta <= 0:
                continue
            name = groups.get(pid) or _group_by_name(pid, proc)
            totals[name] = totals.get(name, 0.0) + delta * scale
            if name == "other":
                other[proc.comm] = other.get(proc.comm, 0.0) + delta * scale
            if gunicorn is not None and proc.ppid == gunicorn:
                workers.append(delta * scale)
        machine = (busy1[0] - busy0[0]) * scale
        # Interrupt/softirq time and processes that exited meanwhile have no /proc entry.
        unattributed = max(0.0, machine - sum(totals.values()))
        totals["kernel"] = totals.get("kernel", 0.0) + unattributed
        self.result = CpuSplit(
            window_s=elapsed,
            by_group=totals,
            machine_busy_pct=machine,
            top_other=sorted(other.items(), key=lambda kv: -kv[1])[:3],
            gunicorn_workers=sorted(workers, reverse=True),
        )


def _group_by_name(pid: int, proc: _Proc) -> str:
    if proc.comm.startswith("postgres"):
        return "postgres"
    if proc.comm.startswith("redis"):
        return "redis"
    if pid == 2 or proc.ppid == 2:  # kthreadd and its children: kworkers, ksoftirqd…
        return "kernel"
    return "other"
