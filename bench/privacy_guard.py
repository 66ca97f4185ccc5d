"""Benchmark: the privacy guard on long and adversarial text.

Target: under 50 ms for a 10,000-character reflection (the form's limit), and no input
that makes a pattern backtrack for seconds. Run: `.venv/bin/python bench/privacy_guard.py`.
"""

import sys
import time

from lms.practice.privacy import find_identifying_data

TARGET_SECONDS = 0.05
CASES = {
    "ordinary 10k reflection": ("Preparation meetings went well; the person harmed asked "
                                "questions about the conference. " * 120)[:10_000],
    "50k letters": "a" * 50_000,
    "50k digits": "1" * 50_000,
    "dotted run then @": "a." * 20_000 + "@",
    "hyphen run after @": "x@" + "a-" * 20_000,
    "3000 emails": "jo@example.org " * 3000,
}


def main() -> int:
    timings = {}
    for name, text in CASES.items():
        started = time.perf_counter()
        found = len(find_identifying_data(text))
        timings[name] = time.perf_counter() - started
        print(f"{name:<26} {len(text):>7} chars  {found:>5} findings  "
              f"{timings[name] * 1000:8.1f} ms")
    ok = timings["ordinary 10k reflection"] < TARGET_SECONDS
    print(f"ordinary reflection: {'OK' if ok else 'TOO SLOW'} (target < 50 ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
