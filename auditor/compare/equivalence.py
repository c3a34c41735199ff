"""When two normalized values say the same thing, and when they disagree.

Ranges are compared as ranges: every bound that both values state must match, except that a
single value may fall inside a two-sided estimate. So "3-5 business days" agrees with "within 5
business days" and "4 business days", but "1-2" disagrees with "2-3", "at least 18" with "at
least 21", and business days never equal calendar days.
"""

from __future__ import annotations

import math
from functools import lru_cache

from auditor.model import Fact

_TOLERANCE = 0.02  # relative: months against days (1 month ~ 30.4 days)
HOURS_PER_MONTH = 24 * 30.4375


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9):
        return True
    return abs(a - b) <= _TOLERANCE * max(abs(a), abs(b))


def ranges_agree(
    a: tuple[float | None, float | None], b: tuple[float | None, float | None]
) -> bool:
    a_lo, a_hi = a
    b_lo, b_hi = b
    a_point = a_lo is not None and a_lo == a_hi
    b_point = b_lo is not None and b_lo == b_hi
    if a_point and b_point:
        return _close(a_lo, b_lo)
    if a_point or b_point:
        point, (lo, hi) = (a_lo, b) if a_point else (b_lo, a)
        assert point is not None
        if lo is not None and hi is not None:  # a two-sided estimate: inside is fine
            return lo - 1e-9 <= point <= hi + 1e-9
        bound = hi if lo is None else lo
        return _close(point, bound)
    # two ranges or bounds: each bound both state must match
    if a_lo is not None and b_lo is not None and not _close(a_lo, b_lo):
        return False
    if a_hi is not None and b_hi is not None and not _close(a_hi, b_hi):
        return False
    # "within 30" against "at least 30": they share no stated bound
    return (a_lo is not None and b_lo is not None) or (a_hi is not None and b_hi is not None)


def _duration_in(value: tuple, unit: str) -> tuple[float | None, float | None] | None:
    base, lo, hi = value
    if base == unit:
        return (lo, hi)
    if {base, unit} == {"hour", "month"}:
        factor = HOURS_PER_MONTH if base == "month" else 1 / HOURS_PER_MONTH
        return (None if lo is None else lo * factor, None if hi is None else hi * factor)
    return None


def agree(a: Fact, b: Fact) -> bool:
    """True when the two facts state the same value (in any notation)."""
    return _values_agree(a.kind, a.value, b.kind, b.value)


# a large audit asks about the same few pairs of values millions of times
@lru_cache(maxsize=1 << 16)
def _values_agree(kind_a: str, va: tuple, kind_b: str, vb: tuple) -> bool:
    if kind_a == "duration" and kind_b == "duration":
        if va[0] == "lifetime" or vb[0] == "lifetime":
            return va[0] == vb[0]
        converted = _duration_in(vb, va[0])
        if converted is None:
            return False
        return ranges_agree((va[1], va[2]), converted)
    if kind_a == "money" and kind_b == "money":
        currency_a, currency_b = va[0], vb[0]
        free_a, free_b = va[2] == 0, vb[2] == 0
        if free_a and free_b:
            return True
        if (va[1], va[2]) == (None, None) or (vb[1], vb[2]) == (None, None):
            return not (free_a or free_b)  # "a charge" agrees with any price, not with free
        if currency_a and currency_b and currency_a != currency_b:
            return False
        if va[4] and vb[4] and va[4] != vb[4]:  # per night vs per stay
            return False
        return ranges_agree((va[1], va[2]), (vb[1], vb[2]))
    if kind_a in ("percent", "count") and kind_a == kind_b:
        return va[0] == vb[0] and ranges_agree((va[1], va[2]), (vb[1], vb[2]))
    if kind_a in ("hours", "time") and kind_b in ("hours", "time"):
        return _clock_agree(kind_a, va, kind_b, vb)
    if kind_a == "reach" and kind_b == "reach":
        (_, regions_a, only_a), (_, regions_b, only_b) = va, vb
        # "US only" rules out anywhere else; two places without "only" can both be served
        return not (only_a and not regions_b <= regions_a) and not (
            only_b and not regions_a <= regions_b
        )
    return va == vb


def _clock_agree(kind_a: str, va: tuple, kind_b: str, vb: tuple) -> bool:
    def window(kind: str, value: tuple) -> tuple[int | None, int | None, str]:
        if kind == "hours":
            return value[1], value[2], value[3]
        return value[1], value[2], ""

    a_start, a_end, a_days = window(kind_a, va)
    b_start, b_end, b_days = window(kind_b, vb)
    if a_days and b_days and a_days != b_days:
        return False
    a_point = kind_a == "time" and a_start is not None and a_start == a_end
    b_point = kind_b == "time" and b_start is not None and b_start == b_end
    if a_point and b_point:
        return a_start == b_start
    if a_point or b_point:
        point = a_start if a_point else b_start
        start, end = (b_start, b_end) if a_point else (a_start, a_end)
        return point in (start, end)
    starts_match = a_start is None or b_start is None or a_start == b_start
    ends_match = a_end is None or b_end is None or a_end == b_end
    shared = (a_start is not None and b_start is not None) or (
        a_end is not None and b_end is not None
    )
    # "from 16:00" and "until 12:00" share no bound: they are not the same value
    return starts_match and ends_match and shared
