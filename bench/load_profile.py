"""Where one page's time goes: the app built as bench/load.py serves it (production settings),
signed in through the login form, the page asked for --runs times in this process under
cProfile; prints the app's functions (and templates) with the most cumulative time, then
every function with the most own time.

Run: `.venv/bin/python -m bench.load --profile lesson` (any page name of bench/load.py)."""

import cProfile
import os
import pstats
import re
import sys
import time

from bench.national import PASSWORD

RUNS = int(os.environ.get("LMS_PROFILE_RUNS", "200"))  # fewer for a slow page
BASE = "https://lms.example.org"  # the cookies are Secure: ask as the proxy would, by https


def profile(page, runs: int = RUNS) -> int:
    from bench.load import PRODUCTION
    from bench.load_app import create

    os.environ.update(PRODUCTION)
    app = create()
    client = app.test_client()
    if page.username:
        form = client.get("/login", base_url=BASE).get_data()
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', form)
        response = client.post("/login", base_url=BASE, headers={"Referer": f"{BASE}/login"},
                               data={"username": page.username, "password": PASSWORD,
                                     "csrf_token": token.group(1).decode() if token else ""})
        if response.status_code != 302:
            print(f"cannot sign in as {page.username}", file=sys.stderr)
            return 1
    for _ in range(5):  # warm up: templates compiled, connections opened
        client.get(page.url, base_url=BASE)
    profiler = cProfile.Profile()
    began, began_cpu = time.perf_counter(), time.process_time()
    profiler.enable()
    for _ in range(runs):
        response = client.get(page.url, base_url=BASE)
        response.get_data()  # a streamed page (the CSV export) is produced as it is read
        status = response.status_code
        if status != 200:
            print(f"{page.url} answered {status}", file=sys.stderr)
            return 1
    profiler.disable()
    wall = (time.perf_counter() - began) * 1000 / runs
    cpu = (time.process_time() - began_cpu) * 1000 / runs
    print(f"{page.name} ({page.url}): {runs} requests in-process, {wall:.1f} ms wall and "
          f"{cpu:.1f} ms CPU each under the profiler")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(r"/(lms|templates)/", 25)  # the app's own
    stats.sort_stats("tottime").print_stats(15)
    return 0
