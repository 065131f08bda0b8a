"""The registry, assurance and assessment API: the whole lifecycle, roles and bad input."""

from __future__ import annotations

import io
import json

import pypdf

from aiplus.core.audit import AuditEntry
from tests.apps.responsible.conftest import card_body, upload_csv

BASE = "/api/responsible"


def _register(client, team, example, version="1.0.0"):
    response = client.post(f"{BASE}/models", json=card_body(example, version),
                           headers=team.analyst.headers)
    assert response.status_code == 201, response.text
    return response.json()


def _assure(client, team, example, **form):
    files = {"file": ("test.csv", upload_csv(example), "text/csv")}
    data = {"label": "label", "sensitive": "SEX,AGE_BAND",
            "plugins": "fairness,performance,data-quality", **form}
    return client.post(f"{BASE}/models/credit-test/versions/1.0.0/assure", files=files,
                       data=data, headers=team.analyst.headers)


def test_register_test_assess_approve_deploy(client, platform, team, small_credit):
    registered = _register(client, team, small_credit)
    assert registered["status"] == "draft" and registered["artefact"]["sha256"]
    tested = _assure(client, team, small_credit)
    assert tested.status_code == 200, tested.text
    results = {r["plugin"]: r for r in tested.json()["results"]}
    assert results["performance"]["output"]["metrics"]["auc"] > 0.7  # scored by the artefact
    assert "SEX=2" in results["fairness"]["output"]["groups"]

    started = client.post(f"{BASE}/models/credit-test/versions/1.0.0/assessments", json={
        "answers": {"decisions": "recommends"}}, headers=team.analyst.headers)
    assert started.status_code == 201, started.text
    assessment = started.json()["id"]
    incomplete = client.post(f"{BASE}/assessments/{assessment}/submit",
                             headers=team.analyst.headers)
    assert incomplete.status_code == 422 and "reversibility" in incomplete.text
    form = client.get(f"{BASE}/questionnaire").json()
    answers = {q["id"]: (q["options"][1]["id"] if q["kind"] == "impact"
                         else q["options"][-1]["id"])
               for s in form["sections"] for q in s["questions"]}
    client.post(f"{BASE}/assessments/{assessment}/answers", json={"answers": answers},
                headers=team.analyst.headers)
    submitted = client.post(f"{BASE}/assessments/{assessment}/submit",
                            headers=team.analyst.headers).json()
    assert submitted["status"] == "submitted" and submitted["level"] in (1, 2)
    assert {e["plugin"] for e in submitted["evidence"]} == {
        "fairness", "performance", "data-quality"}  # test results linked automatically

    early = client.post(f"{BASE}/models/credit-test/versions/1.0.0/status",
                        json={"status": "deployed"}, headers=team.analyst.headers)
    assert early.status_code == 409  # no approved assessment yet
    own = client.post(f"{BASE}/assessments/{assessment}/review", json={"approve": True},
                      headers=team.analyst.headers)
    assert own.status_code == 403
    approved = client.post(f"{BASE}/assessments/{assessment}/review",
                           json={"approve": True, "note": "ok"}, headers=team.reviewer.headers)
    assert approved.status_code == 200, approved.text
    assert approved.json()["next_review_on"]
    deployed = client.post(f"{BASE}/models/credit-test/versions/1.0.0/status",
                           json={"status": "deployed"}, headers=team.analyst.headers)
    assert deployed.status_code == 200 and deployed.json()["status"] == "deployed"

    pdf = client.get(f"{BASE}/assessments/{assessment}/report.pdf", headers=team.reviewer.headers)
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "credit-test@1.0.0" in text and "Risk level" in text
    html = client.get(f"{BASE}/assessments/{assessment}/report.html?lang=zh-Hant",
                      headers=team.reviewer.headers)
    assert html.status_code == 200 and "credit-test@1.0.0" in html.text

    with platform.db.read() as session:
        actions = {e.action for e in session.query(AuditEntry).all()}
    assert {"registry.version.register", "assurance.result", "assessment.submit",
            "assessment.approved", "registry.version.deployed"} <= actions


