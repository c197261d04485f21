"""The home page reads the registry and the Plan rows (and / picks the language)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_the_home_page_lists_the_catalogue_and_the_plans(client):
    assert client.get("/")["Location"] == "/en/"
    response = client.get("/en/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kling" in body and "ElevenLabs TTS" in body
    assert "Enterprise" in body and "http://testserver/graphql" in body
