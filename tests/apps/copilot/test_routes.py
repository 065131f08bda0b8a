"""The route graph through the API with a gateway whose answers the test controls: citations
with pages, "not in the documents", extractive summaries without a model, glossary-aware
translation that keeps structure, template drafts with and without a model, provenance,
ratings, streaming and the admin usage view."""

from __future__ import annotations

import io
import json

import docx

from aiplus.apps.copilot.routes import GRAPH, Route, Task, choose
from tests.apps.copilot.conftest import CHINESE, POLICY
from tests.apps.copilot.test_library import upload


def _document(client, member) -> int:
    return upload(client, member, "policy.txt", POLICY.encode()).json()["id"]


def run(client, member, **body):
    return client.post("/api/copilot/run", headers=member.headers, json=body)


def test_every_route_is_in_the_graph_and_the_default_depends_on_documents():
    assert set(GRAPH) == set(Route)
    assert choose(Task(document_ids=[1])) is Route.DOCUMENTS
    assert choose(Task()) is Route.CHAT


def test_answers_cite_their_passages_with_pages_and_record_provenance(client, team, echo):
    document = _document(client, team.officer)
    echo.reply = "Drivers will renew licences online from 1 March 2027 [1]."
    response = run(client, team.officer, route="documents", document_ids=[document],
                   text="When can drivers renew their licences online?")
    assert response.status_code == 200, response.text
    output = response.json()
    assert output["model"] == "echo-1" and output["template"] == "documents@1"
    assert output["completion_tokens"] > 0 and output["latency_ms"] > 0
    cited = [s for s in output["sources"] if s["cited"]]
    assert cited and cited[0]["page"] == 1 and "1 March 2027" in cited[0]["text"]
    assert cited[0]["heading"] == "2. Proposal"
    assert output["faithfulness"]["supported"] == 1
    prompt = echo.seen[-1][-1]["content"]
    assert "[1] (policy.txt, page 1" in prompt


def test_a_question_the_documents_do_not_answer_is_said_so_without_a_guess(client, team, echo):
    document = _document(client, team.officer)
    output = run(client, team.officer, route="documents", document_ids=[document],
                 text="What is the recipe for egg tarts at the Tai Cheong bakery?").json()
    assert output["extra"]["not_in_documents"] is True
    assert output["text"] == "The selected documents do not contain an answer to this question."
    assert output["text"] in CHINESE
    assert echo.seen == []  # no model call was made


def test_unsupported_sentences_are_flagged(client, team, echo):
    document = _document(client, team.officer)
    echo.reply = ("Drivers will renew licences online from 1 March 2027 [1]. "
                  "The Observatory forecasts heavy rain and typhoons next week [1].")
    output = run(client, team.officer, route="documents", document_ids=[document],
                 text="When does online renewal start?").json()
    checks = output["faithfulness"]["checks"]
    assert [c["supported"] for c in checks] == [True, False]


def test_extractive_summary_needs_no_model_and_is_supported(client, team):
    document = _document(client, team.officer)
    output = run(client, team.officer, route="summarise", document_ids=[document],
                 style="minutes", length="short").json()
    assert output["model"] == "lexrank (extractive, no model)"
    lines = output["text"].splitlines()
    assert len(lines) == 3 and lines[0].startswith("1. ")
    assert all(line[3:] in POLICY.replace("\n", " ") for line in lines)
    assert output["faithfulness"]["share"] == 1.0


def test_map_reduce_summary_calls_the_model_once_per_part_then_once_more(client, team, echo,
                                                                        monkeypatch):
    from aiplus.apps.copilot import settings

    monkeypatch.setattr(settings.copilot_settings(), "context_chars", 700)
    echo.reply = "- Online renewal starts in 2027."
    text = "\n\n".join([POLICY] * 3)
    output = run(client, team.officer, route="summarise", mode="abstractive", text=text).json()
    parts = output["extra"]["parts"]
    assert parts >= 2 and len(echo.seen) == parts + 1
    assert "bullet brief" in echo.seen[-1][0]["content"]


