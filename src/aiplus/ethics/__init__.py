"""Ethical AI impact assessment, assurance tests and drift monitoring.

``fairness_report`` works from predictions alone (no model needed)::

    from aiplus.ethics import fairness_report
    result = fairness_report(y_true, y_pred, sensitive=frame[["SEX", "AGE_BAND"]], y_score=p)
"""

from aiplus.ethics.fairness import fairness_report

__all__ = ["fairness_report"]
