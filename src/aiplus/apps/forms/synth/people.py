"""Realistic, invented Hong Kong applicants for synthetic forms (no real person's data).

Names pair Cantonese romanisation with the matching characters; HKIDs carry a correct check
digit unless the sample is meant to be invalid; phone numbers are HK mobiles that
``phonenumbers`` accepts. Invalid cases (wrong check digit, under 18, expired licence, bad
phone, missing signature or photo) are drawn at fixed rates so the validators are exercised.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import phonenumbers

from aiplus.guard.pii.hkid import check_digit

SURNAMES = (("CHAN", "陳"), ("WONG", "黃"), ("LEE", "李"), ("CHEUNG", "張"), ("LAU", "劉"),
            ("HO", "何"), ("LAM", "林"), ("NG", "吳"), ("LEUNG", "梁"), ("TSANG", "曾"),
            ("CHOW", "周"), ("YIP", "葉"), ("KWOK", "郭"), ("MAK", "麥"), ("TANG", "鄧"),
            ("FUNG", "馮"), ("LO", "盧"), ("SIU", "蕭"), ("CHU", "朱"), ("YEUNG", "楊"))
GIVEN = (("Tai", "大"), ("Man", "文"), ("Wing", "永"), ("Ka", "家"), ("Ming", "明"),
         ("Chi", "志"), ("Hoi", "凱"), ("Yan", "欣"), ("Wai", "偉"), ("Kin", "健"),
         ("Siu", "小"), ("Mei", "美"), ("Ho", "浩"), ("Lok", "樂"), ("Sze", "詩"),
         ("Yee", "儀"), ("Kwan", "君"), ("Fai", "輝"), ("Hong", "康"), ("Yiu", "耀"))
STREETS = ("Nathan Road", "King's Road", "Queen's Road Central", "Hennessy Road",
           "Castle Peak Road", "Sha Tsui Road", "Tai Po Road", "Argyle Street",
           "Prince Edward Road West", "Chai Wan Road", "Tung Chung Waterfront Road")
DISTRICTS = ("Kowloon", "Hong Kong", "New Territories", "Tsuen Wan", "Sha Tin", "Tuen Mun",
             "Kwun Tong", "Wan Chai", "Sham Shui Po", "Yuen Long")
BLOCKS = ("Block A", "Block B", "Tower 1", "Tower 3", "Block 2")
DOMAINS = ("example.com", "example.org", "example.net", "mail.example.hk")
HKID_PREFIXES = ("A", "B", "C", "D", "E", "G", "H", "K", "M", "P", "R", "V", "Y", "Z", "WX", "XA")


@dataclass
class Applicant:
    values: dict[str, str]
    """Canonical values, as the extractor should return them."""
    printed: dict[str, str]
    """What is printed on the form (dates day/month/year, phones with a space)."""
    valid: dict[str, bool] = field(default_factory=dict)


def hkid(rng: random.Random, valid: bool) -> tuple[str, str, str]:
    prefix = rng.choice(HKID_PREFIXES)
    digits = f"{rng.randrange(10**6):06d}"
    check = check_digit(prefix + digits)
    if not valid:
        check = rng.choice([c for c in "0123456789A" if c != check])
    return prefix, digits, check


def _mobile(rng: random.Random) -> str:
    """An HK mobile number in a range ``phonenumbers`` knows to be allocated."""
    while True:
        local = f"{rng.choice('569')}{rng.randrange(10**7):07d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(local, "HK")):
            return local


def _printed_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def applicant(rng: random.Random, today: date) -> Applicant:
    surname, surname_zh = rng.choice(SURNAMES)
    given = rng.sample(GIVEN, rng.choice((1, 2, 2)))
    name_en = f"{surname} {' '.join(g for g, _ in given)}"
    name_zh = surname_zh + "".join(c for _, c in given)
    id_valid = rng.random() > 0.12
    prefix, digits, check = hkid(rng, id_valid)
    adult = rng.random() > 0.06
    age_days = rng.randrange(18 * 366, 75 * 365) if adult else rng.randrange(16 * 365, 17 * 365)
    born = today - timedelta(days=age_days)
    licence_ok = rng.random() > 0.08
    expiry = today + timedelta(days=rng.randrange(200, 3650)) if licence_ok else \
        today - timedelta(days=rng.randrange(10, 900))
    valid_from = today + timedelta(days=rng.randrange(1, 60))
    phone_ok = rng.random() > 0.05
    local = _mobile(rng) if phone_ok else f"{rng.choice('1347')}{rng.randrange(10**6):06d}"
    address = (f"Flat {rng.choice('ABCDEFGH')}, {rng.randrange(1, 45)}/F, {rng.choice(BLOCKS)}, "
               f"{rng.randrange(1, 400)} {rng.choice(STREETS)}, {rng.choice(DISTRICTS)}")
    email = f"{given[0][0].lower()}.{surname.lower()}{rng.randrange(1, 99)}@{rng.choice(DOMAINS)}"
    signed = rng.random() > 0.05
    photo = rng.random() > 0.05
    values = {
        "name_en": name_en.upper(), "name_zh": name_zh, "id_number": f"{prefix}{digits}({check})",
        "date_of_birth": born.isoformat(), "address": address,
        "phone": f"+852{local}" if phone_ok else local, "email": email,
        "licence_number": f"{prefix}{digits}{check}", "licence_expiry": expiry.isoformat(),
        "permit_valid_from": valid_from.isoformat(), "declaration_date": today.isoformat(),
        "signature": "present" if signed else "absent", "photo": "present" if photo else "absent",
    }
    printed = dict(values)
    printed.update({
        "name_en": name_en, "id_number": f"{prefix}{digits}({check})",
        "phone": f"{local[:4]} {local[4:]}",
    })
    for name in ("date_of_birth", "licence_expiry", "permit_valid_from", "declaration_date"):
        printed[name] = _printed_date(date.fromisoformat(values[name]))
    valid = {name: True for name in values}
    valid.update({"id_number": id_valid, "licence_number": id_valid, "date_of_birth": adult,
                  "licence_expiry": licence_ok, "permit_valid_from": licence_ok,
                  "phone": phone_ok, "signature": signed, "photo": photo})
    return Applicant(values=values, printed=printed, valid=valid)
