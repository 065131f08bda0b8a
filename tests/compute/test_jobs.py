import time

import pytest

from aiplus.compute.jobs import JobService, JobStatus
from aiplus.core import audit
from aiplus.core.errors import Forbidden, NotFound
from aiplus.core.identity import Principal
from tests.compute.job_kinds import KINDS


def wait_for(service, principal, job_id, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = service.get(principal, job_id)
        if job.state.finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {service.get(principal, job_id).as_dict()}")


def wait_running(service, principal, job_id, timeout=60.0):
    deadline = time.monotonic() + timeout
    while service.get(principal, job_id).state is not JobStatus.RUNNING:
        assert time.monotonic() < deadline, "job never started"
        time.sleep(0.05)


@pytest.fixture
def service(platform):
    for kind in KINDS:
        platform.jobs.register(kind)
    return platform.jobs


def check_lifecycle(service, platform, officer):
    job = service.submit(officer.principal, "test.count", {"steps": 4})
    assert job.status == "queued"
    done = wait_for(service, officer.principal, job.id)
    assert done.status == "succeeded" and done.progress == 100.0
    assert done.result == {"counted": 4} and done.message == "step 4 of 4"
    assert [line.message for line in service.logs(officer.principal, job.id)] == ["counted to 4"]

    failed = wait_for(service, officer.principal,
                      service.submit(officer.principal, "test.explode").id)
    assert failed.status == "failed" and "no rows" in failed.error
    assert failed.progress == 50.0

    slow = service.submit(officer.principal, "test.linger")
    wait_running(service, officer.principal, slow.id)
    service.cancel(officer.principal, slow.id)
    cancelled = wait_for(service, officer.principal, slow.id)
    assert cancelled.status == "cancelled" and cancelled.progress < 100

    with platform.db.read() as session:
        actions = [e.action for e in session.query(audit.AuditEntry).all()]
        assert audit.verify(session).ok
    assert actions.count("job.submit") == 3
    assert {"job.succeeded", "job.failed", "job.cancelled", "job.cancel"} <= set(actions)


def test_local_pool_runs_jobs_with_progress_logs_failure_and_cancel(service, platform, factory):
    assert service.backend.name == "local"
    check_lifecycle(service, platform, factory.member("ann"))


def test_a_queued_job_cancelled_before_it_starts_never_runs(platform, factory):
    officer = factory.member("ann")
    service = JobService(platform.db, _Holding(), KINDS)
    job = service.submit(officer.principal, "test.count")
    assert service.cancel(officer.principal, job.id).status == "cancelled"
    from aiplus.compute.jobs import execute

    assert execute(platform.db, platform.settings, job.id, KINDS[0].function) == "cancelled"
    assert service.get(officer.principal, job.id).started_at is None


class _Holding:
    """A backend that never runs anything, to observe queued jobs."""

    name = "holding"

    def submit(self, job_id, function):
        pass

    def shutdown(self):
        pass


def test_jobs_are_private_to_their_owner_and_org_admins(service, factory):
    ann = factory.member("ann", org="hk-td")
    bob = factory.member("bob", org="hk-td")
    boss = factory.member("boss", org="hk-td", role="admin")
    outsider = factory.member("eve", org="hk-ha", role="admin")
    job = service.submit(ann.principal, "test.count", {"steps": 1})
    assert service.get(boss.principal, job.id).id == job.id
    for stranger in (bob, outsider):
        with pytest.raises(NotFound):
            service.get(stranger.principal, job.id)
        with pytest.raises(NotFound):
            service.cancel(stranger.principal, job.id)
    assert [j.id for j in service.list(bob.principal)] == []
    with pytest.raises(Forbidden):
        service.submit(Principal(), "test.count")
    with pytest.raises(NotFound):
        service.submit(ann.principal, "no.such.kind")
    wait_for(service, ann.principal, job.id)


@pytest.mark.ray
def test_ray_backend_runs_the_same_jobs(platform, factory):
    import ray
    from ray import cloudpickle


    import tests.compute.job_kinds as kinds_module
    from aiplus.compute.backends.ray import RayBackend

    cloudpickle.register_pickle_by_value(kinds_module)
    settings = platform.settings.model_copy(update={"job_backend": "ray", "ray_address": "auto"})
    service = JobService(platform.db, RayBackend(settings), KINDS)
    try:
        check_lifecycle(service, platform, factory.member("ann"))
        with platform.db.read() as session:
            from aiplus.compute.jobs import Job

            assert {job.backend for job in session.query(Job)} == {"ray"}
    finally:
        ray.shutdown()
        cloudpickle.unregister_pickle_by_value(kinds_module)