def test_versions_compare_and_public_reads(client, team, small_credit):
    _register(client, team, small_credit)
    _assure(client, team, small_credit, plugins="performance")
    listed = client.get(f"{BASE}/models").json()
    names = {m["name"] for m in listed["models"]}
    assert "credit-test" in names
    assert "enquiry-faq-retriever" in names  # apps' own model cards are synced in
    compared = client.get(f"{BASE}/models/credit-test/compare?plugin=performance").json()
    assert compared["versions"][0]["figures"]["auc"] > 0.7
    page = client.get("/responsible/models/credit-test/versions/1.0.0")
    assert page.status_code == 200 and "Model card" in page.text
    # the page names its own version (not the platform's) and its JSON link answers
    assert "<dd>1.0.0 (" in page.text
    assert 'href="/api/responsible/models/credit-test/versions/1.0.0"' in page.text
    assert client.get(f"{BASE}/models/credit-test/versions/1.0.0").status_code == 200


def test_roles_and_organisations_are_enforced(client, team, small_credit):
    anonymous = client.post(f"{BASE}/models", json=card_body(small_credit))
    assert anonymous.status_code == 401
    outsider = client.post(f"{BASE}/models", json=card_body(small_credit),
                           headers=team.outsider.headers)
    assert outsider.status_code == 403
    _register(client, team, small_credit)
    started = client.post(f"{BASE}/models/credit-test/versions/1.0.0/assessments",
                          json={"answers": {}}, headers=team.analyst.headers).json()
    peek = client.get(f"{BASE}/assessments/{started['id']}", headers=team.outsider.headers)
    assert peek.status_code == 403
    changed = card_body(small_credit)
    changed["artefact_base64"] = "bW9kZWw="
    conflict = client.post(f"{BASE}/models", json=changed, headers=team.analyst.headers)
    assert conflict.status_code == 409


def test_bad_uploads_name_the_column(client, team, small_credit):
    _register(client, team, small_credit)
    missing = _assure(client, team, small_credit, sensitive="RACE")
    assert missing.status_code == 422 and "RACE" in missing.json()["error"]["message"]
    not_csv = client.post(f"{BASE}/fairness", headers=team.analyst.headers,
                          files={"file": ("x.csv", b"\x00\x01", "text/csv")},
                          data={"label": "y", "pred": "p", "sensitive": "g"})
    assert not_csv.status_code == 422
    body = b"y,p,g\n0,1,a\n1,1,a\n2,0,b\n"
    labels = client.post(f"{BASE}/fairness", headers=team.analyst.headers,
                         files={"file": ("x.csv", body, "text/csv")},
                         data={"label": "y", "pred": "p", "sensitive": "g"})
    assert labels.status_code == 422 and "y" in labels.json()["error"]["message"]
    fine = client.post(f"{BASE}/fairness", headers=team.analyst.headers,
                       files={"file": ("x.csv", b"y,p,g\n0,1,a\n1,1,a\n1,0,b\n0,0,b\n",
                                       "text/csv")},
                       data={"label": "y", "pred": "p", "sensitive": "g"})
    assert fine.status_code == 200 and fine.json()["groups"]["g=a"]["selection_rate"] == 1.0


def test_approval_cannot_be_set_by_hand(client, team, small_credit):
    _register(client, team, small_credit)
    forced = client.post(f"{BASE}/models/credit-test/versions/1.0.0/status",
                         json={"status": "approved"}, headers=team.analyst.headers)
    assert forced.status_code == 422
    bad_metric = card_body(small_credit, "2.0.0")
    bad_metric["metrics"] = {"auc": "__INF__"}
    body = json.dumps(bad_metric).replace('"__INF__"', "1e999")  # parses as infinity
    refused = client.post(f"{BASE}/models", content=body, headers={
        **team.analyst.headers, "Content-Type": "application/json"})
    assert refused.status_code == 422
