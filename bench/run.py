"""``python -m bench.run``: benchmark ``generate`` against ``GET /api/ping`` on the real stack.

Start with ``./scripts/bench`` (it bootstraps the virtualenv and installs wrk).
The run prepares the ``doitong_bench`` database and bench accounts, starts
gunicorn and one Celery worker, checks that a job really completes, then for
each endpoint: warm-up, a few sequential requests (SQL queries per request),
a closed-loop saturation ladder and an open-loop run at half the saturating rate.
It prints a table, rewrites ``docs/benchmarks.md`` and stops everything it
started, also on Ctrl-C and errors. See ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from bench.cpu import CpuSplit, CpuWindow, busy_fraction
from bench.load import SCENARIOS, LoadResult, Scenario, open_loop_connections, run_load
from bench.profile import pyspy_path, start_record, summarize
from bench.report import EndpointResult, RunReport, now_utc
from bench.stack import BENCH_ENV, ROOT, Stack, free_port
from bench.wrk import run_wrk, wrk_path

DOCS = ROOT / "docs" / "benchmarks.md"
# Python-client runs load this long before measuring (fresh connections are slower).
RAMP_S = 1.0
POLL_QUERY = 'query { generation(id: "%s") { status } }'


def log(message: str) -> None:
    """Progress output (stderr, so stdout keeps just the table)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; every default keeps a run under ~3 minutes."""
    p = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Benchmark generate against GET /api/ping on the real stack.",
    )
    p.add_argument("--endpoints", default="ping,generate", help="comma-separated (ping,generate)")
    p.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    p.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker")
    p.add_argument("--users", type=int, default=50, help="bench accounts, one test key each")
    p.add_argument(
        "--ladder", default="8,24,64", help="closed-loop connection counts tried for saturation"
    )
    p.add_argument("--step-seconds", type=float, default=6.0, help="length of each ladder step")
    p.add_argument("--half-seconds", type=float, default=15.0, help="length of the half-load run")
    p.add_argument("--warmup-seconds", type=float, default=3.0)
    p.add_argument(
        "--tool",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="saturation load generator (auto: wrk when installed)",
    )
    p.add_argument(
        "--load-processes", type=int, default=1, help="processes of the Python load generator"
    )
    p.add_argument("--profile", action="store_true", help="py-spy the workers at saturation")
    p.add_argument("--profile-seconds", type=float, default=10.0)
    p.add_argument("--reuse-db", action="store_true", help="keep doitong_bench, don't re-create")
    p.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="before the run and before each measured phase, wait up to this long for "
        "CPU use outside the stack to settle",
    )
    p.add_argument("--no-docs", action="store_true", help="do not rewrite docs/benchmarks.md")
    p.add_argument("--keep-workdir", action="store_true", help="keep logs and media of the run")
    p.add_argument("--port", type=int, default=0, help="gunicorn port (default: a free one)")
    args = p.parse_args(argv)
    args.endpoints = [e.strip() for e in args.endpoints.split(",") if e.strip()]
    unknown = [e for e in args.endpoints if e not in SCENARIOS]
    if unknown:
        p.error(f"unknown endpoint(s): {', '.join(unknown)}")
    args.ladder = sorted({int(x) for x in args.ladder.split(",") if x.strip()})
    if args.tool == "auto":
        args.tool = "wrk" if wrk_path() else "python"
    elif args.tool == "wrk" and not wrk_path():
        p.error("wrk is not installed (apt-get install -y wrk), or use --tool python")
    return args


# --- plain HTTP helpers (http.client: sequential, reads headers) ---------------------
def _request(
    stack: Stack, key: str, scenario: Scenario, body: bytes | None = None
) -> tuple[int, int | None, Any]:
    conn = http.client.HTTPConnection(stack.host, stack.port, timeout=15)
    try:
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        conn.request(scenario.method, scenario.path, body=body or scenario.body, headers=headers)
        resp = conn.getresponse()
        payload = resp.read()
        count = resp.getheader("X-Query-Count")
        try:
            data = json.loads(payload)
        except ValueError:
            data = {"raw": payload[:300].decode(errors="replace")}
        return resp.status, int(count) if count is not None else None, data
    finally:
        conn.close()


def sequential_queries(
    stack: Stack, scenario: Scenario, keys: list[str], n: int = 5
) -> list[int | None]:
    """``X-Query-Count`` of ``n`` sequential requests with already-used keys."""
    return [_request(stack, keys[i % len(keys)], scenario)[1] for i in range(n)]


def smoke_job(stack: Stack, key: str, timeout_s: float = 30.0) -> str:
    """Create one job and poll it until the worker finishes it; describe the outcome."""
    status, _, data = _request(stack, key, SCENARIOS["generate"])
    gen = (data.get("data") or {}).get("generate") if isinstance(data, dict) else None
    if status != 200 or not gen:
        raise RuntimeError(f"generate does not work: HTTP {status} {json.dumps(data)[:400]}")
    t0 = time.monotonic()
    body = json.dumps({"query": POLL_QUERY % gen["id"]}).encode()
    state = gen["status"]
    while time.monotonic() - t0 < timeout_s:
        stack.check_alive()
        _, _, data = _request(stack, key, SCENARIOS["generate"], body=body)
        state = ((data.get("data") or {}).get("generation") or {}).get("status", "?")
        if state in ("COMPLETED", "FAILED", "CANCELLED"):
            break
        time.sleep(0.25)
    return f"smoke job {gen['id']}: {state} after {time.monotonic() - t0:.1f} s"


def drain(stack: Stack, timeout_s: float = 15.0) -> None:
    """Wait until requests queued by the previous phase are served (a quick ping again).

    A closed loop that stops leaves requests in gunicorn's queue; they would slow
    down the start of the next phase.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        t0 = time.monotonic()
        conn = http.client.HTTPConnection(stack.host, stack.port, timeout=timeout_s)
        try:
            conn.request("GET", "/api/ping")
            conn.getresponse().read()
        except OSError:
            pass
        finally:
            conn.close()
        if time.monotonic() - t0 < 0.05:
            return
        time.sleep(0.1)


