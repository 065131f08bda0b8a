"""The forms pages without a browser: the upload page (signed out and in), uploading through
the HTML form, the officer's queue and review page with crops, and a review decision."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.apps.forms.conftest import ORG, People, doubtful_form, png

HTML = {"Accept": "text/html"}


def test_the_upload_page_asks_anonymous_people_to_sign_in(people: People,
                                                          client: TestClient) -> None:
    page = client.get("/forms", headers=HTML)
    assert page.status_code == 200 and "Please sign in to upload a form." in page.text
    chinese = client.get("/forms", headers={**HTML, "Accept-Language": "zh-HK"})
    assert chinese.status_code == 200 and 'lang="zh-Hant"' in chinese.text


def test_upload_review_and_decide_through_the_pages(people: People, client: TestClient) -> None:
    form = doubtful_form()
    applicant = {**HTML, **people.applicant.headers}
    uploaded = client.post("/forms", headers=applicant, data={"org": ORG},
                           files={"file": ("form.png", png(form.image), "image/png"),
                                  "licence": ("", b"", "application/octet-stream")})
    assert uploaded.status_code == 200, uploaded.text
    reference = re.search(r"<strong>([A-Za-z0-9_-]{24})</strong>", uploaded.text).group(1)
    assert form.truth["fields"]["email"] in uploaded.text
    bad = client.post("/forms", headers=applicant, files={"file": ("x.png", b"junk", "image/png")})
    assert bad.status_code == 415 and 'role="alert"' in bad.text  # not the PNG it claims

    officer = {**HTML, **people.officer.headers}
    queue = client.get("/forms/review", headers=officer)
    assert reference in queue.text
    # the queue names the organisation, not its id (issue 27)
    assert f"<td>{ORG}</td>" not in queue.text and f"<td>Org {ORG}</td>" in queue.text
    review = client.get(f"/forms/review/{reference}", headers=officer)
    assert f"/api/forms/submissions/{reference}/crops/id_number" in review.text
    assert client.get(f"/forms/review/{reference}", headers={
        **HTML, **people.outsider.headers}).status_code == 404
    rejected = client.post(f"/forms/review/{reference}", headers=officer,
                           data={"decision": "reject", "note": "wrong HKID"},
                           follow_redirects=False)
    assert rejected.status_code == 303
    status = client.get("/forms/status", params={"reference": reference}, headers=applicant)
    assert "Not accepted" in status.text
