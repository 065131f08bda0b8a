"""The local model is named for what it is (Qwen2.5-Coder), and its former id keeps working
for clients and keys written before the rename. Nothing here loads the weights: naming and
resolving a model never touch them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from aiplus.gateway.backends import LOCAL_MODEL, MODEL_ALIASES, canonical_model
from aiplus.gateway.settings import LlmSettings
from aiplus.models.assets import QWEN_CODER_GGUF
from aiplus.platform.services import Platform
from tests.gateway.conftest import make_key, use_gateway

FORMER = "qwen2.5-1.5b-instruct"


def test_the_id_names_the_coder_model_the_weights_are() -> None:
    assert LOCAL_MODEL == "qwen2.5-coder-1.5b-instruct"
    assert QWEN_CODER_GGUF.filename.startswith(LOCAL_MODEL)
    assert MODEL_ALIASES == {FORMER: LOCAL_MODEL}


def test_the_former_id_reaches_the_local_model_over_http(client: TestClient,
                                                          platform: Platform) -> None:
    gateway = use_gateway(platform, llm=LlmSettings(base_url=None, local=True))
    assert gateway.resolve_model(FORMER) == LOCAL_MODEL

    key = make_key(platform, allowed_models=[FORMER])  # a key issued before the rename
    auth = {"Authorization": f"Bearer {key}"}
    listed = client.get("/v1/models", headers=auth)
    assert [m["id"] for m in listed.json()["data"]] == [LOCAL_MODEL]
    one = client.get(f"/v1/models/{FORMER}", headers=auth)
    assert one.status_code == 200 and one.json()["id"] == LOCAL_MODEL
    assert client.get("/v1/models/qwen2.5-7b-instruct", headers=auth).status_code == 404


def test_a_server_that_still_serves_the_former_id_keeps_it() -> None:
    assert canonical_model(FORMER, [FORMER, LOCAL_MODEL]) == FORMER
    assert canonical_model(FORMER, ["echo-1"]) == FORMER
    assert canonical_model(FORMER, [LOCAL_MODEL]) == LOCAL_MODEL


def test_the_ai_register_carries_the_local_model_card(platform: Platform) -> None:
    cards = {card.name: (app.slug, card) for app, card in platform.registry.models()}
    slug, card = cards[LOCAL_MODEL]
    assert slug == "ai-security"
    assert "Qwen2.5-Coder-1.5B-Instruct" in card.title.en
    assert "Qwen2.5-Coder" in card.licence
