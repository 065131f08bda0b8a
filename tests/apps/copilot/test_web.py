"""The copilot pages through a signed-in browser session without JavaScript: upload, run a
route by form, see the result with sources and provenance, rate it, export a draft, and the
admin usage page; plus each page's JSON twin."""

from __future__ import annotations

import re

from tests.apps.copilot.conftest import POLICY
from tests.gateway.conftest import sign_in


def test_the_workspace_flow_without_javascript(client, team):
    csrf = sign_in(client, team.officer.username)
    assert client.get("/copilot").status_code == 200
    uploaded = client.post("/copilot/documents", data={"csrf_token": csrf},
                           files={"file": ("policy.txt", POLICY.encode())},
                           follow_redirects=False)
    assert uploaded.status_code == 303
    listed = client.get("/copilot?format=json").json()["documents"]
    document = listed[0]["id"]
    page = client.post("/copilot/run", data={"csrf_token": csrf, "route": "summarise",
                                             "document_ids": str(document),
                                             "style": "bullet", "length": "short"})
    assert page.status_code == 200
    assert "lexrank (extractive, no model)" in page.text and "- " in page.text
    assert f'href="/copilot/documents/{document}"' in page.text
    bad = client.post("/copilot/run", data={"csrf_token": csrf, "route": "chat", "text": ""})
    assert bad.status_code == 422 and 'role="alert"' in bad.text
    output = client.get("/api/copilot/outputs", headers=team.officer.headers).json()[0]["id"]
    rated = client.post(f"/copilot/outputs/{output}/rating",
                        data={"csrf_token": csrf, "score": "5", "comment": "Good"},
                        follow_redirects=False)
    assert rated.status_code == 303
    detail = client.get(f"/copilot/documents/{document}")
    assert 'id="page-1"' in detail.text and "2. Proposal" in detail.text
    exported = client.post("/copilot/export", data={"csrf_token": csrf, "text": "# Memo\n- A"})
    assert exported.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert client.post("/copilot/documents", files={"file": ("a.txt", b"x")},
                       follow_redirects=False).status_code == 403  # no CSRF token


def test_the_admin_page_is_for_organisation_admins(client, team):
    sign_in(client, team.admin.username)
    page = client.get("/copilot/admin?org=hk-td")
    assert page.status_code == 200 and re.search(r"<caption[^>]*>", page.text)
    client.cookies.clear()
    sign_in(client, team.officer.username)
    assert client.get("/copilot/admin?org=hk-td").status_code == 403
