"""The roles a user may hold in an organisation, kept apart from the identity tables so that
the command line can offer them as choices without loading the database layer."""

from enum import StrEnum


class Role(StrEnum):
    """Roles a user holds within one organisation."""

    PUBLIC = "public"
    OFFICER = "officer"
    DATA_STEWARD = "data_steward"
    REVIEWER = "reviewer"
    ADMIN = "admin"
