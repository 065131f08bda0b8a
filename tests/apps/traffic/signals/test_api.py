"""The runs API and page: role checks, bad input, and a real run's figures in the table."""

import time

from aiplus.apps.traffic.signals.jobs import run_job


def _finished(client, headers, job_id: str) -> dict:
    for _ in range(300):
        job = client.get(f"/api/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.2)
    raise AssertionError("the run did not finish")


def test_officer_runs_a_controller_and_sees_its_figures(client, factory):
    officer = factory.member("td-officer", org="hk-td", role="officer")
    started = client.post("/api/traffic/signals/runs", headers=officer.headers,
                          json={"controller": "maxpressure", "seconds": 60})
    assert started.status_code == 202, started.text
    job = _finished(client, officer.headers, started.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["result"]["controller"] == "maxpressure"
    assert job["result"]["safety_violations"] == 0
    runs = client.get("/api/traffic/signals/runs", headers=officer.headers).json()["runs"]
    assert [r["id"] for r in runs] == [job["id"]] and runs[0]["kind"] == run_job.name
    page = client.get("/traffic/signals", headers=officer.headers)
    assert page.status_code == 200 and "maxpressure" in page.text
    assert "<th scope=\"col\">" in page.text
    chinese = client.get("/traffic/signals?lang=zh-Hant", headers=officer.headers)
    assert chinese.status_code == 200


def test_runs_need_a_signed_in_officer_and_valid_parameters(client, factory):
    assert client.post("/api/traffic/signals/runs",
                       json={"controller": "fixed", "seconds": 60}).status_code == 401
    public = factory.member("citizen", org="hk-td", role="public")
    denied = client.post("/api/traffic/signals/runs", headers=public.headers,
                         json={"controller": "fixed", "seconds": 60})
    assert denied.status_code == 403
    officer = factory.member("td-officer2", org="hk-td", role="officer")
    for body in ({"controller": "magic"}, {"controller": "fixed", "seconds": 10 ** 6},
                 {"controller": "fixed", "seconds": "long"}, ["fixed"]):
        bad = client.post("/api/traffic/signals/runs", headers=officer.headers, json=body)
        assert bad.status_code == 422, (body, bad.text)
        assert "Traceback" not in bad.text
    assert client.get("/api/traffic/signals/runs", headers=public.headers).json()["runs"] == []
    assert "learned" in client.get("/api/traffic/signals/controllers").json()["controllers"]
