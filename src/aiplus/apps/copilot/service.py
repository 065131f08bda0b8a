"""The copilot service: runs a route for a person, stores each output with its provenance
(model, template version, tokens, latency, sources, faithfulness) and an audit entry, takes
ratings, and reports usage to the organisation's administrators."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import func, select

from aiplus.apps.copilot import glossary
from aiplus.apps.copilot.library import org_for
from aiplus.apps.copilot.tables import GlossaryTerm, Output, Rating
from aiplus.apps.copilot.routes import Context, Outcome, Task, choose, run
from aiplus.apps.copilot.settings import copilot_settings
from aiplus.core import audit
from aiplus.core.errors import AiplusError, Forbidden, NotFound, ValidationFailed
from aiplus.core.i18n import N_
from aiplus.core.identity import Principal, Role
from aiplus.platform.services import Platform


class Copilot:
    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.settings = copilot_settings()

    def _context(self, principal: Principal, task: Task) -> Context:
        return Context(self.platform, principal, org_for(principal, task.org), self.settings)

    def run(self, principal: Principal, task: Task) -> dict[str, Any]:
        """Run the task to the end and return the stored output."""
        ctx = self._context(principal, task)
        for kind, value in run(ctx, task):
            if kind == "outcome":
                return self._store(ctx, task, value)
        raise AssertionError("a route ends with an outcome")

    def stream(self, principal: Principal, task: Task,
               translate: Callable[..., str]) -> Iterator[str]:
        """Server-sent events: ``delta`` pieces as the model writes, then ``output`` (the
        stored output with its citations) or ``error`` (a message a person can read)."""
        ctx = self._context(principal, task)
        try:
            for kind, value in run(ctx, task):
                if kind == "delta":
                    yield _event("delta", {"text": value})
                else:
                    yield _event("output", self._store(ctx, task, value))
        except AiplusError as problem:
            yield _event("error", {"code": problem.code,
                                   "message": translate(problem.message, **problem.params)})

    def _store(self, ctx: Context, task: Task, outcome: Outcome) -> dict[str, Any]:
        route = choose(task).value
        latency = outcome.extra.pop("latency_ms", 0.0)
        with self.platform.db.transaction() as session:
            output = Output(org=ctx.org, actor=ctx.principal.actor, route=route,
                            model=outcome.model, template=outcome.template,
                            prompt_tokens=outcome.prompt_tokens,
                            completion_tokens=outcome.completion_tokens, latency_ms=latency,
                            sources={"items": outcome.sources},
                            faithfulness=outcome.faithfulness, text=outcome.text)
            session.add(output)
            session.flush()
            audit.record(session, actor=ctx.principal.actor, org=ctx.org,
                         action="copilot.output", target=f"output:{output.id}",
                         detail={"route": route, "model": outcome.model,
                                 "template": outcome.template,
                                 "sources": [s.get("chunk_id", s.get("document_id"))
                                             for s in outcome.sources],
                                 "supported_share": outcome.faithfulness.get("share"),
                                 **{k: v for k, v in outcome.extra.items()
                                    if k in ("not_in_documents", "parts")}})
            return output.as_dict() | {"extra": outcome.extra,
                                       "links": source_links(outcome.sources)}

    # -- outputs and ratings ---------------------------------------------------------------
    def output(self, principal: Principal, output_id: int) -> Output:
        with self.platform.db.read() as session:
            row = session.get(Output, output_id)
            if row is None or (row.actor != principal.actor
                               or row.org not in principal.roles):
                raise NotFound()
            return row

    def rate(self, principal: Principal, output_id: int, score: int,
             comment: str) -> dict[str, Any]:
        if not 1 <= score <= 5:
            raise ValidationFailed(N_("The rating must be from 1 to 5."))
        output = self.output(principal, output_id)
        with self.platform.db.transaction() as session:
            rating = session.scalar(select(Rating).where(Rating.output_id == output_id,
                                                         Rating.actor == principal.actor))
            if rating is None:
                rating = Rating(output_id=output_id, actor=principal.actor, score=score,
                                comment=comment.strip())
                session.add(rating)
            else:
                rating.score, rating.comment = score, comment.strip()
            audit.record(session, actor=principal.actor, org=output.org,
                         action="copilot.rating", target=f"output:{output_id}",
                         detail={"score": score})
        return {"output_id": output_id, "score": score, "comment": comment.strip()}

    def history(self, principal: Principal, limit: int = 20) -> list[dict[str, Any]]:
        with self.platform.db.read() as session:
            rows = session.scalars(select(Output).where(
                Output.actor == principal.actor, Output.org.in_(list(principal.roles)))
                .order_by(Output.id.desc()).limit(limit))
            return [row.as_dict() for row in rows]

    def usage(self, principal: Principal, org: str) -> dict[str, Any]:
        """Outputs per route and model, tokens, latency and ratings of one organisation:
        for its administrators (and platform administrators) only."""
        if not principal.has_role(org, Role.ADMIN):
            raise Forbidden()
        with self.platform.db.read() as session:
            by_route = session.execute(
                select(Output.route, Output.model, func.count(), func.sum(Output.prompt_tokens),
                       func.sum(Output.completion_tokens), func.avg(Output.latency_ms))
                .where(Output.org == org).group_by(Output.route, Output.model)
                .order_by(Output.route, Output.model)).all()
            ratings = session.execute(
                select(Output.route, func.count(Rating.id), func.avg(Rating.score))
                .join(Rating, Rating.output_id == Output.id).where(Output.org == org)
                .group_by(Output.route).order_by(Output.route)).all()
            comments = session.execute(
                select(Output.route, Rating.score, Rating.comment, Rating.created_at)
                .join(Rating, Rating.output_id == Output.id)
                .where(Output.org == org, Rating.comment != "")
                .order_by(Rating.id.desc()).limit(20)).all()
        return {
            "org": org,
            "usage": [{"route": r, "model": m, "outputs": n, "prompt_tokens": int(p or 0),
                       "completion_tokens": int(c or 0), "mean_latency_ms": round(lat or 0, 1)}
                      for r, m, n, p, c, lat in by_route],
            "ratings": [{"route": r, "ratings": n, "mean_score": round(float(s), 2)}
                        for r, n, s in ratings],
            "comments": [{"route": r, "score": s, "comment": c, "at": at.isoformat()}
                         for r, s, c, at in comments],
        }

    # -- glossary --------------------------------------------------------------------------
    def glossary(self, principal: Principal, org: str | None = None) -> list[dict[str, str]]:
        org = org_for(principal, org)
        with self.platform.db.read() as session:
            return [{"en": t.en, "zh-Hant": t.zh} for t in glossary.terms(session, org)]

    def save_term(self, principal: Principal, en: str, zh: str,
                  org: str | None = None) -> dict[str, Any]:
        org = org_for(principal, org)
        with self.platform.db.transaction() as session:
            row: GlossaryTerm = glossary.save(session, org, en, zh, principal.actor)
            return row.as_dict()


def source_links(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pages an answer drew on, each once, in first-use order: several passages of one
    page are one link (cited when any of them is), not the same link four times."""
    links: dict[tuple[int, int], dict[str, Any]] = {}
    for source in sources:
        if not source.get("chunk_id"):
            continue
        key = (source["document_id"], source["page"])
        link = links.setdefault(key, {"document_id": key[0], "page": key[1],
                                      "filename": source["filename"], "cited": False})
        link["cited"] = link["cited"] or bool(source.get("cited"))
    return list(links.values())


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"
