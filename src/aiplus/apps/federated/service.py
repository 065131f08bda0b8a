"""Federation governance and runs: the registry of participants, their agreements, and jobs
that train, journal every round, record incidents and register the final model.

Who may do what, per organisation (the coordinator, e.g. a banking association): data
stewards and admins keep the participant registry and agreements; officers start runs;
officers, stewards and reviewers read. A participant joins a run only while its consent and
data-use agreements are both in force.

Portal runs use the shipped UCI credit data split among the chosen participants (the
stand-in for each bank's own rows, which in a deployment stay on the bank's SuperNode).
"""

from __future__ import annotations

import functools
import json
import tempfile
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split
from sqlalchemy import select
from sqlalchemy.orm import Session

from aiplus.apps.federated.models import (
    Agreement,
    AgreementKind,
    Participant,
    RoundRecord,
    Run,
    RunStatus,
)
from aiplus.compute.jobs import JobContext, JobKind
from aiplus.core import audit
from aiplus.core.db import utcnow
from aiplus.core.errors import AiplusError, Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_, Bilingual
from aiplus.core.identity import Principal, Role
from aiplus.data.samples import UCI_CREDIT_LABEL, load_uci_credit, uci_credit_csv_bytes
from aiplus.federated import privacy
from aiplus.federated.partition import Partitioning
from aiplus.federated.runner import PREDICTIONS_FILE, THRESHOLD, Experiment, run
from aiplus.federated.server.screening import RoundEntry
from aiplus.federated.simulation import simulate

SLUG = "federated"
READERS = (Role.OFFICER, Role.DATA_STEWARD, Role.REVIEWER)
PARTICIPANT_KINDS = ("bank", "insurer", "other")
MAX_ROWS = 30000
CARD = {
    "intended_use": Bilingual(
        "Scores the chance that a credit-card customer defaults next month, to support (not "
        "replace) a credit officer's assessment; trained across banks without pooling data.",
        "估計信用卡客戶下月違約的機會，以輔助（而非取代）信貸人員的評估；在不匯集資料的情況下由多間銀行共同訓練。"),
    "out_of_scope": Bilingual(
        "Automatic refusal of credit; customers unlike the 2005 Taiwanese card holders.",
        "自動拒絕信貸申請；與 2005 年台灣信用卡持卡人情況不同的客戶。"),
    "data": Bilingual(
        "UCI default of credit card clients (Yeh & Lien, 2009, CC BY 4.0), split among the "
        "participants; sex is excluded from the features and used only for fairness checks.",
        "UCI 信用卡客戶違約數據（Yeh 與 Lien，2009，CC BY 4.0），分配予各參與機構；性別不作特徵，只用於公平性檢查。"),
    "limits": Bilingual(
        "One market and one period; AUC about 0.75-0.78; differential privacy lowers "
        "accuracy; a participant's data quality is not verified by the coordinator.",
        "只涵蓋單一市場及時期；AUC 約 0.75 至 0.78；差分私隱會降低準確度；協調方無法核實參與機構的資料質素。"),
}


@dataclass(frozen=True)
class RunSettings:
    participant_ids: list[int]
    model: str = "lr"
    strategy: str = "fedavg"
    partition: str = "dirichlet:0.5"
    rounds: int = 3
    secagg: bool = False
    dp_epsilon: float | None = None
    rows: int = 6000
    faults: str = ""


def _require(principal: Principal, org: str, *roles: Role) -> None:
    if not principal.authenticated or not principal.has_role(org, *roles):
        raise Forbidden()


def _participant(session: Session, principal: Principal, pid: int) -> Participant:
    row = session.get(Participant, pid) if 0 < pid < 2**31 else None
    if row is None or not principal.has_role(row.org, *READERS, Role.ADMIN):
        raise NotFound(N_("Participant {id} was not found."), id=pid)
    return row


