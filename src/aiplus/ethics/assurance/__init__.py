"""Assurance tests as plugins (fairness, performance, explainability, robustness, data quality).

The plugins are listed in :data:`PLUGINS` by name; a suite runs any of them on one
:class:`~aiplus.ethics.assurance.contract.AssuranceData` and stores each result against a model
version, where results of different versions can be compared figure by figure.
"""

from aiplus.ethics.assurance import explainability, fairness, performance, quality, robustness
from aiplus.ethics.assurance.contract import AssuranceData, AssurancePlugin

PLUGINS: dict[str, AssurancePlugin] = {
    module.plugin.name: module.plugin
    for module in (fairness, performance, explainability, robustness, quality)
}

__all__ = ["PLUGINS", "AssuranceData", "AssurancePlugin"]