def queue_depth() -> int | None:
    """Messages waiting in the broker's ``generations`` queue (None if unknown)."""
    try:
        import redis

        client = redis.Redis.from_url(BENCH_ENV["CELERY_BROKER_URL"], socket_timeout=5)
        try:
            return int(client.llen("generations"))
        finally:
            client.close()
    except Exception as exc:  # a missing number must not fail the run
        log(f"could not read the broker queue length: {exc!r}")
        return None


# --- phases ----------------------------------------------------------------------------
def _closed(
    stack: Stack,
    args: argparse.Namespace,
    scenario: Scenario,
    keys: list[str],
    seconds: float,
    conns: int,
) -> LoadResult:
    if args.tool == "wrk":
        return run_wrk(
            host=stack.host,
            port=stack.port,
            scenario=scenario,
            keys=keys,
            duration_s=seconds,
            connections=conns,
        )
    return run_load(
        host=stack.host,
        port=stack.port,
        scenario=scenario,
        keys=keys,
        duration_s=seconds,
        connections=conns,
        processes=max(2, args.load_processes),
        ramp_s=RAMP_S,
    )


def _roots(stack: Stack) -> dict[str, int]:
    return {
        "gunicorn": stack.pid("gunicorn"),
        "celery": stack.pid("celery"),
        "loadgen": os.getpid(),
    }


def _with_cpu(
    stack: Stack, seconds: float, work: Callable[[], LoadResult]
) -> tuple[LoadResult, CpuSplit]:
    """Run ``work`` while measuring the CPU split over the middle of the phase."""
    window = CpuWindow(
        delay_s=min(1.5, seconds * 0.2),
        window_s=max(0.5, seconds * 0.6),
        roots=_roots(stack),
    )
    window.start()
    result = work()
    window.join(timeout=seconds + 5)
    return result, window.result


def _summary(r: LoadResult) -> str:
    q = r.queries_per_request
    return (
        f"{r.rps:7.1f} req/s  p50 {r.percentile(50):7.1f} ms  p99 {r.percentile(99):7.1f} ms  "
        f"errors {r.errors}  SQL/req " + (f"{q:.2f}" if q is not None else "-")
    )


