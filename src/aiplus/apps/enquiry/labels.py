"""Words the enquiry pages show from data (statuses, channels, reply modes), marked for
translation: templates translate them with ``_(value)``; listing them here lets Babel extract
them, and a test checks that every value of the enums appears below."""

from aiplus.core.i18n import N_

LABELS = (
    # FAQ version statuses (models.VersionStatus)
    N_("draft"), N_("pending_review"), N_("approved"), N_("rejected"), N_("superseded"),
    N_("retired"),
    # hand-over statuses (models.HandoverStatus)
    N_("open"), N_("answered"), N_("closed"),
    # channels and reply modes (calls.REPLY_MODES)
    N_("chat"), N_("voice"), N_("sms"), N_("both"),
)
