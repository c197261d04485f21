"""Results of a benchmark run: the terminal table and ``docs/benchmarks.md``."""

from __future__ import annotations

import math
import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.cpu import CpuSplit
from bench.load import LoadResult
from bench.profile import ProfileSummary

HOW_TO_RUN = """\
```bash
./scripts/bench                 # ~2 minutes; prints the table and rewrites this file
./scripts/bench --profile       # also samples the gunicorn workers with py-spy (+~25 s)
./scripts/bench --wait-quiet 60 # shared machine: wait for others' CPU load to settle first
./scripts/bench --help          # durations, gunicorn workers/threads, connection ladder…
```

Needs PostgreSQL on 127.0.0.1:5432 (user `postgres`, trust auth) and Redis on
127.0.0.1:6379. The command bootstraps `.venv`, installs `wrk` with apt when it is
missing and it runs as root (otherwise it falls back to the built-in Python load
generator), drops and re-creates the `doitong_bench` database, migrates it, seeds
50 enterprise accounts (limits overridden to 10^9, 10^12 test credits, one test key
each), starts gunicorn and one Celery worker on Redis db 10 (cache on db 11), runs
the load and stops everything again, also on Ctrl-C or errors. `--reuse-db` keeps
the database. `--no-docs` leaves this file alone. For `--profile`, first
`.venv/bin/pip install py-spy` (it is deliberately not a project dependency).
"""

METHOD = """\
For each endpoint, after a short warm-up:

1. **Saturation** — closed loop (each connection sends its next request as soon as
   the previous answer arrived) at each connection count of the ladder; the best
   requests/second is the saturating throughput.
2. **Half load** — open loop at a constant 50 % of that rate: requests are scheduled
   at fixed intervals whatever the server does, and each latency is measured from
   the request's *scheduled* time (no coordinated omission). This is the latency a
   client sees on a busy but not overloaded server.

Errors count transport errors, non-2xx responses and 2xx responses whose GraphQL
body carries `errors`. *SQL/req* is the mean `X-Query-Count` response header under
load (`DOITONG_COUNT_QUERIES=1`); the notes list a few sequential samples. `generate`
runs its jobs for real: the Celery worker (concurrency 1, 2-second sandbox jobs)
cannot keep up with hundreds of jobs per second, so its queue grows during the run
and the worker competes for the same 2 cores; the CPU split shows how much.
Everything shares one 2-core machine — load generator, PostgreSQL, Redis, gunicorn,
the worker. In the CPU split, *kernel* is kernel threads and interrupt time (much of
it writeback of PostgreSQL's WAL and of the job outputs), and *other* is processes
outside the stack: noise from anything else running on the machine. Neighbours on
the same virtual-machine host are invisible there, and repeated runs on the same
box have differed by up to ~25 % in throughput; compare runs made on one machine,
preferably several.
"""


@dataclass
class EndpointResult:
    """Everything measured for one endpoint."""

    name: str
    ladder: list[LoadResult] = field(default_factory=list)
    half: LoadResult | None = None
    sequential_queries: list[int | None] = field(default_factory=list)
    cpu_saturation: CpuSplit | None = None
    cpu_half: CpuSplit | None = None
    profile: ProfileSummary | None = None

    @property
    def saturation(self) -> LoadResult | None:
        """The ladder step with the highest throughput."""
        return max(self.ladder, key=lambda r: r.rps, default=None)