def _workers(split: CpuSplit) -> str:
    return "/".join(f"{pct:.0f}" for pct in split.gunicorn_workers) + " %"


def bench_endpoint(
    stack: Stack, args: argparse.Namespace, name: str, keys: list[str], report: RunReport
) -> EndpointResult:
    """Warm-up, sequential samples, saturation ladder, half-load run (and profile)."""
    scenario = SCENARIOS[name]
    ep = EndpointResult(name=name)
    report.endpoints[name] = ep
    log(f"{name}: warm-up {args.warmup_seconds:.0f} s")
    _closed(stack, args, scenario, keys, args.warmup_seconds, max(args.ladder))
    drain(stack)
    ep.sequential_queries = sequential_queries(stack, scenario, keys)
    best_split: CpuSplit | None = None
    for conns in args.ladder:
        stack.check_alive()
        drain(stack)
        quiet_others(stack, args.wait_quiet)
        result, split = _with_cpu(
            stack,
            args.step_seconds,
            lambda c=conns: _closed(stack, args, scenario, keys, args.step_seconds, c),
        )
        log(f"{name}: closed loop, {conns:3d} conns: {_summary(result)}")
        log(f"{name}:   CPU {split.describe()}; gunicorn workers {_workers(split)}")
        if result.first_error:
            log(f"{name}: first error: {result.first_error}")
        if not ep.ladder or result.rps > max(r.rps for r in ep.ladder):
            best_split = split
        ep.ladder.append(result)
    ep.cpu_saturation = best_split
    sat = ep.saturation
    assert sat is not None
    if args.profile:
        profile_endpoint(stack, args, ep, scenario, keys, sat.connections)
    rate = sat.rps / 2
    if rate < 1:
        report.notes.append(f"{name}: saturation below 2 req/s, half-load run skipped")
        return ep
    stack.check_alive()
    drain(stack)
    quiet_others(stack, args.wait_quiet)
    conns = open_loop_connections(rate)
    log(f"{name}: open loop at {rate:.1f} req/s for {args.half_seconds:.0f} s ({conns} conns)")
    ep.half, ep.cpu_half = _with_cpu(
        stack,
        args.half_seconds,
        lambda: run_load(
            host=stack.host,
            port=stack.port,
            scenario=scenario,
            keys=keys,
            duration_s=args.half_seconds,
            connections=conns,
            rate=rate,
            processes=args.load_processes,
            ramp_s=RAMP_S,
        ),
    )
    log(f"{name}: open loop: {_summary(ep.half)}")
    log(f"{name}:   CPU {ep.cpu_half.describe()}; gunicorn workers {_workers(ep.cpu_half)}")
    if ep.half.max_backlog > conns:
        report.notes.append(
            f"{name}: the open-loop client queued up to {ep.half.max_backlog} requests "
            "(server slower than the schedule); their wait is in the latencies"
        )
    for label, r in (("saturation", sat), ("half load", ep.half)):
        if r.first_error:
            report.notes.append(f"{name}, {label}: first error: `{r.first_error[:300]}`")
    return ep


def profile_endpoint(
    stack: Stack,
    args: argparse.Namespace,
    ep: EndpointResult,
    scenario: Scenario,
    keys: list[str],
    conns: int,
) -> None:
    """Sample the gunicorn workers with py-spy while saturating them."""
    if pyspy_path() is None:
        log("py-spy is not installed (.venv/bin/pip install py-spy): no profile")
        return
    out = stack.workdir / f"profile-{ep.name}.txt"
    log(f"{ep.name}: py-spy on the gunicorn workers for {args.profile_seconds:.0f} s")
    recorder = start_record(stack.pid("gunicorn"), args.profile_seconds, out)
    drain(stack)
    try:
        _closed(stack, args, scenario, keys, args.profile_seconds + 1.5, conns)
        _, err = recorder.communicate(timeout=args.profile_seconds + 30)
    finally:
        if recorder.poll() is None:
            recorder.kill()
            recorder.wait()
    if not out.exists():
        log(f"py-spy wrote no profile: {err.decode(errors='replace')[-500:]}")
        return
    ep.profile = summarize(out.read_text())
    top = ", ".join(f"{n} {p:.0f}%" for n, p in ep.profile.package_top[:6])
    log(f"{ep.name}: profile ({ep.profile.samples} samples): {top}")


