"""Extract the code samples from a rendered page and run them against a live server.

Every ``<pre class="code-block">`` carries ``data-lang`` (curl, python, javascript,
graphql, json, http), and ``data-run`` when it is code to execute. JSON blocks with
``data-variables-for`` feed the GraphQL block they name; blocks with ``data-output``
are illustrations (a response, a payload). ``data-expect`` names the error code a
sample demonstrates; every other sample must succeed.

Placeholders filled in before running: ``YOUR_API_KEY`` (a test key) and
``GENERATION_ID`` (the id a previous command of the same block returned, else an
existing generation).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import requests

KEY_PLACEHOLDER = "YOUR_API_KEY"
ID_PLACEHOLDER = "GENERATION_ID"


@dataclass
class Block:
    id: str
    lang: str
    text: str
    run: bool = False
    expect: str = ""
    variables_for: str = ""
    output: bool = False
    variables: list[str] = field(default_factory=list)


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._current: Block | None = None
        self._depth = 0
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._current is not None:
            if tag == "pre":
                self._depth += 1
            return
        values = dict(attrs)
        if tag == "pre" and "code-block" in (values.get("class") or "").split():
            self._current = Block(
                id=values.get("data-sample") or "",
                lang=values.get("data-lang") or "",
                text="",
                run="data-run" in values,
                expect=values.get("data-expect") or "",
                variables_for=values.get("data-variables-for") or "",
                output="data-output" in values,
            )
            self._parts = []

    def handle_endtag(self, tag: str) -> None:
        if self._current is None or tag != "pre":
            return
        if self._depth:
            self._depth -= 1
            return
        self._current.text = "".join(self._parts)
        self.blocks.append(self._current)
        self._current = None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._parts.append(data)


def extract(html: str) -> list[Block]:
    """The page's code blocks, with each GraphQL block's variables attached."""
    parser = _Extractor()
    parser.feed(html)
    blocks = parser.blocks
    by_id = {b.id: b for b in blocks}
    for block in blocks:
        if block.variables_for and block.variables_for in by_id:
            by_id[block.variables_for].variables.append(block.text)
    return blocks


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------

GEN_ID = re.compile(r'"id"\s*:\s*"(gen_[a-z0-9]+)"')


@dataclass
class Context:
    base_url: str
    key: str
    generation_id: str
    node: str | None = None
    log: list[str] = field(default_factory=list)

    def fill(self, text: str, generation_id: str | None = None) -> str:
        return text.replace(KEY_PLACEHOLDER, self.key).replace(
            ID_PLACEHOLDER, generation_id or self.generation_id
        )


def check_body(body: dict[str, Any], expect: str, where: str) -> None:
    codes = [(e.get("extensions") or {}).get("code") for e in body.get("errors") or []]
    if expect:
        assert expect in codes, f"{where}: expected {expect}, got {body}"
    else:
        assert not codes, f"{where}: errors {body}"
        assert body.get("data") and all(v is not None for v in body["data"].values()), (
            f"{where}: no data in {body}"
        )


# --------------------------------------------------------------------------
# curl
# --------------------------------------------------------------------------


def curl_commands(text: str) -> list[str]:
    """The commands of a curl block: comments dropped, continuation lines joined."""
    commands: list[str] = []
    current: list[str] = []
    in_quote = False
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current.append(line)
        in_quote ^= line.count("'") % 2 == 1
        if not in_quote and not line.rstrip().endswith("\\"):
            commands.append("\n".join(current))
            current = []
    if current:
        commands.append("\n".join(current))
    return commands


def _curl_args(command: str) -> list[str]:
    return shlex.split(command.replace("\\\n", " "))


def _replay_with_requests(args: list[str]) -> tuple[int, dict[str, str], str]:
    """Run a curl command's request with requests (when there is no curl binary)."""
    method, url, data, headers = "GET", "", None, {}
    items = iter(args[1:])
    for arg in items:
        if arg == "-X":
            method = next(items)
        elif arg == "-H":
            name, _, value = next(items).partition(":")
            headers[name.strip()] = value.strip()
        elif arg in ("-d", "--data", "--data-raw"):
            data = next(items)
            method = "POST" if method == "GET" else method
        elif arg.startswith("-"):
            continue
        else:
            url = arg
    response = requests.request(method, url, data=data, headers=headers, timeout=120)
    return response.status_code, dict(response.headers), response.text


def run_curl(block: Block, ctx: Context) -> list[dict[str, Any]]:
    """Run each command of the block; the decoded JSON bodies."""
    bodies = []
    last_id: str | None = None
    binary = shutil.which("curl")
    for command in curl_commands(block.text):
        args = _curl_args(ctx.fill(command, last_id))
        assert args[0] == "curl", command
        include_headers = "-i" in args
        if binary:
            done = subprocess.run(
                [binary, "-sS", "--max-time", "120", *args[1:]],
                capture_output=True,
                text=True,
                timeout=150,
                check=False,
            )
            assert done.returncode == 0, f"{block.id}: curl failed: {done.stderr}"
            output = done.stdout
            if include_headers:
                head, _, output = output.replace("\r\n", "\n").partition("\n\n")
                ctx.log.append(head)
        else:
            _status, headers, output = _replay_with_requests(args)
            if include_headers:
                ctx.log.append("\n".join(f"{k}: {v}" for k, v in headers.items()))
        body = json.loads(output)
        check_body(body, block.expect, block.id)
        match = GEN_ID.search(output)
        if match:
            last_id = match.group(1)
        bodies.append(body)
    return bodies


# --------------------------------------------------------------------------
# Python, JavaScript, GraphQL
# --------------------------------------------------------------------------


def run_python(block: Block, ctx: Context) -> str:
    """exec the sample as ``__main__``; its printed output."""
    code = compile(ctx.fill(block.text), f"<sample {block.id}>", "exec")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {"__name__": "__main__"})
    ctx.log.append(out.getvalue())
    return out.getvalue()


def run_javascript(block: Block, ctx: Context) -> str:
    """Run the sample with node as an ES module; its output."""
    assert ctx.node, "node is needed"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{block.id}.mjs"
        path.write_text(ctx.fill(block.text), encoding="utf-8")
        done = subprocess.run(
            [ctx.node, str(path)], capture_output=True, text=True, timeout=180, check=False
        )
    assert done.returncode == 0, f"{block.id}: node failed:\n{done.stdout}\n{done.stderr}"
    ctx.log.append(done.stdout)
    return done.stdout


def run_graphql(block: Block, ctx: Context) -> list[dict[str, Any]]:
    """POST the operation once per variables block shown with it (or once without)."""
    bodies = []
    for variables in block.variables or [None]:
        payload: dict[str, Any] = {"query": block.text}
        if variables is not None:
            payload["variables"] = json.loads(ctx.fill(variables))
        response = requests.post(
            f"{ctx.base_url}/graphql",
            json=payload,
            headers={"Authorization": f"Bearer {ctx.key}"},
            timeout=120,
        )
        body = response.json()
        check_body(body, block.expect, f"{block.id} {variables}")
        bodies.append(body)
    return bodies


def run_block(block: Block, ctx: Context) -> Any:
    if block.lang == "curl":
        return run_curl(block, ctx)
    if block.lang == "python":
        return run_python(block, ctx)
    if block.lang == "javascript":
        return run_javascript(block, ctx)
    if block.lang == "graphql":
        return run_graphql(block, ctx)
    raise AssertionError(f"{block.id}: cannot run {block.lang}")
