"""Run web and worker (with beat) together: the README's one-command system."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

TRY_QUERY = (
    'mutation { generate(input: { type: VIDEO, provider: \\"kling\\", '
    'input: { text: \\"A serene mountain landscape at sunset\\" }, options: { duration: 5 } }) '
    "{ id status provider creditCost estimatedTime } }"
)
CURL = (
    "curl -s -X POST {url}/graphql \\\n"
    '  -H "Authorization: Bearer {key}" \\\n'
    '  -H "Content-Type: application/json" \\\n'
    '  -d \'{{"query": "{query}"}}\''
)


class Command(BaseCommand):
    help = "Migrate, create the demo developer, and run gunicorn plus a Celery worker with beat."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args: Any, host: str, port: str, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        key = _demo_key()
        url = f"http://{host}:{port}"
        # Demo only: absolute output URLs, and webhooks to receivers on this machine.
        os.environ.setdefault("DOITONG_PUBLIC_BASE_URL", url)
        os.environ.setdefault("DOITONG_WEBHOOKS_ALLOW_LOOPBACK", "1")
        python = sys.executable
        bin_dir = os.path.dirname(python)
        worker = subprocess.Popen(
            [
                os.path.join(bin_dir, "celery"),
                "-A",
                "doitong",
                "worker",
                "--beat",
                "--queues",
                "generations,webhooks,celery",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
            ],
        )
        web = subprocess.Popen(
            [
                os.path.join(bin_dir, "gunicorn"),
                "doitong.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--access-logfile",
                "-",
            ],
        )
        time.sleep(1.5)
        self.stdout.write(self.style.SUCCESS(f"\nDoitong is running at {url}/"))
        self.stdout.write(f"GraphQL endpoint: {url}/graphql   Admin: {url}/admin/")
        self.stdout.write(f"Demo test key (shown once): {key}\n\nTry it:\n")
        self.stdout.write(CURL.format(url=url, key=key, query=TRY_QUERY) + "\n")
        _wait(worker, web)


def _demo_key() -> str:
    from io import StringIO

    out = StringIO()
    call_command("doitong_demo", key_only=True, stdout=out)
    return out.getvalue().strip()


def _wait(*processes: subprocess.Popen) -> None:
    def stop(*_: Any) -> None:
        for proc in processes:
            if proc.poll() is None:
                proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(proc.poll() is None for proc in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
        for proc in processes:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
