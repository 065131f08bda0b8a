"""Federation governance and runs: the registry of participants, their agreements, and the
runs that :mod:`.jobs` trains (journalling every round, recording incidents and registering the
final model).

Who may do what, per organisation (the coordinator, e.g. a banking association): data
stewards and admins keep the participant registry and agreements; officers start runs;
officers, stewards and reviewers read. A participant joins a run only while its consent and
data-use agreements are both in force.

Portal runs use the shipped UCI credit data split among the chosen participants (the
stand-in for each bank's own rows, which in a deployment stay on the bank's SuperNode).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pandas as pd
from sklearn.model_selection import train_test_split
from sqlalchemy import select
from sqlalchemy.orm import Session

from aiplus.apps.federated.tables import Agreement, AgreementKind, Participant, Run
from aiplus.core import audit
from aiplus.core.errors import Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_, Bilingual
from aiplus.core.identity import Principal, Role
from aiplus.data.samples import UCI_CREDIT_LABEL
from aiplus.federated.partition import Partitioning
from aiplus.federated.runner import Experiment

SLUG = "federated"
RUN_JOB = "federated.run"
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

    def federations(self, principal: Principal) -> list[str]:
        """Organisations that coordinate a federation (have participants) the caller may read:
        a platform administrator sees every one, not only those of their own memberships."""
        with self.platform.db.read() as session:
            orgs = session.scalars(select(Participant.org).distinct())
            return sorted(org for org in orgs if principal.has_role(org, *READERS))

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
        experiment(settings, pd.DataFrame()).validate()
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
        job = self.platform.jobs.submit(principal, RUN_JOB, {"run_id": run_id}, org=org)
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


def experiment(settings: RunSettings, data: pd.DataFrame) -> Experiment:
    """The experiment a run trains: ``data`` split 80/20 into training and held-out rows,
    stratified by the label; empty ``data`` (when a run is requested) only checks settings."""
    train, test = (train_test_split(data, test_size=0.2, random_state=0,
                                    stratify=data[UCI_CREDIT_LABEL])
                   if len(data) else (data, data))
    return Experiment(train, test, UCI_CREDIT_LABEL,
                      participants=len(settings.participant_ids),
                      partitioning=Partitioning.parse(settings.partition),
                      model=settings.model, strategy=settings.strategy,
                      rounds=settings.rounds, secagg=settings.secagg,
                      dp_epsilon=settings.dp_epsilon, faults=settings.faults)
