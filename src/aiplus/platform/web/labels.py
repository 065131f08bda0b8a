"""Words that pages show from data (statuses, roles, kinds, risk levels), marked for translation.

Templates translate these values with ``_(value)``; listing them here lets Babel extract them,
and a test checks that every enum value of the platform appears below.
"""

from aiplus.core.i18n import N_

LABELS = (
    # job statuses
    N_("queued"), N_("running"), N_("succeeded"), N_("failed"), N_("cancelled"),
    # roles
    N_("public"), N_("officer"), N_("data_steward"), N_("reviewer"), N_("admin"),
    # organisation kinds
    N_("bureau"), N_("department"), N_("hospital"), N_("bank"), N_("insurer"),
    N_("university"), N_("company"), N_("other"),
    # impact-assessment risk levels
    N_("low"), N_("medium"), N_("high"), N_("very high"),
)
