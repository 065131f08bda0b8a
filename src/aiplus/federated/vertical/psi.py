"""Private set intersection by commutative blinding on Curve25519 (Diffie-Hellman PSI).

Each party hashes its customer ids to curve points and multiplies them by its own secret
scalar (X25519 from ``cryptography``). Scalar multiplication commutes, so an id both parties
hold ends up as the same doubly-blinded point, while a point blinded by one secret only is
indistinguishable from random to the other party: neither side learns the ids it does not
share. Both parties then order their shared rows by the doubly-blinded value, which gives a
common row order without ever exchanging an id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

DOMAIN = b"aiplus-psi-v1:"


def hash_to_point(identifier: object) -> bytes:
    return hashlib.sha256(DOMAIN + str(identifier).encode()).digest()


@dataclass
class Party:
    """One side of the protocol; ``secret`` never leaves the object."""

    ids: list[object]
    secret: X25519PrivateKey = field(default_factory=X25519PrivateKey.generate, repr=False)

    def blind(self, points: Iterable[bytes]) -> list[bytes]:
        return [self.secret.exchange(X25519PublicKey.from_public_bytes(p)) for p in points]

    def first_pass(self) -> list[bytes]:
        """My ids, hashed and blinded with my secret: safe to send to the other party."""
        return self.blind(hash_to_point(i) for i in self.ids)


@dataclass(frozen=True)
class Alignment:
    """Row positions of the shared customers in each party's own table, in a common order."""

    bank_rows: list[int]
    insurer_rows: list[int]
    messages_bytes: int


def intersect(bank: Party, insurer: Party) -> Alignment:
    """Run the protocol between two parties (each step uses only what was sent to it)."""
    bank_once = bank.first_pass()          # bank -> insurer
    insurer_once = insurer.first_pass()    # insurer -> bank
    bank_twice = insurer.blind(bank_once)  # insurer -> bank, same order as the bank's ids
    insurer_twice = bank.blind(insurer_once)  # bank -> insurer, same order as insurer's ids
    on_bank = {value: row for row, value in enumerate(bank_twice)}
    on_insurer = {value: row for row, value in enumerate(insurer_twice)}
    # the bank's own row order, not the order of the blinded values: those change with every
    # run's secrets, and a split that follows them would make every experiment different
    shared = sorted(set(on_bank) & set(on_insurer), key=on_bank.__getitem__)
    sent = 32 * (len(bank_once) + len(insurer_once) + len(bank_twice) + len(insurer_twice))
    return Alignment([on_bank[v] for v in shared], [on_insurer[v] for v in shared], sent)