def test_translation_keeps_structure_and_uses_the_glossary(client, team, echo):
    assert client.post("/api/copilot/glossary", headers=team.officer.headers,
                       json={"en": "renewal fee", "zh": "續期費用"}).status_code == 200
    echo.reply = "立法會"
    text = "# Legislative Council\n- The renewal fee\n| 2027 |"
    output = run(client, team.officer, route="translate", text=text).json()
    assert output["text"].splitlines() == ["# 立法會", "- 立法會", "| 2027 |"]
    systems = [messages[0]["content"] for messages in echo.seen]
    assert "Legislative Council = 立法會" in systems[0] and "renewal fee = 續期費用" in systems[1]
    assert output["extra"]["glossary_missed"] == [{"en": "renewal fee", "zh-Hant": "續期費用"}]
    assert output["extra"]["target_lang"] == "zh-Hant"


def test_drafts_follow_the_template_and_export_to_docx(client, team, echo):
    echo.reply = "## Purpose\nTo brief colleagues on online renewal."
    facts = {"subject": "Online renewal", "facts": "Online renewal starts 1 March 2027"}
    output = run(client, team.officer, route="draft", template="internal_memo", facts=facts)
    assert output.status_code == 200, output.text
    assert output.json()["template"] == "draft/internal_memo@1"
    system = echo.seen[-1][0]["content"]
    assert "with the sections Purpose, Background" in system and "Action required" in system
    exported = client.post("/copilot/export", headers=team.officer.headers,
                           data={"text": output.json()["text"]})
    document = docx.Document(io.BytesIO(exported.content))
    first = document.paragraphs[0]
    assert (first.style.name, first.text) == ("Heading 2", "Purpose")
    bad = run(client, team.officer, route="draft", template="sonnet", facts=facts)
    assert bad.status_code == 422 and "Unknown template" in bad.json()["error"]["message"]


def test_without_a_model_drafts_fall_back_to_the_filled_template(client, team, platform):
    from aiplus.gateway import build_gateway
    from aiplus.gateway.settings import LlmSettings
    from tests.gateway.conftest import use_gateway

    use_gateway(platform, llm=LlmSettings(local=False))
    assert build_gateway(platform, llm=LlmSettings(local=False)).available() is False
    output = run(client, team.officer, route="draft", template="press_release",
                 facts={"subject": "Fees", "facts": "- Fees stay at HK$900"}).json()
    assert output["model"] == "template (no model)"
    assert "## Headline\n- Fees stay at HK$900" in output["text"]
    chat = run(client, team.officer, route="chat", text="Hello")
    assert chat.status_code == 503 and chat.json()["error"]["message"] in CHINESE


def test_ratings_feed_the_admin_usage_view_only(client, team, echo):
    echo.reply = "Hello."
    output = run(client, team.officer, route="chat", text="Hello").json()
    rated = client.post(f"/api/copilot/outputs/{output['id']}/rating",
                        headers=team.officer.headers, json={"score": 4, "comment": "Useful"})
    assert rated.status_code == 200
    assert client.post(f"/api/copilot/outputs/{output['id']}/rating",
                       headers=team.outsider.headers,
                       json={"score": 1}).status_code == 404
    assert client.post(f"/api/copilot/outputs/{output['id']}/rating",
                       headers=team.officer.headers, json={"score": 9}).status_code == 422
    usage = client.get("/api/copilot/usage?org=hk-td", headers=team.admin.headers).json()
    assert usage["usage"][0]["route"] == "chat" and usage["usage"][0]["model"] == "echo-1"
    assert usage["ratings"] == [{"route": "chat", "ratings": 1, "mean_score": 4.0}]
    assert usage["comments"][0]["comment"] == "Useful"
    assert client.get("/api/copilot/usage?org=hk-td",
                      headers=team.officer.headers).status_code == 403


def test_streaming_sends_deltas_then_the_stored_output(client, team, echo):
    echo.reply = "One two three."
    with client.stream("POST", "/api/copilot/stream", headers=team.officer.headers,
                       json={"route": "chat", "text": "Count"}) as response:
        body = "".join(response.iter_text())
    events = [block.split("\n") for block in body.strip().split("\n\n")]
    names = [lines[0].removeprefix("event: ") for lines in events]
    assert names[0] == "delta" and names[-1] == "output"
    assert json.loads(events[-1][1].removeprefix("data: "))["text"] == "One two three."


def test_a_streamed_error_is_a_readable_event_in_the_asker_language(client, team):
    with client.stream("POST", "/api/copilot/stream", headers=team.officer.headers,
                       json={"route": "documents", "text": "Fees?"}) as response:
        body = "".join(response.iter_text())
    name, data = body.strip().split("\n")
    assert name == "event: error"
    assert json.loads(data.removeprefix("data: "))["message"] == "Choose at least one document."