def quiet_others(stack: Stack, limit_s: float) -> None:
    """Before a phase, wait (up to ``limit_s``) while processes outside the stack use
    more than a quarter of a core. Does nothing when ``limit_s`` is 0."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        window = CpuWindow(delay_s=0.0, window_s=1.0, roots=_roots(stack))
        window.run()  # in this thread: 1 s
        other = window.result.by_group.get("other", 0.0)
        if other <= 25:
            return
        log(f"processes outside the stack use {other:.0f}% of a core; waiting")
        time.sleep(2)


def wait_quiet(limit_s: float) -> float:
    """Wait (up to ``limit_s``) until the machine is mostly idle; return its busy share."""
    deadline = time.monotonic() + limit_s
    busy = busy_fraction(1.0)
    while busy > 0.25 and time.monotonic() < deadline:
        log(f"machine is {busy:.0%} busy before the run; waiting for it to settle")
        time.sleep(4)
        busy = busy_fraction(1.0)
    return busy


# --- main ------------------------------------------------------------------------------
def _raise_interrupt(signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def run(args: argparse.Namespace) -> RunReport:
    """One whole benchmark run; the stack is stopped before this returns or raises."""
    t0 = time.monotonic()
    port = args.port or free_port()
    stack = Stack(
        port=port,
        workers=args.workers,
        threads=args.threads,
        log=log,
        keep_workdir=args.keep_workdir,
    )
    report = RunReport(
        started=now_utc(),
        gunicorn=" ".join(["gunicorn", *stack.gunicorn_cmd[1:]]).replace(
            f":{port} ", f":{args.port or '<free port>'} "
        ),
        saturation_tool="wrk" if args.tool == "wrk" else "Python asyncio client",
        half_tool="Python asyncio client",
    )
    with stack:
        busy = wait_quiet(args.wait_quiet)
        if busy > 0.25:
            report.notes.append(
                f"the machine was already {busy:.0%} busy before the run (other processes); "
                "expect lower, noisier numbers"
            )
        log(f"database: {'keeping' if args.reuse_db else 're-creating'} doitong_bench; migrating")
        stack.flush_redis()
        stack.prepare_database(fresh=not args.reuse_db)
        keys = stack.seed(args.users)
        log(
            f"seeded {len(keys)} accounts; starting gunicorn ({args.workers}x{args.threads}) "
            f"on :{port} and a Celery worker"
        )
        stack.start()
        smoke = smoke_job(stack, keys[0])
        log(smoke)
        report.notes.append(smoke)
        for name in args.endpoints:
            bench_endpoint(stack, args, name, keys, report)
        depth = queue_depth()
        if "generate" in args.endpoints and depth is not None:
            report.notes.append(
                f"{depth} generation messages were still waiting in the broker at the end "
                "(the single worker runs far fewer jobs per second than the API accepts)"
            )
        for ep in report.endpoints.values():
            seq = ", ".join("-" if q is None else str(q) for q in ep.sequential_queries)
            report.notes.append(f"{ep.name}: X-Query-Count of 5 sequential requests: {seq}")
        for ep in report.endpoints.values():
            for split in (ep.cpu_saturation, ep.cpu_half):
                if split and split.by_group.get("other", 0) > 25:
                    report.notes.append(
                        f"{ep.name}: {split.by_group['other']:.0f} % of a core went to processes "
                        "outside the stack during a phase; its results are noisy"
                    )
                    break
        log("stopping the stack")
    report.elapsed_s = time.monotonic() - t0
    return report


def main(argv: list[str] | None = None) -> int:
    """Entry point: run, print the table, write the docs; 130 on Ctrl-C."""
    args = parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _raise_interrupt)
    try:
        report = run(args)
    except KeyboardInterrupt:
        log("interrupted; everything the benchmark started has been stopped")
        return 130
    print(report.text())
    if not args.no_docs:
        DOCS.parent.mkdir(parents=True, exist_ok=True)
        Path(DOCS).write_text(report.markdown())
        log(f"wrote {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
