"""Fuzz every form endpoint and the funnel API far longer than CI does, and count.

Runs the fuzz suite (tests/fuzz/) with many more examples per endpoint, without stopping at the
first server error, and prints per endpoint the requests sent, the answers of 500 or more and
the requests that changed a bystander (another agreement or organisation), then the totals.
Each example is posted as every role (owner, editor, viewer, outsider, anonymous).

    .venv/bin/python bench/fuzz.py                 # 200 examples per endpoint
    .venv/bin/python bench/fuzz.py --examples 1000

Exits with status 1 when any request answered 500 or more or changed a bystander.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="examples per endpoint")
    parser.add_argument("-k", default="", help="only the tests whose name matches (pytest -k)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        stats_path = Path(tmp) / "fuzz.json"
        env = {
            **os.environ,
            "DEBUG": "true",
            "FUZZ_EXAMPLES": str(args.examples),
            "FUZZ_KEEP_GOING": "1",
            "FUZZ_STATS": str(stats_path),
        }
        command = [sys.executable, "-m", "pytest", "tests/fuzz", "-q", "-p", "no:cacheprovider"]
        if args.k:
            command += ["-k", args.k]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=False)
        elapsed = time.perf_counter() - started
        stats = json.loads(stats_path.read_text())

    requests, errors = stats["requests"], stats["server_errors"]
    changed = stats["changed_bystanders"]
    print(f"\n{'endpoint':32} {'requests':>9} {'5xx':>6} {'changed':>8}")
    for name in sorted(requests):
        print(f"{name:32} {requests[name]:9} {errors.get(name, 0):6} {changed.get(name, 0):8}")
    total_requests, total_errors = sum(requests.values()), sum(errors.values())
    total_changed = sum(changed.values())
    print(f"{'total':32} {total_requests:9} {total_errors:6} {total_changed:8}")
    print(f"{elapsed:.0f} s, {args.examples} examples per endpoint")
    for name, error in sorted(stats["first_error"].items()):
        print(f"\n--- first server error of {name}\n{error}")
    return 1 if total_errors or total_changed else 0


if __name__ == "__main__":
    sys.exit(main())
