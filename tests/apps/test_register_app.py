import hashlib
import json

from tests.compute.test_jobs import wait_for


def test_snapshot_job_publishes_hashed_register_files(client, platform, factory):
    officer = factory.member("ann", role="reviewer")
    started = client.post("/api/jobs", json={"kind": "ai-register.snapshot"},
                          headers=officer.headers)
    assert started.status_code == 202, started.text
    job = wait_for(platform.jobs, officer.principal, started.json()["id"])
    assert job.status == "succeeded", job.error
    document = platform.files.read_bytes(job.result["json"])
    assert hashlib.sha256(document).hexdigest() == job.result["sha256"]
    assert "ai-register" in {app["slug"] for app in json.loads(document)["apps"]}
    assert platform.files.read_bytes(job.result["csv"]).decode().startswith("app,")
    shown = client.get(f"/api/jobs/{job.id}", headers=officer.headers).json()
    assert shown["status"] == "succeeded" and shown["progress"] == 100.0


def test_public_roles_cannot_start_register_snapshots(client, factory):
    citizen = factory.member("citizen", role="public")
    response = client.post("/api/jobs", json={"kind": "ai-register.snapshot"},
                           headers=citizen.headers)
    assert response.status_code == 403


def test_register_lists_itself_in_both_languages(client):
    english = client.get("/register").text
    assert "AI register" in english
    data = client.get("/register?format=json").json()
    assert data["count"] >= 1 and data["apps"][0]["title"]["zh-Hant"]
    csv_text = client.get("/api/register/export.csv").text
    assert csv_text.splitlines()[0].startswith("app,app_title_en,app_title_zh")
