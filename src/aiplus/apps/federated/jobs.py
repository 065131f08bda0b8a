"""The federated app's job: train one run (queued by :meth:`.service.Federation.start`),
journal each round, record incidents and register the final model."""

from __future__ import annotations

import functools
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from aiplus.apps.federated.service import CARD, RUN_JOB, SLUG, RunSettings, experiment
from aiplus.apps.federated.tables import RoundRecord, Run, RunStatus
from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core import audit
from aiplus.core.db import utcnow
from aiplus.core.errors import AiplusError, NotFound
from aiplus.core.i18n import N_, Bilingual
from aiplus.data.samples import UCI_CREDIT_LABEL, load_uci_credit, uci_credit_csv_bytes
from aiplus.federated import privacy
from aiplus.federated.runner import PREDICTIONS_FILE, THRESHOLD, Experiment, run
from aiplus.federated.server.screening import RoundEntry
from aiplus.federated.simulation import simulate


def execute_run(ctx: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Job: train one run, journalling each round as it finishes (that is the progress)."""
    run_id = int(params["run_id"])
    with ctx.db.transaction() as session:
        row = session.get(Run, run_id)
        if row is None:
            raise NotFound(N_("Run {id} was not found."), id=run_id)
        row.status = RunStatus.RUNNING.value
        settings = RunSettings(**row.settings)
        org, actor, ids = row.org, row.created_by, list(row.participant_ids)
    data = load_uci_credit().sample(settings.rows, random_state=0)
    exp = experiment(settings, data)
    noise = privacy.noise_for(exp.dp_epsilon, exp.rounds) if exp.dp_epsilon else 0.0

    def on_round(entry: RoundEntry) -> None:
        with ctx.db.transaction() as session:
            session.add(RoundRecord(
                run_id=run_id, number=entry.round,
                joined=[str(ids[i]) for i in entry.accepted if 0 <= i < len(ids)],
                norms=entry.norms, rejected=entry.rejected, failures=entry.failures,
                epsilon_spent=privacy.epsilon(noise, entry.round) if noise else None))
        ctx.progress(5 + 85 * entry.round / exp.rounds, N_("Federated round finished"))

    ctx.progress(2, N_("Preparing participants"))
    try:
        with tempfile.TemporaryDirectory(prefix="aiplus-fl-run-") as tmp:
            results = run(exp, Path(tmp), functools.partial(simulate, on_round=on_round))
            artefact = (Path(tmp) / str(results["artefact"])).read_bytes()
            scores = pd.read_csv(Path(tmp) / PREDICTIONS_FILE)["score"].to_numpy()
    except AiplusError as problem:
        _fail(ctx, run_id, org, actor, problem.message.format(**problem.params))
        raise
    except Exception as problem:  # a crash in a participant or the engine: recorded
        _fail(ctx, run_id, org, actor, f"{type(problem).__name__}: {problem}")
        raise
    with ctx.db.transaction() as session:
        row = session.get(Run, run_id)
        row.results, row.status, row.finished_at = results, RunStatus.DONE.value, utcnow()
        _record_incidents(session, row, results["incidents"])
        _register(ctx, session, row, results, artefact, exp, scores)
        audit.record(session, actor=f"job:{ctx.job_id}", org=org, action="federated.run.done",
                     target=f"fl_run:{run_id}", detail={"federated": results["federated"]})
    return {"run_id": run_id, "federated": results["federated"]}


def _fail(ctx: JobContext, run_id: int, org: str, actor: str, message: str) -> None:
    with ctx.db.transaction() as session:
        row = session.get(Run, run_id)
        row.status, row.error, row.finished_at = RunStatus.FAILED.value, message[:2000], utcnow()
        _record_incidents(session, row, [{"round": None, "participant": None,
                                          "kind": "run-failed", "reason": message}])


def _record_incidents(session: Session, row: Run, incidents: list[dict[str, Any]]) -> None:
    """Each rejected update or failed participant becomes an incident in the AI security
    monitor, so reviewers see federated trouble beside guardrail trouble."""
    from aiplus.guard.contract import CallContext, Direction, Finding, ScanResult
    from aiplus.guard.monitor.incidents import record_incident

    for item in incidents:
        text = json.dumps({"run": row.id, **item}, ensure_ascii=False)
        finding = Finding(scanner="federated-screening", kind=str(item["kind"]), score=1.0,
                          message=str(item.get("reason") or item["kind"]))
        record_incident(session, context=CallContext(org=row.org, app=SLUG, user=row.created_by),
                        direction=Direction.INPUT, outcome="blocked", text=text,
                        result=ScanResult(sanitized="", allowed=False, score=1.0,
                                          findings=(finding,)))


def _register(ctx: JobContext, session: Session, row: Run, results: dict[str, Any],
              artefact: bytes, exp: Experiment, scores: Any) -> None:
    """The final model goes to the model registry (draft) with its card, figures and a
    fairness result by sex computed on the held-out rows."""
    from aiplus.ethics.fairness import fairness_report
    from aiplus.ethics.assurance.store import record_result
    from aiplus.models.registry import CardText, Lineage, register_version, sha256_of

    name = f"credit-fl-{exp.model}-{row.org}"[:100]
    metrics = {k: v for k, v in (("auc", results["federated"]["auc"]),
                                 ("ks", results["federated"]["ks"])) if v is not None}
    version = register_version(
        session, ctx.files, name=name, version=f"run{row.id}",
        kind="xgboost" if exp.model == "xgb" else "pytorch", org=row.org,
        actor=f"job:{ctx.job_id}", title=Bilingual("Federated credit default model",
                                                    "聯邦信貸違約模型"),
        card=CardText(**CARD), metrics=metrics, artefact=artefact, app=SLUG,
        lineage=Lineage("uci-credit-card", file_sha256=sha256_of(uci_credit_csv_bytes()),
                        rows=len(exp.train), note=f"run {row.id}: {results['partition']}"))
    report = fairness_report(exp.test[UCI_CREDIT_LABEL].to_numpy().astype(int),
                             (scores >= THRESHOLD).astype(int), sensitive=exp.test[["SEX"]],
                             y_score=scores, bootstrap=100)
    record_result(session, version, plugin="fairness", output=report,
                  actor=f"job:{ctx.job_id}", params={"bootstrap": 100})
    row.model_name, row.model_version = name, version.version


run_job = JobKind(name=RUN_JOB, function=execute_run,
                  title_en="Federated training run", title_zh="聯邦學習訓練")
