"""The forms API through the real app: extraction's documented shape, the applicant's status,
the officer's queue, crops, correction and approval, the training-data export, the audit
log, organisation isolation, encryption at rest, retention and bad uploads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from aiplus.apps.forms import sealed
from aiplus.apps.forms.extract import FieldResult, Reading
from aiplus.apps.forms.tables import Submission
from aiplus.apps.forms.service import Forms, purge_expired
from aiplus.apps.forms.templates import load
from aiplus.core.audit import AuditEntry
from aiplus.guard.pii.hkid import check_digit
from aiplus.platform.services import Platform
from tests.apps.forms.conftest import ORG, People, doubtful_form, png


def test_a_form_goes_through_review(people: People, client: TestClient,
                                    forms_platform: Platform) -> None:
    form = doubtful_form()
    response = client.post("/api/forms/extract", headers=people.applicant.headers,
                           data={"template": "idp", "org": ORG},
                           files={"file": ("form.png", png(form.image), "image/png")})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {"template", "fields", "status"} <= body.keys() and body["template"] == "idp"
    assert set(body["fields"]["id_number"]) == {"value", "confidence", "valid", "errors", "bbox"}
    assert body["status"] == "needs_review"
    assert body["fields"]["id_number"] == {**body["fields"]["id_number"], "valid": False,
                                           "value": form.truth["fields"]["id_number"]}
    reference = body["reference"]

    mine = client.get(f"/api/forms/submissions/{reference}/status", headers=people.applicant.headers)
    assert mine.status_code == 200 and mine.json()["status"] == "needs_review"
    hidden = client.get(f"/api/forms/submissions/{reference}", headers=people.outsider.headers)
    assert hidden.status_code == 404
    assert client.get(f"/api/forms/submissions/{reference}",
                      headers=people.applicant.headers).status_code == 404
    queue = client.get("/api/forms/queue", headers=people.officer.headers).json()["submissions"]
    assert [item["reference"] for item in queue] == [reference]
    assert "id_number" in queue[0]["doubtful"]
    assert client.get("/api/forms/queue", headers=people.outsider.headers).json() == {"submissions": []}

    crop = client.get(f"/api/forms/submissions/{reference}/crops/id_number",
                      headers=people.officer.headers)
    assert crop.status_code == 200 and crop.content.startswith(b"\x89PNG")

    refused = client.post(f"/api/forms/submissions/{reference}/review",
                          headers=people.officer.headers, json={"decision": "approve"})
    assert refused.status_code == 422  # still invalid: an officer cannot approve it as is
    body_id = form.truth["fields"]["id_number"][:-3]  # "A123456" of "A123456(9)"
    correct = f"{body_id}({check_digit(body_id)})"
    licence = correct.replace("(", "").replace(")", "")
    approved = client.post(f"/api/forms/submissions/{reference}/review",
                           headers=people.officer.headers,
                           json={"decision": "approve", "note": "checked against HKID",
                                 "corrections": {"id_number": correct, "licence_number": licence}})
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "accepted"
    assert client.get(f"/api/forms/submissions/{reference}/status",
                      headers=people.applicant.headers).json()["status"] == "accepted"

    export = client.get("/api/forms/corrections.jsonl", params={"org": ORG},
                        headers=people.officer.headers)
    rows = [line for line in export.text.splitlines() if line]
    assert len(rows) == 2 and '"corrected": "' + correct in export.text
    assert '"crop_png_base64": "iVBOR' in export.text
    assert client.get("/api/forms/corrections.jsonl", params={"org": ORG},
                      headers=people.outsider.headers).status_code == 403

    with forms_platform.db.read() as session:
        actions = [entry.action for entry in session.scalars(select(AuditEntry))]
        row = session.scalar(select(Submission))
        assert row is not None and row.image is not None
        assert not row.image.startswith(b"\xff\xd8")  # encrypted, not a JPEG
        assert sealed.unseal(forms_platform.settings, row.image).width > 1000
    assert {"forms.extract", "forms.review.approve", "forms.export_corrections"} <= set(actions)


def test_retention_deletes_images_and_values(people: People, client: TestClient,
                                             forms_platform: Platform) -> None:
    reading = Reading(load("idp"), "needs_review",
                      {"name_en": FieldResult("name_en", "CHAN TAI MAN", 0.5, (10, 10, 90, 30))},
                      [], Image.new("RGB", (100, 40), "white"), {})
    with forms_platform.db.transaction() as session:
        reference = Forms(forms_platform).store(session, people.applicant.principal, ORG,
                                                reading).reference
    assert purge_expired(forms_platform.db) == {"purged": 0}
    with forms_platform.db.transaction() as session:
        row = session.scalar(select(Submission).where(Submission.reference == reference))
        assert row is not None
        row.purge_after = row.created_at - timedelta(seconds=1)
    assert purge_expired(forms_platform.db) == {"purged": 1}
    status = client.get(f"/api/forms/submissions/{reference}/status",
                        headers=people.applicant.headers).json()
    assert status["status"] == "needs_review" and status["fields"]["name_en"]["value"] == ""
    with forms_platform.db.read() as session:
        assert session.scalar(select(Submission.image)) is None


@pytest.mark.parametrize(("content", "status"), [
    (b"", 400), (b"GIF89a broken", 400), (b"%PDF-1.4 nothing", 400), (b"<html></html>", 415),
])
def test_bad_uploads_get_bilingual_errors(content: bytes, status: int, people: People,
                                          client: TestClient) -> None:
    english = client.post("/api/forms/extract", headers=people.applicant.headers,
                          files={"file": ("x.bin", content, "application/octet-stream")})
    chinese = client.post("/api/forms/extract",
                          headers={**people.applicant.headers, "Accept-Language": "zh-HK"},
                          files={"file": ("x.bin", content, "application/octet-stream")})
    assert english.status_code == chinese.status_code == status
    assert english.json()["error"]["message"] and chinese.json()["error"]["message"]


def test_extraction_needs_a_signed_in_user_and_a_role(people: People, client: TestClient) -> None:
    anonymous = client.post("/api/forms/extract", files={"file": ("x.png", b"x", "image/png")})
    assert anonymous.status_code in (401, 403)
    other_org = client.post("/api/forms/extract", headers=people.applicant.headers,
                            data={"org": "hk-1823"}, files={"file": ("x.png", b"x", "image/png")})
    assert other_org.status_code == 403
    unknown = client.post("/api/forms/extract", headers=people.applicant.headers,
                          data={"template": "nosuch"}, files={"file": ("x.png", b"x", "image/png")})
    assert unknown.status_code == 404
