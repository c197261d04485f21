"""A small, efficient HTTP/1.1 load generator: closed loop or open loop (constant rate).

Stdlib only. Each load process runs one asyncio loop over raw keep-alive
connections with pre-built request bytes, so the client spends as little CPU as
possible (it shares the 2 cores with the server).

- **Closed loop** (``rate=None``): ``connections`` connections each send the next
  request as soon as the previous response arrived. Used to find saturation.
- **Open loop** (``rate=R``): requests are *scheduled* at a constant rate of R/s,
  whatever the server does; a request's latency is measured from its scheduled
  time, so client-side queueing counts (no coordinated omission, as in wrk2).

Every response is read fully: the status, ``X-Query-Count`` and, for 2xx, whether
the JSON body carries GraphQL ``"errors"`` (counted as errors too).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import multiprocessing as mp
import os
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

GENERATE_QUERY = (
    "mutation G($input: GenerateInput!) { generate(input: $input) { id status creditCost } }"
)
GENERATE_BODY = json.dumps(
    {
        "query": GENERATE_QUERY,
        "variables": {
            "input": {"type": "IMAGE", "provider": "flux-dev", "input": {"text": "bench"}}
        },
    }
).encode()

READ_TIMEOUT_S = 10.0
ERROR_SAMPLE_CHARS = 300


@dataclass(frozen=True)
class Scenario:
    """One endpoint under test: the HTTP method, path and (optional) JSON body."""

    name: str
    method: str
    path: str
    body: bytes | None = None

    def raw_requests(self, host: str, port: int, keys: list[str]) -> list[bytes]:
        """One pre-built HTTP/1.1 request per key (keys are rotated round-robin)."""
        out = []
        for key in keys:
            lines = [
                f"{self.method} {self.path} HTTP/1.1",
                f"Host: {host}:{port}",
                f"Authorization: Bearer {key}",
                "Accept: application/json",
                "User-Agent: doitong-bench",
            ]
            if self.body is not None:
                lines += ["Content-Type: application/json", f"Content-Length: {len(self.body)}"]
            out.append(("\r\n".join(lines) + "\r\n\r\n").encode() + (self.body or b""))
        return out


SCENARIOS = {
    "ping": Scenario("ping", "GET", "/api/ping"),
    "generate": Scenario("generate", "POST", "/graphql", GENERATE_BODY),
}


@dataclass
class LoadResult:
    """What one load phase measured (merged over load processes, or parsed from wrk)."""

    tool: str
    mode: str  # "closed" or "open"
    connections: int
    duration_s: float
    target_rate: float | None = None
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    statuses: Counter[int] = field(default_factory=Counter)
    graphql_errors: int = 0
    transport_errors: int = 0
    first_error: str = ""
    query_count_sum: int = 0
    query_count_n: int = 0
    client_cpu_s: float = 0.0
    max_backlog: int = 0
    # Filled by wrk, which does not hand out raw samples.
    completed_override: int | None = None
    percentiles_override: dict[str, float] | None = None

    @property
    def completed(self) -> int:
        """Responses received within the measured window."""
        if self.completed_override is not None:
            return self.completed_override
        return len(self.latencies_ms)

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.completed / self.duration_s if self.duration_s else 0.0

    @property
    def non_2xx(self) -> int:
        """Responses whose HTTP status is not 2xx."""
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)

    @property
    def errors(self) -> int:
        """Non-2xx responses + 2xx responses with GraphQL errors + transport errors."""
        return self.non_2xx + self.graphql_errors + self.transport_errors

    @property
    def queries_per_request(self) -> float | None:
        """Mean ``X-Query-Count`` over the responses that carried it."""
        return self.query_count_sum / self.query_count_n if self.query_count_n else None

    def percentile(self, p: float) -> float:
        """Latency percentile in ms (nearest-rank on raw samples, or wrk's histogram)."""
        if self.percentiles_override is not None:
            return self.percentiles_override[f"p{p:g}"]
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return ordered[rank - 1]

    def merge(self, other: LoadResult) -> None:
        """Add another load process's counters and samples to this result."""
        self.latencies_ms += other.latencies_ms
        self.statuses.update(other.statuses)
        self.graphql_errors += other.graphql_errors
        self.transport_errors += other.transport_errors
        self.first_error = self.first_error or other.first_error
        self.query_count_sum += other.query_count_sum
        self.query_count_n += other.query_count_n
        self.client_cpu_s += other.client_cpu_s
        self.max_backlog = max(self.max_backlog, other.max_backlog)


@dataclass(frozen=True)
class _Plan:
    host: str
    port: int
    requests: list[bytes]
    first_index: int
    connections: int
    duration_s: float  # measured window, after the ramp
    ramp_s: float  # load before the window whose samples are dropped
    start_wall: float
    rate: float | None  # per process; None = closed loop
    preconnect: bool  # open every connection before the start, else on first use
    phase_s: float  # open loop: offset of this process's first arrival


_Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


class _Stale(Exception):
    """A kept-alive connection was closed by the server before it answered."""


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")  # no trailers expected
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int | None, bytes, bool]:
    """Return (status, X-Query-Count, body, server closes the connection)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial:
            raise _Stale from exc
        raise
    lines = head[:-4].split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length: int | None = None
    query_count: int | None = None
    chunked = close = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"x-query-count":
            query_count = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            close = b"close" in value.lower()
    if chunked:
        body = await _read_chunked(reader)
    elif length is not None:
        body = await reader.readexactly(length)
    else:
        body, close = await reader.read(), True
    return status, query_count, body, close


class _Runner:
    """One load process: its connections, arrival schedule and counters."""

    def __init__(self, plan: _Plan, result: LoadResult) -> None:
        self.plan = plan
        self.result = result
        self.index = plan.first_index
        self.loop = asyncio.get_running_loop()
        self.start = self.loop.time() + (plan.start_wall - time.time())
        self.measure_from = self.start + plan.ramp_s
        self.end = self.measure_from + plan.duration_s
        self.arrivals: asyncio.Queue[float | None] = asyncio.Queue()

    def _next_request(self) -> bytes:
        self.index = (self.index + 1) % len(self.plan.requests)
        return self.plan.requests[self.index]

    async def _connect(self) -> _Conn:
        return await asyncio.open_connection(self.plan.host, self.plan.port)

    def _record(self, status: int, query_count: int | None, body: bytes) -> None:
        result = self.result
        result.statuses[status] += 1
        if query_count is not None:
            result.query_count_sum += query_count
            result.query_count_n += 1
        failed = not 200 <= status < 300
        if not failed and b'"errors"' in body:
            result.graphql_errors += 1
            failed = True
        if failed and not result.first_error:
            text = body[:ERROR_SAMPLE_CHARS].decode(errors="replace")
            result.first_error = f"HTTP {status}: {text}"

    async def _exchange(
        self, conn: _Conn | None, request: bytes
    ) -> tuple[_Conn | None, float, tuple[int, int | None, bytes]]:
        """Send one request, reconnecting once if the kept-alive socket went stale.

        Returns the connection to reuse (None if closed), the completion time and
        (status, X-Query-Count, body).
        """
        for attempt in range(2):
            if conn is None or conn[0].at_eof():
                if conn is not None:
                    conn[1].close()
                conn = await self._connect()
            reader, writer = conn
            try:
                writer.write(request)
                async with asyncio.timeout(READ_TIMEOUT_S):
                    status, query_count, body, close = await _read_response(reader)
            except (_Stale, ConnectionResetError, BrokenPipeError):
                writer.close()
                conn = None
                if attempt == 0:
                    continue
                raise
            done = self.loop.time()
            if close:
                writer.close()
                conn = None
            return conn, done, (status, query_count, body)
        raise AssertionError("unreachable")

    async def _worker(self) -> None:
        conn: _Conn | None = None
        if self.plan.preconnect:  # like wrk; a failure is retried on first use
            try:
                conn = await self._connect()
            except OSError:
                conn = None
        await asyncio.sleep(max(0.0, self.start - self.loop.time()))
        closed_loop = self.plan.rate is None
        while True:
            if closed_loop:
                scheduled = self.loop.time()
                if scheduled >= self.end:
                    break
            else:
                item = await self.arrivals.get()
                if item is None:
                    break
                scheduled = item
            try:
                conn, done, response = await self._exchange(conn, self._next_request())
            except (_Stale, OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
                if scheduled >= self.measure_from:
                    self.result.transport_errors += 1
                    if not self.result.first_error:
                        self.result.first_error = f"transport: {exc!r}"
                if conn is not None:
                    conn[1].close()
                conn = None
                continue
            # Count only requests of the measured window (closed loop: also done in it).
            if scheduled >= self.measure_from and (done <= self.end or not closed_loop):
                self.result.latencies_ms.append((done - scheduled) * 1000)
                self._record(*response)
        if conn is not None:
            conn[1].close()

    async def _dispatch(self) -> None:
        assert self.plan.rate is not None
        await asyncio.sleep(max(0.0, self.start - self.loop.time()))
        interval = 1.0 / self.plan.rate
        total = int((self.plan.ramp_s + self.plan.duration_s) * self.plan.rate)
        for k in range(total):
            due = self.start + self.plan.phase_s + k * interval
            delay = due - self.loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self.arrivals.put_nowait(due)
            self.result.max_backlog = max(self.result.max_backlog, self.arrivals.qsize())
        for _ in range(self.plan.connections):
            self.arrivals.put_nowait(None)

    async def run(self) -> None:
        """Connect, wait for the common start time, run the loop and drain."""
        tasks = [asyncio.create_task(self._worker()) for _ in range(self.plan.connections)]
        if self.plan.rate is not None:
            tasks.append(asyncio.create_task(self._dispatch()))
        await asyncio.gather(*tasks)


def _process_main(plan: _Plan, out: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    cpu0 = sum(os.times()[:2])
    result = LoadResult(
        tool="python",
        mode="open" if plan.rate else "closed",
        connections=plan.connections,
        duration_s=plan.duration_s,
    )

    async def main() -> None:
        await _Runner(plan, result).run()

    asyncio.run(main())
    result.client_cpu_s = sum(os.times()[:2]) - cpu0
    out.put(result)


def run_load(
    *,
    host: str,
    port: int,
    scenario: Scenario,
    keys: list[str],
    duration_s: float,
    connections: int,
    rate: float | None = None,
    processes: int = 1,
    ramp_s: float = 0.0,
) -> LoadResult:
    """Drive ``scenario`` for ``duration_s`` seconds and return the merged result.

    ``rate=None`` runs a closed loop with ``connections`` connections in total;
    otherwise an open loop at ``rate`` requests/second with up to ``connections``
    connections available. Work is split over ``processes`` OS processes. Load
    starts ``ramp_s`` seconds before the measured window; those samples are dropped
    (fresh connections and the first requests on them are slower). In the open loop
    every request scheduled inside the window is measured, even if it ends after it.
    """
    processes = max(1, min(processes, connections))
    requests = scenario.raw_requests(host, port, keys)
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    start_wall = time.time() + 0.5 + 0.1 * processes
    procs = []
    for i in range(processes):
        share = connections // processes + (1 if i < connections % processes else 0)
        plan = _Plan(
            host=host,
            port=port,
            requests=requests,
            first_index=(i * len(requests)) // processes,
            connections=share,
            duration_s=duration_s,
            ramp_s=ramp_s,
            start_wall=start_wall,
            rate=rate / processes if rate else None,
            # The closed loop connects up front like wrk. The open loop connects as
            # its schedule first needs each connection: a burst of connections at
            # once tends to land on one gunicorn worker and stay pinned there.
            preconnect=rate is None,
            phase_s=(i / rate) if rate else 0.0,
        )
        procs.append(ctx.Process(target=_process_main, args=(plan, out), daemon=True))
    merged = LoadResult(
        tool="python",
        mode="open" if rate else "closed",
        connections=connections,
        duration_s=duration_s,
        target_rate=rate,
    )
    try:
        for proc in procs:
            proc.start()
        deadline = start_wall + ramp_s + duration_s + READ_TIMEOUT_S + 15
        for _ in procs:
            merged.merge(out.get(timeout=max(1.0, deadline - time.time())))
        for proc in procs:
            proc.join(timeout=5)
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
                with contextlib.suppress(Exception):
                    proc.join(timeout=2)
    return merged


def open_loop_connections(rate: float, latency_budget_s: float = 0.5) -> int:
    """Connections an open loop needs so that client-side queueing stays rare."""
    return max(8, min(256, math.ceil(rate * latency_budget_s)))


__all__ = [
    "GENERATE_BODY",
    "SCENARIOS",
    "LoadResult",
    "Scenario",
    "open_loop_connections",
    "run_load",
]
