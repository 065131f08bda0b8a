import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from aiplus.core import audit


def _fill(platform, count=5):
    with platform.db.transaction() as session:
        for number in range(count):
            audit.record(session, actor="ann", org="hk-td", action="thing.write",
                         target=f"thing:{number}", detail={"n": number, "名": "測試"})


def test_chain_verifies_and_links_each_entry_to_the_previous(platform):
    _fill(platform)
    with platform.db.read() as session:
        result = audit.verify(session)
        entries = session.query(audit.AuditEntry).order_by(audit.AuditEntry.seq).all()
    assert result.ok and result.checked == 5
    assert entries[0].prev_hash == audit.GENESIS
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.prev_hash == before.hash


def test_audit_log_refuses_updates_and_deletes(platform):
    _fill(platform, 2)
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), platform.db.transaction() as session:
            session.execute(text(statement))
    with platform.db.read() as session:
        assert audit.verify(session).ok


def test_the_chain_cannot_fork(platform):
    _fill(platform, 1)
    with pytest.raises(IntegrityError), platform.db.transaction() as session:
        session.add(audit.AuditEntry(actor="x", action="fork", target="", detail={},
                                     prev_hash=audit.GENESIS, hash="f" * 64))


def _drop_guards(session):
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER audit_log_no_update"))


@pytest.mark.parametrize("column, value, reason", [
    ("actor", "'mallory'", "content does not match its hash"),
    ("prev_hash", "'" + "e" * 64 + "'", "link to previous entry is broken"),
])
def test_tampering_is_found_at_the_first_bad_entry(platform, column, value, reason):
    _fill(platform, 5)
    with platform.db.transaction() as session:
        _drop_guards(session)  # an attacker with raw database access
        session.execute(text(f"UPDATE audit_log SET {column} = {value} WHERE seq = 3"))
    with platform.db.read() as session:
        result = audit.verify(session)
    assert not result.ok
    assert result.first_bad_seq == 3 and result.checked == 2 and result.reason == reason


def test_an_entry_exists_exactly_when_its_change_does(platform):
    with pytest.raises(RuntimeError), platform.db.transaction() as session:
        audit.record(session, actor="ann", action="will.fail")
        raise RuntimeError("the change failed")
    with platform.db.read() as session:
        assert audit.verify(session).checked == 0
