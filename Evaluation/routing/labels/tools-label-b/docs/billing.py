"""Monthly usage billing for the metered API plan."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, ROUND_HALF_UP

TIERS = [  # (up_to_requests, price_per_1k)
    (1_000_000, Decimal("0.40")),
    (10_000_000, Decimal("0.30")),
    (None, Decimal("0.20")),
]
FREE_REQUESTS = 100_000


@dataclass
class UsageRecord:
    customer_id: str
    ts: datetime  # UTC
    requests: int


def month_bounds(d: date):
    start = d.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1)
    return start, end


def billable(records, customer_id, month: date):
    start, end = month_bounds(month)
    total = 0
    for r in records:
        if r.customer_id == customer_id and start <= r.ts.date() <= end:
            total += r.requests
    return max(0, total - FREE_REQUESTS)


def price(requests: int) -> Decimal:
    cost = Decimal(0)
    prev = 0
    for up_to, per_k in TIERS:
        if up_to is None or requests <= up_to:
            cost += Decimal(requests - prev) / 1000 * per_k
            break
        cost += Decimal(up_to - prev) / 1000 * per_k
        prev = up_to
    return cost.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def invoice(records, customer_id, month: date, credits: Decimal = Decimal(0)):
    n = billable(records, customer_id, month)
    amount = price(n) - credits
    return {"customer": customer_id, "month": month.strftime("%Y-%m"),
            "requests": n, "amount": float(amount)}
