"""Time the reverse-funnel calculator on a large plan: 5 streams x 8 sources x 24 months.

Each run parses the plan from strings (as the HTTP API receives it), calculates it and builds
``to_dict()``. Prints the median and 95th percentile in milliseconds; exits with status 1 when the
median is over budget. Needs no Django settings.

    .venv/bin/python bench/bench_funnel.py [--runs 200] [--budget-ms 5]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from funnel.calculator import calculate

STREAMS = 5
SOURCES = 8
TERM_MONTHS = 24


def big_plan() -> dict:
    """A flat mapping of strings, like the JSON body of ``POST /api/funnel/calculate``."""
    stream_shares = ["30%", "25%", "20%", "15%", "10%"]
    source_shares = ["20%", "15%", "15%", "10%", "10%", "10%", "10%", "10%"]
    return {
        "revenue_target": "12,000,000",
        "term_months": str(TERM_MONTHS),
        "start": "2025-01",
        "streams": [
            {
                "name": f"Stream {index + 1}",
                "share": stream_shares[index],
                "average_deal_size": f"{1500 + 2750 * index}.50",
                "win_rate": f"{18 + index}%",
                "sql_to_opportunity_rate": "0.82",
                "mql_to_sql_rate": "1/3",
                "lead_to_mql_rate": f"{20 + 3 * index}%",
                "sales_cycle_days": str(15 * index + 10),
            }
            for index in range(STREAMS)
        ],
        "sources": [
            {
                "name": f"Source {index + 1}",
                "share": source_shares[index],
                "cost_per_lead": f"{12 + 7 * index}.25",
                **({"win_rate": "31%"} if index % 3 == 0 else {}),
                **({"lead_to_mql_rate": "1 in 7"} if index % 4 == 1 else {}),
            }
            for index in range(SOURCES)
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--budget-ms", type=float, default=5.0)
    args = parser.parse_args()

    plan = big_plan()
    result = calculate(plan).to_dict()  # warm up (and make sure it works)
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        calculate(plan).to_dict()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    median = statistics.median(timings)
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    print(
        f"reverse funnel, {STREAMS} streams x {SOURCES} sources x {TERM_MONTHS} months "
        f"({len(result['months'])} months with lead-in), {args.runs} runs: "
        f"median {median:.2f} ms, p95 {p95:.2f} ms, budget {args.budget_ms:.1f} ms median"
    )
    if median > args.budget_ms:
        print("over budget", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
