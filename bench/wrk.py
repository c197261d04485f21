"""Closed-loop load with wrk (C, epoll): the cheapest way to saturate the server.

`bench/wrk.lua` rotates the bench keys, reads every response and prints one
``WRK_JSON {...}`` line with counters and latency percentiles, parsed here into
a `LoadResult`.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from bench.load import READ_TIMEOUT_S, LoadResult, Scenario

LUA_SCRIPT = Path(__file__).with_name("wrk.lua")


def wrk_path() -> str | None:
    """The wrk executable, or None when it is not installed."""
    return shutil.which("wrk")


def _child_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_wrk(
    *,
    host: str,
    port: int,
    scenario: Scenario,
    keys: list[str],
    duration_s: float,
    connections: int,
    threads: int = 2,
) -> LoadResult:
    """Run wrk for ``duration_s`` seconds with ``connections`` connections (closed loop)."""
    exe = wrk_path()
    if exe is None:
        raise RuntimeError("wrk is not installed (apt-get install -y wrk)")
    threads = max(1, min(threads, connections))
    with tempfile.TemporaryDirectory(prefix="doitong-wrk-") as tmp:
        keys_file = Path(tmp, "keys.txt")
        keys_file.write_text("\n".join(keys) + "\n")
        body_file = Path(tmp, "body.json")
        body_file.write_bytes(scenario.body or b"")
        cmd = [
            exe,
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={max(1, round(duration_s))}s",
            f"--timeout={int(READ_TIMEOUT_S)}s",
            f"--script={LUA_SCRIPT}",
            f"http://{host}:{port}{scenario.path}",
            "--",
            str(keys_file),
            scenario.method,
            scenario.path,
            str(body_file) if scenario.body is not None else "",
        ]
        cpu0 = _child_cpu_s()
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=duration_s + 60, check=False
        )
        cpu = _child_cpu_s() - cpu0
    line = next((x for x in proc.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    return LoadResult(
        tool="wrk",
        mode="closed",
        connections=connections,
        duration_s=data["duration_us"] / 1e6,
        statuses=Counter({int(k): v for k, v in data["statuses"].items()}),
        graphql_errors=data["gql_errors"],
        transport_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        first_error=data["first_error"],
        query_count_sum=data["qsum"],
        query_count_n=data["qn"],
        client_cpu_s=cpu,
        completed_override=data["requests"],
        percentiles_override={
            "p50": data["p50_us"] / 1000,
            "p95": data["p95_us"] / 1000,
            "p99": data["p99_us"] / 1000,
            "p100": data["max_us"] / 1000,
        },
    )
