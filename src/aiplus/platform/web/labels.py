"""Words that pages show from data (statuses, roles, kinds, risk levels), marked for translation.

Templates translate these values with ``_(value)``; listing them here lets Babel extract them,
and a test checks that every enum value of the platform appears below.
"""

from aiplus.core.i18n import N_

LABELS = (
    # job statuses
    N_("queued"), N_("running"), N_("succeeded"), N_("failed"), N_("cancelled"),
    # roles
    # Translators: "public" is both a role and a dataset classification (see below); one word
    # has to read right as both, e.g. "公開".
    N_("public"), N_("officer"), N_("data_steward"), N_("reviewer"), N_("admin"),
    # organisation kinds
    N_("bureau"), N_("department"), N_("hospital"), N_("bank"), N_("insurer"),
    N_("university"), N_("company"), N_("other"),
    # impact-assessment risk levels
    N_("low"), N_("medium"), N_("high"), N_("very high"),
    # dataset update frequencies (aiplus.data.catalog.validation.FREQUENCIES)
    N_("real-time"), N_("daily"), N_("weekly"), N_("monthly"), N_("quarterly"), N_("annual"),
    N_("irregular"), N_("as-needed"),
    # dataset classifications (CLASSIFICATIONS there); "public" is listed with the roles
    N_("internal"), N_("restricted"),
    # search facets (aiplus.data.catalog.search.FACET_FIELDS), shown as headings
    N_("organization"), N_("groups"), N_("tags"), N_("res_format"), N_("license_id"),
)
