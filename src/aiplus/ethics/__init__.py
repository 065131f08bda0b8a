"""Ethical AI impact assessment, assurance tests and drift monitoring.

``fairness_report`` works from predictions alone (no model needed)::

    from aiplus.ethics.fairness import fairness_report
    result = fairness_report(y_true, y_pred, sensitive=frame[["SEX", "AGE_BAND"]], y_score=p)

The package itself imports nothing, so its command group loads without scikit-learn.
"""
