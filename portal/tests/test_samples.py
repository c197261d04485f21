"""Every code sample the portal shows runs against a live server.

Each page is fetched from pytest-django's live server, so the samples carry that
server's own base URL; its blocks are extracted from the HTML and run: curl with
the curl binary (or replayed with requests), Python with exec, JavaScript with
node (skipped when node is missing), GraphQL by POSTing each operation with each
of its variables blocks. Celery runs eagerly, so sandbox jobs finish at once.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from portal.content import DOC_PAGES
from portal.tests import sample_runner
from portal.tests.sample_runner import Context, extract, run_block
from providers.registry import all_specs

pytestmark = pytest.mark.django_db(transaction=True)

NODE = shutil.which("node")

PAGES = [
    "/en/",
    *(f"/en/docs/{page.slug}/" for page in DOC_PAGES),
    "/en/docs/providers/",
    *(f"/en/docs/providers/{spec.id}/" for spec in all_specs()),
    "/en/docs/api/",
    "/en/pricing/",
]


@pytest.fixture
def ctx(live_server: Any, account: Any, eager_pipeline: Any) -> Context:
    """A test key of an Enterprise account, and one completed generation to look at."""
    from billing.keys import api_key_create

    key = api_key_create(account=account, mode="test", name="samples")[1]
    response = requests.post(
        f"{live_server.url}/graphql",
        json={
            "query": 'mutation { generate(input: { type: IMAGE, provider: "flux-dev", '
            'input: { text: "A fixture" } }) { id status } }'
        },
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
    )
    generation = response.json()["data"]["generate"]
    return Context(base_url=live_server.url, key=key, generation_id=generation["id"], node=NODE)


def _blocks(ctx: Context, path: str) -> list[sample_runner.Block]:
    response = requests.get(ctx.base_url + path, timeout=60)
    assert response.status_code == 200, path
    return extract(response.text)


@pytest.mark.parametrize("path", PAGES)
def test_every_sample_on_the_page_runs_against_the_live_server(ctx: Context, path: str) -> None:
    blocks = _blocks(ctx, path)
    for block in blocks:
        # Every block is either run here, fed to a GraphQL block, or an illustration.
        assert block.run or block.variables_for or block.output, block.id
        assert ctx.base_url in block.text or "BASE_URL" not in block.text, block.id
        assert "api.doitong.com" not in block.text, block.id
        if block.run and block.lang != "javascript":
            run_block(block, ctx)
        if block.variables_for:
            assert block.lang == "json"
            json.loads(block.text.replace(sample_runner.ID_PLACEHOLDER, "gen_x"))


@pytest.mark.skipif(NODE is None, reason="node is not installed: JavaScript samples not run")
@pytest.mark.parametrize("path", [p for p in PAGES if "/providers/" not in p])
def test_every_javascript_sample_runs_with_node(ctx: Context, path: str) -> None:
    for block in _blocks(ctx, path):
        if block.run and block.lang == "javascript":
            run_block(block, ctx)


def test_the_pages_show_samples_in_every_language_the_tests_run(ctx: Context) -> None:
    seen = {b.lang for path in ("/en/", "/en/docs/webhooks/") for b in _blocks(ctx, path)}
    assert {"curl", "python", "javascript", "graphql", "json", "http"} <= seen


def test_the_python_quick_start_compares_with_completed_and_finishes(ctx: Context) -> None:
    (block,) = [b for b in _blocks(ctx, "/en/") if b.lang == "python"]
    assert 'result["status"] == "COMPLETED"' in block.text
    assert '"completed"' not in block.text
    output = run_block(block, ctx)
    assert "Video ready: " + ctx.base_url + "/media/" in output


def test_the_sandbox_sample_reaches_every_outcome(ctx: Context) -> None:
    (block,) = [b for b in _blocks(ctx, "/en/docs/test-mode/") if b.lang == "python"]
    output = run_block(block, ctx)
    assert "succeed -> COMPLETED None" in output
    assert "fail -> FAILED GENERATION_FAILED" in output
    assert "moderated -> FAILED GENERATION_FAILED" in output
    assert "unavailable -> FAILED PROVIDER_UNAVAILABLE" in output


# --------------------------------------------------------------------------
# Webhook signatures: the snippets really verify Standard Webhooks signatures
# --------------------------------------------------------------------------


def _signed(secret: str, body: str) -> dict[str, str]:
    from generations.webhooks import sign

    timestamp = int(time.time())
    return {
        "webhook-id": "msg_test123",
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(
            msg_id="msg_test123", timestamp=timestamp, body=body, secrets_=[secret]
        ),
    }


def test_the_python_webhook_snippet_verifies_real_signatures(ctx: Context) -> None:
    from standardwebhooks.webhooks import WebhookVerificationError

    from generations.webhooks import new_secret

    (block,) = [b for b in _blocks(ctx, "/en/docs/webhooks/") if b.lang == "python"]
    namespace: dict[str, Any] = {"__name__": "webhook_snippet"}
    exec(compile(block.text, "<webhook snippet>", "exec"), namespace)
    secret = new_secret()
    body = json.dumps({"type": "generation.completed", "data": {"id": "gen_1"}})
    headers = _signed(secret, body)

    event = namespace["verify_webhook"](body.encode(), headers, secret)

    assert event["type"] == "generation.completed"
    with pytest.raises(WebhookVerificationError):
        namespace["verify_webhook"](body.replace("gen_1", "gen_2").encode(), headers, secret)
    with pytest.raises(WebhookVerificationError):
        namespace["verify_webhook"](body.encode(), headers, new_secret())


@pytest.mark.skipif(NODE is None, reason="node is not installed: JavaScript snippet not run")
def test_the_javascript_webhook_snippet_verifies_real_signatures(ctx: Context) -> None:
    from generations.webhooks import new_secret

    (block,) = [b for b in _blocks(ctx, "/en/docs/webhooks/") if b.lang == "javascript"]
    secret, other = new_secret(), new_secret()
    body = json.dumps({"type": "generation.failed", "data": {"id": "gen_1"}})
    headers = _signed(secret, body)
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "verify.mjs").write_text(block.text, encoding="utf-8")
        Path(folder, "check.mjs").write_text(
            "import { verifyWebhook } from './verify.mjs';\n"
            f"const body = {json.dumps(body)};\n"
            f"const headers = {json.dumps(headers)};\n"
            f"console.log(verifyWebhook(body, headers, {json.dumps(secret)}).type);\n"
            "for (const [label, b, s] of [['tampered', body.replace('gen_1', 'gen_2'), "
            f"{json.dumps(secret)}], ['wrong secret', body, {json.dumps(other)}]]) {{\n"
            "  try { verifyWebhook(b, headers, s); console.log(label + ': accepted'); }\n"
            "  catch (e) { console.log(label + ': ' + e.message); }\n"
            "}\n",
            encoding="utf-8",
        )
        done = subprocess.run(
            [NODE, "check.mjs"], cwd=folder, capture_output=True, text=True, timeout=60
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "generation.failed",
        "tampered: invalid signature",
        "wrong secret: invalid signature",
    ]


def test_the_documented_webhook_payload_has_the_real_fields(ctx: Context, account: Any) -> None:
    from generations.models import Generation
    from generations.webhooks import generation_payload

    (block,) = [b for b in _blocks(ctx, "/en/docs/webhooks/") if b.id == "wh-payload"]
    shown = json.loads(block.text)
    real = generation_payload(Generation.objects.get(id=ctx.generation_id))
    assert set(shown["data"]) == set(real)
    assert shown["data"]["url"].startswith(ctx.base_url + "/media/")


def test_the_documented_error_and_headers_match_real_responses(ctx: Context) -> None:
    errors_page = {b.id: b for b in _blocks(ctx, "/en/docs/errors/")}
    (real,) = run_block(errors_page["errors-curl-invalid"], ctx)
    shown = json.loads(errors_page["errors-response"].text)
    assert shown["errors"][0]["message"] == real["errors"][0]["message"]
    assert shown["errors"][0]["extensions"] == real["errors"][0]["extensions"]

    limits_page = {b.id: b for b in _blocks(ctx, "/en/docs/rate-limits/")}
    run_block(limits_page["rl-curl-headers"], ctx)
    real_headers = {line.split(":")[0].lower() for line in ctx.log[-1].splitlines()[1:]}
    shown_headers = {
        line.split(":")[0].lower() for line in limits_page["rl-headers"].text.splitlines()[1:]
    }
    assert shown_headers <= real_headers


def test_the_dashboard_sample_runs_against_the_live_server(
    ctx: Context, account: Any, client: Any
) -> None:
    # The dashboard needs a session: render it for the account, as served by the live server.
    host = ctx.base_url.split("//", 1)[1]
    client.force_login(account.user)
    html = client.get("/en/dashboard/", HTTP_HOST=host).content.decode()
    blocks = [b for b in extract(html) if b.run]
    assert [b.id for b in blocks] == ["dashboard-curl"]
    (body,) = run_block(blocks[0], ctx)
    assert body["data"]["generate"]["provider"] == "flux-dev"
