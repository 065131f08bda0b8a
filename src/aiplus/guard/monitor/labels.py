"""Words the security pages show from data, marked for translation.

Incident outcomes and red-team verdicts are stored as plain values and translated when shown
with ``_(value)``; listing them here is what lets Babel extract them.
"""

from aiplus.core.i18n import N_

LABELS = (
    # incident outcomes (aiplus.guard.pipeline)
    N_("blocked"), N_("flagged"), N_("redacted"),
    # red-team verdicts (aiplus.guard.redteam.runner.VERDICTS); "blocked" is listed above
    N_("refused"), N_("leaked"), N_("complied"), N_("error"),
)
