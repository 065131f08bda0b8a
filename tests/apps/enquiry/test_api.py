"""The enquiry API through the real app: asking, bad input, KB editing and review with
tokens, the hand-over queue, analytics and export."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient

from aiplus.platform.services import Platform
from tests.apps.enquiry.conftest import Team

OUT_OF_SCOPE = "Who will win the football match tonight? My phone is 9123 4567."


def test_ask_returns_the_documented_shape(kb: str, client: TestClient) -> None:
    response = client.post("/api/enquiry/ask", json={
        "text": "What should I do if I lose my Hong Kong identity card?", "kb": kb, "lang": "auto"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {"answer", "faq_id", "confidence", "lang", "handover", "candidates",
            "conversation_id", "machine_translated"} <= body.keys()
    assert body["faq_id"] == "id-replace-lost" and body["lang"] == "en"
    assert len(body["candidates"]) == 10 and set(body["candidates"][0]) == {"faq_id", "score"}
    follow = client.post("/api/enquiry/ask", json={
        "text": "what about the fee?", "conversation_id": body["conversation_id"]})
    assert follow.status_code == 200 and follow.json()["conversation_id"] == body["conversation_id"]


@pytest.mark.parametrize(("payload", "status"), [
    ({"text": ""}, 400),
    ({"text": "   \t\n  "}, 400),
    ({"text": "x" * 10_000}, 422),
    ({"text": "\u0000\u0001\u0002binary\u0003"}, 400),
    ({"text": ["not", "text"]}, 400),
    ({"text": "hello", "lang": "fr"}, 422),
    ({"text": "hello", "kb": "no-such-kb"}, 404),
])
def test_bad_questions_get_clear_bilingual_errors(payload: dict[str, object], status: int,
                                                  kb: str, client: TestClient) -> None:
    english = client.post("/api/enquiry/ask", json=payload)
    chinese = client.post("/api/enquiry/ask", json=payload, headers={"Accept-Language": "zh-HK"})
    assert english.status_code == chinese.status_code == status
    assert english.json()["error"]["message"]
    assert chinese.json()["error"]["message"]


def test_malformed_json_is_a_400(kb: str, client: TestClient) -> None:
    response = client.post("/api/enquiry/ask", content=b"{\"text\": ",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_handover_queue_and_analytics(kb: str, team: Team, client: TestClient) -> None:
    for _ in range(2):
        asked = client.post("/api/enquiry/ask", json={"text": OUT_OF_SCOPE}).json()
        assert asked["handover"] and asked["reference"].startswith("H-")
    assert client.get("/api/enquiry/handovers").status_code == 401
    assert client.get("/api/enquiry/handovers", headers=team.outsider.headers).json() == {
        "handovers": []}
    queue = client.get("/api/enquiry/handovers", headers=team.officer.headers).json()["handovers"]
    assert len(queue) == 2 and "9123 4567" not in queue[0]["question"]
    analytics = client.get("/api/enquiry/analytics", headers=team.officer.headers).json()
    assert analytics["total"] == 2 and analytics["questions"][0]["count"] == 2
    assert analytics["subjects"][0]["count"] == 2

    reference = queue[0]["reference"]
    path = f"/api/enquiry/handovers/{reference}"
    assert client.post(path, json={"reply": ""}, headers=team.officer.headers).status_code == 422
    assert client.post(path, json={"reply": "x"}, headers=team.outsider.headers).status_code == 403
    done = client.post(path, json={"reply": "We will call you back."}, headers=team.officer.headers)
    assert done.status_code == 200 and done.json()["status"] == "answered"
    assert client.post(path, json={"close": True}, headers=team.officer.headers).status_code == 409
    left = client.get("/api/enquiry/handovers", headers=team.officer.headers).json()["handovers"]
    assert [h["reference"] for h in left] == [queue[1]["reference"]]


def test_edit_review_and_export_over_the_api(kb: str, team: Team, client: TestClient,
                                             enquiry_platform: Platform) -> None:
    faq = {"question": "How do I licence my dog?", "answer": "At an AFCD animal management centre.",
           "category": "pets", "department": "AFCD", "submit": True}
    path = f"/api/enquiry/kbs/{kb}/faqs/dog-licence"
    assert client.put(path, json=faq).status_code == 401
    assert client.put(path, json=faq, headers=team.outsider.headers).status_code == 403
    bad = client.put(path, json={**faq, "answer": None}, headers=team.officer.headers)
    assert bad.status_code == 422 and bad.json()["error"]["details"]
    created = client.put(path, json=faq, headers=team.officer.headers)
    assert created.status_code == 200, created.text
    version_id = created.json()["id"]
    queue = client.get("/api/enquiry/reviews", headers=team.reviewer.headers).json()["versions"]
    assert [v["id"] for v in queue] == [version_id]
    own = client.post(f"/api/enquiry/versions/{version_id}/approve", headers=team.officer.headers)
    assert own.status_code == 403
    approved = client.post(f"/api/enquiry/versions/{version_id}/approve",
                           headers=team.reviewer.headers)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    exported = client.get(f"/api/enquiry/kbs/{kb}/export?format=csv", headers=team.officer.headers)
    assert exported.status_code == 200 and "dog-licence" in exported.text
    assert client.get("/api/enquiry/kbs/nope/faqs", headers=team.officer.headers).status_code == 404


def test_import_over_the_api_reports_bad_rows(kb: str, team: Team, client: TestClient) -> None:
    csv_body = ("id,question,answer\nok-1,Is 1823 free?,Yes.\n"
                "bad id,Q?,A.\nno-answer,Q?,\n").encode()
    files = {"file": ("faqs.csv", io.BytesIO(csv_body), "text/csv")}
    response = client.post(f"/api/enquiry/kbs/{kb}/import", files=files,
                           headers=team.officer.headers)
    assert response.status_code == 422
    assert [d["row"] for d in response.json()["error"]["details"]] == [2, 3]
    faqs = client.get(f"/api/enquiry/kbs/{kb}/faqs", headers=team.officer.headers).json()["faqs"]
    assert "ok-1" not in {f["faq_id"] for f in faqs}  # nothing written
    wrong = client.post(f"/api/enquiry/kbs/{kb}/import", headers=team.officer.headers,
                        files={"file": ("faqs.xlsx", io.BytesIO(b"PK\x03\x04"), "application/zip")})
    assert wrong.status_code == 400


def test_drafts_are_for_the_owning_organisations_staff(kb: str, team: Team,
                                                       client: TestClient) -> None:
    path = f"/api/enquiry/kbs/{kb}/faqs"
    assert client.get(path, headers=team.outsider.headers).status_code == 403
    assert client.get(path, headers=team.reviewer.headers).status_code == 200
    assert client.get(f"{path}/id-replace-lost", headers=team.outsider.headers).status_code == 403
