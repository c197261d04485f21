"""Start and stop the real stack for the benchmark: database, gunicorn, Celery worker.

`Stack` is a context manager: whatever happens inside (an error, Ctrl-C), leaving
it stops every process it started (SIGTERM to the process group, then SIGKILL),
empties the benchmark's Redis databases and removes its scratch folder.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# The environment of every process the benchmark starts (fixed on purpose: the
# caller's DATABASE_URL etc. are never used, so a run cannot touch other data).
BENCH_ENV = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/doitong_bench",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/10",
    "CACHE_URL": "redis://127.0.0.1:6379/11",
    "DJANGO_SECRET_KEY": "bench",
    "DJANGO_DEBUG": "0",
    "DJANGO_SECURE_COOKIES": "0",
    "DOITONG_SANDBOX_SECONDS": "2",
    "DOITONG_COUNT_QUERIES": "1",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SETTINGS_MODULE": "doitong.settings",
}
# Variables that could point a process elsewhere than BENCH_ENV says.
SCRUBBED_ENV = ("REDIS_URL", "DOITONG_MEDIA_ROOT", "DOITONG_PUBLIC_BASE_URL")
STOP_TIMEOUT_S = 10.0

Log = Callable[[str], None]


def free_port() -> int:
    """An unused loopback TCP port (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Stack:
    """The database, gunicorn and one Celery worker, as the benchmark runs them."""

    def __init__(
        self, *, port: int, workers: int, threads: int, log: Log, keep_workdir: bool = False
    ) -> None:
        self.host = "127.0.0.1"
        self.port = port
        self.workers = workers
        self.threads = threads
        self.log = log
        self.keep_workdir = keep_workdir
        self.workdir = Path(tempfile.mkdtemp(prefix="doitong-bench-"))
        self.env = {k: v for k, v in os.environ.items() if k not in SCRUBBED_ENV}
        self.env.update(BENCH_ENV)
        # Media, broker folder and static files of this run stay out of ./var.
        self.env["DOITONG_VAR_DIR"] = str(self.workdir / "var")
        self.env["PYTHONUNBUFFERED"] = "1"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.failed = False

    # --- context manager -----------------------------------------------------
    def __enter__(self) -> Stack:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Show the logs when something broke (not when the user pressed Ctrl-C).
        self.failed = exc_type is not None and not issubclass(exc_type, KeyboardInterrupt)
        self.stop()

    # --- preparation ---------------------------------------------------------
    def _run(self, cmd: list[str], what: str) -> str:
        try:
            proc = subprocess.run(
                cmd, cwd=ROOT, env=self.env, capture_output=True, text=True, check=False
            )
        except FileNotFoundError as exc:
            raise RuntimeError(f"{what}: {cmd[0]} is not installed") from exc
        if proc.returncode != 0:
            raise RuntimeError(f"{what} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def _psql(self, sql: str) -> str:
        url = urlparse(BENCH_ENV["DATABASE_URL"])
        return self._run(
            [
                "psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432),
                "-U", url.username or "postgres", "-d", "postgres", "-c", sql,
            ],
            f"psql {sql!r}",
        )  # fmt: skip

    def prepare_database(self, *, fresh: bool) -> None:
        """Create the benchmark database (dropping it first when ``fresh``) and migrate."""
        name = urlparse(BENCH_ENV["DATABASE_URL"]).path.lstrip("/")
        if "bench" not in name:  # never drop anything that is not ours
            raise RuntimeError(f"refusing to manage database {name!r}")
        if fresh:
            self._psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip()
        if not exists:
            self._psql(f'CREATE DATABASE "{name}"')
        self._run([str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v", "0"], "migrate")

    def flush_redis(self) -> None:
        """Empty the broker and cache databases (leftover jobs of earlier runs)."""
        import redis

        for var in ("CELERY_BROKER_URL", "CACHE_URL"):
            client = redis.Redis.from_url(BENCH_ENV[var], socket_timeout=5)
            try:
                client.flushdb()
            finally:
                client.close()

    def seed(self, users: int) -> list[str]:
        """Create ``users`` funded, unlimited accounts; return their test keys."""
        out = self.workdir / "keys.json"
        cmd = [str(BIN / "python"), "-m", "bench.seed", "--users", str(users), "--out", str(out)]
        self._run(cmd, "seeding bench accounts")
        return list(json.loads(out.read_text()))

    # --- processes -------------------------------------------------------------
    def _spawn(self, name: str, cmd: list[str]) -> subprocess.Popen[bytes]:
        logfile = (self.workdir / f"{name}.log").open("wb")
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group: Ctrl-C reaches us, we stop it
        )
        logfile.close()
        self.procs[name] = proc
        return proc

    @property
    def gunicorn_cmd(self) -> list[str]:
        """The gunicorn command line, as run and as reported."""
        return [
            str(BIN / "gunicorn"), "doitong.wsgi",
            "--bind", f"{self.host}:{self.port}",
            "--workers", str(self.workers), "--threads", str(self.threads),
        ]  # fmt: skip

    def start(self) -> None:
        """Start gunicorn and the Celery worker; return once gunicorn answers."""
        self._spawn("gunicorn", self.gunicorn_cmd)
        self._spawn(
            "celery",
            [
                str(BIN / "celery"), "-A", "doitong", "worker",
                "--queues", "generations,celery", "--concurrency", "1", "--loglevel", "WARNING",
            ],
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                conn = http.client.HTTPConnection(self.host, self.port, timeout=2)
                conn.request("GET", "/api/ping")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer within 30 s:\n" + self.logs())
        self._wait_for_workers()

    def _wait_for_workers(self) -> None:
        deadline = time.monotonic() + 20
        while len(self.gunicorn_worker_pids()) < self.workers and time.monotonic() < deadline:
            time.sleep(0.2)

    def check_alive(self) -> None:
        """Raise if a started process has exited."""
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(
                    f"{name} exited with {proc.returncode}:\n{_tail(self.workdir / f'{name}.log')}"
                )

    def pid(self, name: str) -> int:
        """The pid of a started process (its process-group leader)."""
        return self.procs[name].pid

    def gunicorn_worker_pids(self) -> list[int]:
        """The pids of gunicorn's worker processes (children of the master)."""
        master = self.procs.get("gunicorn")
        if master is None:
            return []
        path = Path(f"/proc/{master.pid}/task/{master.pid}/children")
        try:
            return [int(x) for x in path.read_text().split()]
        except OSError:
            return []

    def logs(self) -> str:
        """The last lines of every process log."""
        return "\n".join(
            f"--- {name}.log ---\n{_tail(self.workdir / f'{name}.log')}" for name in self.procs
        )

    # --- teardown ----------------------------------------------------------------
    def stop(self) -> None:
        """Stop everything started here; safe to call twice, and on a half-started stack.

        A second Ctrl-C (or SIGTERM) during the teardown is ignored so that it finishes.
        """
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                previous[sig] = signal.signal(sig, signal.SIG_IGN)
        try:
            self._stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is None:
                # The leaders stop their children. Celery gets a cold shutdown (SIGQUIT):
                # a warm one would wait for its backlog of countdown tasks, which are
                # thrown away with the broker database anyway.
                proc.send_signal(signal.SIGQUIT if name == "celery" else signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log(f"{name} did not stop in {STOP_TIMEOUT_S:.0f} s; killing its group")
                # The leader is not reaped yet, so its process group is still ours.
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(proc.pid, signal.SIGKILL)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=5)
        if self.failed and self.procs:
            self.log(self.logs())
        try:
            self.flush_redis()
        except Exception as exc:  # teardown must go on
            self.log(f"could not empty the bench Redis databases: {exc}")
        if self.keep_workdir:
            self.log(f"kept {self.workdir}")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)
        self.procs.clear()
