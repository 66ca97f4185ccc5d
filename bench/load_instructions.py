"""Machine instructions per request: each page (and its bare route) asked for in-process,
as bench/load_profile.py does, under valgrind's callgrind, which counts the instructions
this process executes while the requests run (the database server's are not counted).
The same code, data and page give the same count to within about 0.1%, whatever else the
machine is doing and however fast it is, so two commits can be compared on any machine,
where the milliseconds of bench/load.py drift by 20% or more between runs on a shared
virtual machine. The ratio to the bare route is the figure to hold against the issue's
"5 ms where a bare route costs about 1 ms" (gunicorn's own share of each request is not in
these counts, so the ratios run higher than bench/load.py's CPU ratios).

Run: `.venv/bin/python -m bench.load --instructions --only lesson --only course` (valgrind
must be installed; about a minute a page)."""

import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile

from bench.national import PASSWORD

RUNS = int(os.environ.get("LMS_INSTRUCTION_RUNS", "10"))
VALGRIND = shutil.which("valgrind") or "valgrind"
CALLGRIND_CONTROL = shutil.which("callgrind_control") or "callgrind_control"
BASE = "https://lms.example.org"  # the cookies are Secure: ask as the proxy would, by https
_CHILD = "LMS_INSTRUCTIONS_CHILD"  # set for the process valgrind runs


def report(names: list[str]) -> int:
    """Each named page's count and its bare route's, one valgrind run each."""
    if not (os.path.isabs(VALGRIND) and os.path.isabs(CALLGRIND_CONTROL)):
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 1
    print(f"{RUNS} requests a page in-process under callgrind; millions of instructions per "
          "request")
    print("| page                 | page M | bare M | ratio |")
    print("|----------------------|-------:|-------:|------:|")
    for name in names:
        counts = [_count(name, bare) for bare in (False, True)]
        if None in counts:
            return 1
        page, bare = counts
        print(f"| {name:<20} | {page:6.2f} | {bare:6.2f} | {page / bare:5.1f} |")
    return 0


def _count(name: str, bare: bool) -> float | None:
    with tempfile.TemporaryDirectory() as folder:
        run = subprocess.run(  # noqa: S603 - valgrind running our own interpreter and module
            [VALGRIND, "--tool=callgrind", "--instr-atstart=no",
             f"--callgrind-out-file={folder}/callgrind.out", sys.executable, "-m",
             "bench.load_instructions", name, "bare" if bare else "page"],
            env={**os.environ, _CHILD: "1", "PYTHONHASHSEED": "0"},
            capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode != 0 or found is None:
        print(f"{name}: the measured run failed\n{run.stderr[-2000:]}", file=sys.stderr)
        return None
    return int(found.group(1)) / RUNS / 1e6


def _measured_run(name: str, bare: bool) -> int:
    """In the process valgrind runs: sign in, warm up, then switch counting on for RUNS
    requests."""
    from bench.load import PRODUCTION, pages
    from bench.load_app import BARE, create

    os.environ.update(PRODUCTION)
    app = create()
    page = {p.name: p for p in pages(app)}[name]
    url = f"{BARE}/{page.bare}" if bare else page.url
    client = app.test_client()
    if page.username and not bare:
        form = client.get("/login", base_url=BASE).get_data()
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', form)
        client.post("/login", base_url=BASE, headers={"Referer": f"{BASE}/login"},
                    data={"username": page.username, "password": PASSWORD,
                          "csrf_token": token.group(1).decode() if token else ""})
    for _ in range(10):  # templates compiled, statements built, outlines read, pool filled
        response = client.get(url, base_url=BASE)
        response.get_data()
        if response.status_code != 200:
            print(f"{url} answered {response.status_code}", file=sys.stderr)
            return 1
    gc.collect()
    gc.freeze()  # what the warm-up made is not collected again during the count
    me = str(os.getpid())
    switch = [CALLGRIND_CONTROL, "--instr=on", me]
    subprocess.run(switch, capture_output=True, check=True)  # noqa: S603 - fixed arguments
    for _ in range(RUNS):
        client.get(url, base_url=BASE).get_data()
    switch[1] = "--instr=off"
    subprocess.run(switch, capture_output=True, check=True)  # noqa: S603 - fixed arguments
    return 0


if __name__ == "__main__" and os.environ.get(_CHILD):
    sys.exit(_measured_run(sys.argv[1], sys.argv[2] == "bare"))