class Federation:
    def __init__(self, platform: Any) -> None:
        self.platform = platform

    # -- registry of participants and agreements
    def register(self, principal: Principal, org: str, name: str, kind: str,
                 contact: str = "") -> dict[str, Any]:
        _require(principal, org, Role.DATA_STEWARD)
        if kind not in PARTICIPANT_KINDS:
            raise ValidationFailed(N_("Participant kind must be bank, insurer or other."))
        if not name.strip():
            raise ValidationFailed(N_("A participant needs a name."))
        with self.platform.db.transaction() as session:
            if session.scalar(select(Participant).where(Participant.org == org,
                                                        Participant.name == name.strip())):
                raise ValidationFailed(N_("A participant named {name} already exists."),
                                       name=name.strip())
            row = Participant(org=org, name=name.strip(), kind=kind, contact=contact.strip())
            session.add(row)
            session.flush()
            audit.record(session, actor=principal.actor, org=org, action="federated.participant",
                         target=f"fl_participant:{row.id}", detail={"name": row.name,
                                                                    "kind": kind})
            return row.as_dict(date.today())

    def agree(self, principal: Principal, pid: int, kind: str, purpose: str, signed_by: str,
              signed_on: date, expires_on: date | None = None) -> dict[str, Any]:
        if kind not in {k.value for k in AgreementKind}:
            raise ValidationFailed(N_("Agreement kind must be consent or data-use."))
        if not purpose.strip() or not signed_by.strip():
            raise ValidationFailed(N_("An agreement needs its purpose and who signed it."))
        if expires_on is not None and expires_on < signed_on:
            raise ValidationFailed(N_("An agreement cannot expire before it is signed."))
        with self.platform.db.transaction() as session:
            participant = _participant(session, principal, pid)
            _require(principal, participant.org, Role.DATA_STEWARD)
            row = Agreement(participant=participant, kind=kind, purpose=purpose.strip(),
                            signed_by=signed_by.strip(), signed_on=signed_on,
                            expires_on=expires_on, recorded_by=principal.actor)
            session.add(row)
            session.flush()
            audit.record(session, actor=principal.actor, org=participant.org,
                         action="federated.agreement", target=f"fl_agreement:{row.id}",
                         detail={"participant": pid, "kind": kind, "purpose": row.purpose})
            return row.as_dict()

    def participants(self, principal: Principal, org: str) -> list[dict[str, Any]]:
        _require(principal, org, *READERS)
        with self.platform.db.read() as session:
            rows = session.scalars(select(Participant).where(Participant.org == org)
                                   .order_by(Participant.id))
            return [r.as_dict(date.today()) for r in rows]

    # -- runs
    def start(self, principal: Principal, org: str, settings: RunSettings) -> dict[str, Any]:
        """Check the request, record the run, and queue the training job."""
        _require(principal, org, Role.OFFICER)
        Partitioning.parse(settings.partition)
        if not 500 <= settings.rows <= MAX_ROWS:
            raise ValidationFailed(N_("Rows must be from {low} to {high}."), low=500,
                                   high=MAX_ROWS)
        if len(set(settings.participant_ids)) < 2:
            raise ValidationFailed(N_("Choose at least two participants."))
        self._experiment(settings, pd.DataFrame()).validate()
        with self.platform.db.transaction() as session:
            chosen = [_participant(session, principal, pid) for pid in settings.participant_ids]
            not_ready = [p.name for p in chosen if p.org != org or not p.covered(date.today())]
            if not_ready:
                raise ValidationFailed(
                    N_("These participants lack consent or a data-use agreement in force: "
                       "{names}."), names=", ".join(not_ready))
            row = Run(org=org, created_by=principal.actor, settings=asdict(settings),
                      participant_ids=list(settings.participant_ids))
            session.add(row)
            session.flush()
            audit.record(session, actor=principal.actor, org=org, action="federated.run",
                         target=f"fl_run:{row.id}", detail=asdict(settings))
            run_id = row.id
        job = self.platform.jobs.submit(principal, run_job.name, {"run_id": run_id}, org=org)
        with self.platform.db.transaction() as session:
            session.get(Run, run_id).job_id = job.id
        return self.run(principal, run_id)

    def runs(self, principal: Principal, org: str) -> list[dict[str, Any]]:
        _require(principal, org, *READERS)
        with self.platform.db.read() as session:
            rows = session.scalars(select(Run).where(Run.org == org).order_by(Run.id.desc()))
            return [r.summary() for r in rows]

    def run(self, principal: Principal, run_id: int) -> dict[str, Any]:
        with self.platform.db.read() as session:
            row = session.get(Run, run_id)
            if row is None or not principal.has_role(row.org, *READERS, Role.ADMIN):
                raise NotFound(N_("Run {id} was not found."), id=run_id)
            names = {p.id: p.name for p in session.scalars(
                select(Participant).where(Participant.id.in_(row.participant_ids)))}
            return {**row.summary(), "results": row.results,
                    "participants": [names.get(i, str(i)) for i in row.participant_ids],
                    "rounds": [r.as_dict() for r in row.rounds]}

    @staticmethod
    def _experiment(settings: RunSettings, data: pd.DataFrame) -> Experiment:
        train, test = (train_test_split(data, test_size=0.2, random_state=0,
                                        stratify=data[UCI_CREDIT_LABEL])
                       if len(data) else (data, data))
        return Experiment(train, test, UCI_CREDIT_LABEL,
                          participants=len(settings.participant_ids),
                          partitioning=Partitioning.parse(settings.partition),
                          model=settings.model, strategy=settings.strategy,
                          rounds=settings.rounds, secagg=settings.secagg,
                          dp_epsilon=settings.dp_epsilon, faults=settings.faults)


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
    exp = Federation._experiment(settings, data)
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
    from aiplus.ethics import fairness_report
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


run_job = JobKind(name="federated.run", function=execute_run,
                  title_en="Federated training run", title_zh="聯邦學習訓練")