@dataclass
class RunReport:
    """A whole run: environment, endpoints and notes."""

    started: datetime
    gunicorn: str
    saturation_tool: str
    half_tool: str
    endpoints: dict[str, EndpointResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    # --- numbers ----------------------------------------------------------------
    def generate_vs_ping(self) -> float | None:
        """generate's saturating throughput as a percentage of ping's."""
        gen, ping = self.endpoints.get("generate"), self.endpoints.get("ping")
        if not gen or not ping or not gen.saturation or not ping.saturation:
            return None
        return 100.0 * gen.saturation.rps / ping.saturation.rps if ping.saturation.rps else None

    # --- rendering ----------------------------------------------------------------
    def rows(self) -> list[list[str]]:
        """One row per endpoint, shared by the terminal and Markdown tables."""
        out = []
        for ep in self.endpoints.values():
            sat, half = ep.saturation, ep.half
            if sat is None:
                continue
            queries = half.queries_per_request if half else sat.queries_per_request
            out.append(
                [
                    ep.name,
                    f"{sat.rps:.0f}",
                    str(sat.connections),
                    _ms(sat.percentile(50)),
                    _ms(sat.percentile(99)),
                    f"{half.target_rate:.0f}" if half and half.target_rate else "-",
                    f"{half.rps:.0f}" if half else "-",
                    _ms(half.percentile(50)) if half else "-",
                    _ms(half.percentile(95)) if half else "-",
                    _ms(half.percentile(99)) if half else "-",
                    _errors(sat, half),
                    f"{queries:.1f}" if queries is not None else "-",
                ]
            )
        return out

    HEADERS = (
        "endpoint", "max req/s", "conns", "p50 ms", "p99 ms",
        "target req/s", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "SQL/req",
    )  # fmt: skip

    def text(self) -> str:
        """The compact terminal table plus the key notes."""
        rows = [list(self.HEADERS), *self.rows()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(self.HEADERS))]
        fmt = "  ".join(f"{{:{'<' if i == 0 else '>'}{w}}}" for i, w in enumerate(widths))
        sat_w = sum(widths[1:5]) + 6
        half_w = sum(widths[5:10]) + 8
        lines = [
            " " * (widths[0] + 2)
            + f"{'saturation (closed loop, ' + self.saturation_tool + ')':<{sat_w}}  "
            + f"{'half load (open loop, ' + self.half_tool + ')':<{half_w}}",
            *(fmt.format(*r) for r in rows),
        ]
        ratio = self.generate_vs_ping()
        if ratio is not None:
            lines.append(f"generate throughput = {ratio:.1f} % of ping's")
        for ep in self.endpoints.values():
            if ep.cpu_saturation:
                lines.append(f"CPU at saturation, {ep.name}: {ep.cpu_saturation.describe()}")
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    def markdown(self) -> str:
        """The full ``docs/benchmarks.md``."""
        env = environment()
        md = [
            "# Benchmarks",
            "",
            "How fast is the `generate` mutation compared with the cheapest authenticated "
            "request (`GET /api/ping`), on the real stack: gunicorn, PostgreSQL, Redis and a "
            "Celery worker running the jobs. Produced by `./scripts/bench`, which rewrites "
            "this file on every run. What the numbers mean against the aims (p99 at half "
            "load, the share of `ping`'s throughput) and what dominates is in "
            "[benchmark-analysis.md](benchmark-analysis.md).",
            "",
            "## How to run",
            "",
            HOW_TO_RUN,
            "## Latest results",
            "",
            f"- date: {self.started:%Y-%m-%d %H:%M} UTC; run took {self.elapsed_s:.0f} s",
            f"- commit: {env['commit']}",
            f"- machine: {env['cpu']}, {env['cores']} cores, {env['memory']}; {env['os']}",
            f"- Python {env['python']}; PostgreSQL and Redis on loopback",
            f"- server: `{self.gunicorn}`; Celery worker `--concurrency 1`",
            f"- load tools: saturation with {self.saturation_tool} (closed loop), half load "
            f"with {self.half_tool} (open loop, constant arrival rate)",
            "",
            "| endpoint | max req/s | conns | p50 ms | p99 ms | half-load target req/s "
            "| req/s | p50 ms | p95 ms | p99 ms | errors (sat / half) | SQL/req |",
            "|---|" + "---:|" * 11,
            *("| " + " | ".join(f"`{r[0]}`" if i == 0 else r[i] for i in range(len(r))) + " |"
              for r in self.rows()),
            "",
        ]  # fmt: skip
        ratio = self.generate_vs_ping()
        if ratio is not None:
            md += [f"**`generate` reaches {ratio:.1f} % of `ping`'s throughput.**", ""]
        md += ["### Saturation ladder", ""]
        md += ["| endpoint | conns | req/s | p50 ms | p99 ms | errors | load-gen CPU s |"]
        md += ["|---|---:|---:|---:|---:|---:|---:|"]
        for ep in self.endpoints.values():
            for r in ep.ladder:
                md.append(
                    f"| `{ep.name}` | {r.connections} | {r.rps:.0f} | {_ms(r.percentile(50))} "
                    f"| {_ms(r.percentile(99))} | {r.errors} | {r.client_cpu_s:.1f} |"
                )
        md += ["", "### Where the CPU goes", ""]
        md += [
            "Percent of one core (the machine has 200 %), measured from /proc in the middle "
            "of each phase (for saturation, the best ladder step). Kept-alive connections "
            "stay on the gunicorn worker that accepted them, so workers can be unevenly "
            "loaded or idle (not listed).",
            "",
        ]
        for ep in self.endpoints.values():
            for label, split in (("saturation", ep.cpu_saturation), ("half load", ep.cpu_half)):
                if split:
                    workers = "/".join(f"{pct:.0f}" for pct in split.gunicorn_workers)
                    md.append(
                        f"- `{ep.name}`, {label}: {split.describe()} "
                        f"(machine {split.machine_busy_pct:.0f} %; per gunicorn worker {workers} %)"
                    )
        profiles = [ep for ep in self.endpoints.values() if ep.profile and ep.profile.samples]
        if profiles:
            md += ["", "### Profile of the gunicorn workers (py-spy, at saturation)", ""]
            for ep in profiles:
                assert ep.profile is not None
                md += _profile_md(ep.name, ep.profile)
        if self.notes:
            md += ["", "### Notes", "", *(f"- {n}" for n in self.notes)]
        md += ["", "## Method", "", METHOD]
        return "\n".join(md).rstrip() + "\n"


def _profile_md(name: str, prof: ProfileSummary) -> list[str]:
    md = [f"`{name}` — {prof.samples} samples of GIL-holding Python stacks (`--gil`).", ""]
    md += ["| by package (innermost non-stdlib frame) | % |", "|---|---:|"]
    md += [f"| {n} | {p:.0f} |" for n, p in prof.package_top]
    md += ["", "| inclusive, project functions | % |", "|---|---:|"]
    md += [f"| `{n}` | {p:.0f} |" for n, p in prof.project_top]
    md += ["", "| self (leaf frame) | % |", "|---|---:|"]
    md += [f"| `{n}` | {p:.1f} |" for n, p in prof.self_top]
    md.append("")
    return md


def _ms(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def _errors(sat: LoadResult, half: LoadResult | None) -> str:
    return f"{sat.errors} / {half.errors}" if half else str(sat.errors)


def environment() -> dict[str, str]:
    """CPU model, core count, memory, OS, Python and the checked-out commit."""
    cpu = "unknown CPU"
    mem = "unknown memory"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=False, timeout=5,
        ).stdout.strip() or "unknown"  # fmt: skip
    except OSError:
        commit = "unknown"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count() or "?"),
        "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "commit": commit,
    }


def now_utc() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)
