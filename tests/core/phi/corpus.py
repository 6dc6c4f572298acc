"""A synthetic corpus for the PHI detectors: every form of each detail, and ordinary
clinic administration text (phones, invoices, appointment dates, ZIP codes) without any."""

import random
import string

from hypothesis import strategies as st

MBI_LETTERS = "".join(c for c in string.ascii_uppercase if c not in "SLOIBZ")
MBI_EITHER = string.digits + MBI_LETTERS
SSN_KEYWORDS = [
    "SSN",
    "SSN#",
    "SS#",
    "ss no",
    "Social Security",
    "social security number",
    "Soc Sec",
    "S.S.N.",
]
DOB_KEYWORDS = [
    "DOB",
    "DOB:",
    "D.O.B.",
    "dob",
    "Date of birth:",
    "date of birth",
    "born",
    "Born on",
    "Birthdate",
    "birth date",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
FILLER = st.text(alphabet=string.ascii_letters + " ,.;:\n", max_size=120)


@st.composite
def ssns(draw: st.DrawFn) -> str:
    """A valid SSN in any written form."""
    area = draw(st.integers(1, 899).filter(lambda n: n != 666))
    group = draw(st.integers(1, 99))
    serial = draw(st.integers(1, 9999))
    sep = draw(st.sampled_from(["-", " ", ""]))
    return f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"


@st.composite
def invalid_ssns(draw: st.DrawFn) -> str:
    """Nine digits in a range never issued."""
    area, group, serial = draw(
        st.one_of(
            st.tuples(
                st.sampled_from([0, 666, *range(900, 1000)]),
                st.integers(1, 99),
                st.integers(1, 9999),
            ),
            st.tuples(st.integers(1, 899), st.just(0), st.integers(1, 9999)),
            st.tuples(st.integers(1, 899), st.integers(1, 99), st.just(0)),
        )
    )
    return f"{area:03d}-{group:02d}-{serial:04d}"


@st.composite
def mbis(draw: st.DrawFn) -> str:
    """A Medicare Beneficiary Identifier by the CMS rules, with or without dashes."""

    def pick(alphabet: str) -> str:
        return draw(st.sampled_from(alphabet))

    chars = [
        pick("123456789"),
        pick(MBI_LETTERS),
        pick(MBI_EITHER),
        pick(string.digits),
        pick(MBI_LETTERS),
        pick(MBI_EITHER),
        pick(string.digits),
        pick(MBI_LETTERS),
        pick(MBI_LETTERS),
        pick(string.digits),
        pick(string.digits),
    ]
    value = "".join(chars)
    if draw(st.booleans()):
        value = f"{value[:4]}-{value[4:7]}-{value[7:]}"
    return value.lower() if draw(st.integers(0, 9)) == 0 else value


@st.composite
def birth_dates(draw: st.DrawFn) -> str:
    year = draw(st.integers(1920, 2025))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    name = MONTHS[month - 1]
    return draw(
        st.sampled_from(
            [
                f"{month:02d}/{day:02d}/{year}",
                f"{month}/{day}/{year}",
                f"{month}/{day}/{year % 100:02d}",
                f"{month:02d}-{day:02d}-{year}",
                f"{day:02d}.{month:02d}.{year}",
                f"{year}-{month:02d}-{day:02d}",
                f"{name} {day}, {year}",
                f"{name[:3]} {day} {year}",
                f"{name[:3]}. {day}, {year}",
                f"{day} {name} {year}",
                f"{day}th {name[:3]} {year}",
            ]
        )
    )


def admin_text(rng: random.Random) -> str:
    """One ordinary clinic administration message, with no patient detail in it."""

    def phone() -> str:
        a, b, c = rng.randint(200, 999), rng.randint(200, 999), rng.randint(0, 9999)
        return rng.choice(
            [
                f"({a}) {b}-{c:04d}",
                f"{a}-{b}-{c:04d}",
                f"{a}.{b}.{c:04d}",
                f"{a}{b}{c:04d}",
                f"+1 {a} {b} {c:04d}",
                f"1-{a}-{b}-{c:04d}",
            ]
        )

    def date() -> str:
        month, day, year = rng.randint(1, 12), rng.randint(1, 28), rng.randint(2024, 2027)
        return rng.choice(
            [
                f"{month:02d}/{day:02d}/{year}",
                f"{year}-{month:02d}-{day:02d}",
                f"{MONTHS[month - 1]} {day}, {year}",
                f"{month}/{day}",
            ]
        )

    def invoice() -> str:
        return rng.choice(
            [
                f"INV-{rng.randint(2020, 2027)}-{rng.randint(0, 99999):05d}",
                f"#{rng.randint(10000, 999999999)}",
                f"PO {rng.randint(100000, 9999999)}",
                f"{rng.choice('ABCDEFGH')}{rng.randint(10**8, 10**9 - 1)}",
                f"ref {rng.randint(10**10, 10**11 - 1)}",
            ]
        )

    def zip_code() -> str:
        base = rng.randint(1000, 99999)
        return rng.choice([f"{base:05d}", f"{base:05d}-{rng.randint(0, 9999):04d}"])

    templates = [
        "Please confirm the appointment on {date} at {hour}:30. Call {phone} to reschedule.",
        "Invoice {invoice} for {amount} is due on {date}. Remit to 12 Main St, Boston MA {zip}.",
        "Staff meeting moved to {date}. Dial-in {phone}, room {room}.",
        "The supplier shipped order {invoice} to our {zip} office; tracking {tracking}.",
        "Reminder: flu clinic {date}, {hour}:00-{hour2}:00. Questions? {phone}.",
        "Fax the signed form to {phone}. Our tax ID is on invoice {invoice}.",
        "Payroll for the period ending {date} is approved; batch {invoice}.",
        "New hours from {date}: Mon-Fri 8-5. Main line {phone}, billing {phone2}.",
        "Your order {invoice} of {amount} ships {date} from warehouse {zip}.",
        "Parking permits renew {date}. Lot B, 45 Elm Rd, Springfield IL {zip}.",
    ]
    template = rng.choice(templates)
    return template.format(
        date=date(),
        hour=rng.randint(7, 11),
        hour2=rng.randint(12, 17),
        phone=phone(),
        phone2=phone(),
        invoice=invoice(),
        amount=f"${rng.randint(10, 99999)}.{rng.randint(0, 99):02d}",
        zip=zip_code(),
        room=rng.randint(100, 999),
        tracking=f"1Z{rng.randint(10**15, 10**16 - 1)}",
    )
