from datetime import timedelta

import pytest
from sqlalchemy import select

from aiplus.core import identity
from aiplus.core.db import utcnow
from aiplus.core.errors import Conflict, NotFound, Unauthenticated, ValidationFailed
from aiplus.core.identity import Principal, Role


def test_passwords_are_hashed_with_argon2_and_verified(platform):
    with platform.db.transaction() as session:
        identity.create_org(session, "hk-td", "Transport Department", "運輸署")
        user = identity.create_user(session, "mary", org="hk-td", password="a long pass phrase")
        assert user.password_hash.startswith("$argon2id$")
        assert "a long pass phrase" not in user.password_hash
    with platform.db.read() as session:
        assert identity.authenticate_password(session, "mary", "a long pass phrase").username == "mary"
        with pytest.raises(Unauthenticated):
            identity.authenticate_password(session, "mary", "wrong pass phrase!")
        with pytest.raises(Unauthenticated):
            identity.authenticate_password(session, "nobody", "a long pass phrase")


def test_short_passwords_and_bad_names_are_refused(platform):
    with platform.db.transaction() as session:
        identity.create_org(session, "hk-td", "TD", "運輸署")
        with pytest.raises(ValidationFailed):
            identity.create_user(session, "ann", org="hk-td", password="short")
        with pytest.raises(ValidationFailed):
            identity.create_user(session, "bad name!", org="hk-td")
        with pytest.raises(ValidationFailed):
            identity.create_user(session, "ann", org="hk-td", role="emperor")
        with pytest.raises(ValidationFailed):
            identity.create_org(session, "Bad Slug", "x", "y")
        with pytest.raises(ValidationFailed):
            identity.create_org(session, "ok-slug", "x", "y", kind="castle")
        with pytest.raises(NotFound):
            identity.create_user(session, "ann", org="no-such-org")


def test_duplicates_conflict(platform):
    with platform.db.transaction() as session:
        identity.create_org(session, "hk-td", "TD", "運輸署")
        identity.create_user(session, "ann", org="hk-td")
        with pytest.raises(Conflict):
            identity.create_org(session, "hk-td", "TD", "運輸署")
        with pytest.raises(Conflict):
            identity.create_user(session, "ann", org="hk-td")


def test_tokens_are_stored_as_digests_shown_once_and_expire(platform):
    with platform.db.transaction() as session:
        identity.create_org(session, "hk-td", "TD", "運輸署")
        user = identity.create_user(session, "ann", org="hk-td")
        token, secret = identity.issue_token(session, user, "laptop", days=1)
        old, old_secret = identity.issue_token(
            session, user, "old", days=1, now=utcnow() - timedelta(days=2)
        )
    with platform.db.read() as session:
        stored = session.scalars(select(identity.ApiToken.digest)).all()
        assert secret not in stored and all(len(d) == 64 for d in stored)
        assert identity.authenticate_token(session, secret).username == "ann"
        for bad in (old_secret, secret + "x", "aip_forged", "not-even-a-token", "aip_" + "a" * 500):
            with pytest.raises(Unauthenticated):
                identity.authenticate_token(session, bad)
    with platform.db.transaction() as session:
        identity.revoke_token(session, session.get(identity.User, user.id), token.id)
    with platform.db.read() as session, pytest.raises(Unauthenticated):
        identity.authenticate_token(session, secret)


def test_roles_are_per_organisation():
    officer = Principal(username="a", user_id=1, roles={"hk-td": "officer"})
    admin = Principal(username="b", user_id=2, roles={"hk-td": "admin"})
    root = Principal(username="c", user_id=3, platform_admin=True)
    assert officer.has_role("hk-td", Role.OFFICER)
    assert not officer.has_role("hk-td", Role.REVIEWER)
    assert not officer.has_role("hk-ha", Role.OFFICER)
    assert admin.has_role("hk-td", Role.REVIEWER)
    assert not admin.has_role("hk-ha", Role.OFFICER)
    assert root.has_role("anything", Role.ADMIN)
    assert not Principal().authenticated


def test_grant_role_updates_existing_membership(platform):
    with platform.db.transaction() as session:
        org = identity.create_org(session, "hk-td", "TD", "運輸署")
        user = identity.create_user(session, "ann", org="hk-td", role="officer")
        identity.grant_role(session, user, org, "reviewer")
    with platform.db.read() as session:
        assert Principal.of(identity.get_user(session, "ann"), "test").roles == {"hk-td": "reviewer"}
