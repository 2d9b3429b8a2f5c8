"""CPU per submission in one process: the child's submission path against the bare baseline.

No HTTP and no load generator: Flask's test client drives both apps in this
process, so what is counted is the apps' own work. The service's path is
``GET /check`` then ``POST /send`` for a prepared journey (as in ``load.py``);
the baseline is ``load.py``'s bare Flask + sqlite3 app. Three rounds, each app
in turn; the lowest figure of each is printed, and their ratio.

    .venv/bin/python benchmarks/submission_cpu.py [--submissions 300] [--redis URL]

Times on a shared machine are noisy. For a count that repeats exactly, run the
service's part under callgrind with ``--callgrind``: the script prints its
process id and waits; switch counting on, send SIGUSR1, and switch it off
when the script says it is done::

    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python \\
        benchmarks/submission_cpu.py --callgrind --submissions 50 &
    # when it prints "ready <pid>":
    callgrind_control -i on <pid>; kill -USR1 <pid>
    # when it prints "done": callgrind_control -i off <pid>; kill -USR1 <pid>
    # instructions per submission = the "totals:" line of callgrind.out.<pid> / 50
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from load import BASELINE, TOKEN, setup_baseline, setup_service  # noqa: E402


def service(folder: Path, redis_url: str):  # type: ignore[no-untyped-def]
    """The service app, in this process, on the database ``load.py`` sets up."""
    env, code = setup_service(folder, redis_url)
    os.environ.update(env)
    from feedback.app import create_app
    return create_app(), code


def journeys(app, code: str, count: int) -> list:  # type: ignore[no-untyped-def]
    """Each from its own tablet: code entered, two questions answered, ready to send."""
    ready = []
    for n in range(count):
        client = app.test_client()
        env = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": f"10.1.{n >> 8}.{n & 255}"}
        page = client.get("/", environ_base=env).get_data(as_text=True)
        client.post("/", data={"code": code, "csrf_token": dict(TOKEN.findall(page))[
            "csrf_token"]}, environ_base=env)
        for number, answer in ((2, "4"), (6, "more youth clubs and safer parks please")):
            page = client.get(f"/questions/{number}", environ_base=env).get_data(as_text=True)
            client.post(f"/questions/{number}", environ_base=env,
                        data={**dict(TOKEN.findall(page)), "answer": answer})
        ready.append((client, env))
    return ready


def send(client, env) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/check", environ_base=env).get_data(as_text=True)
    response = client.post("/send", data=dict(TOKEN.findall(page)), environ_base=env)
    if not (response.status_code == 302 and response.location.endswith("/thank-you")):
        raise RuntimeError(f"send failed: {response.status_code}")


def baseline_submission(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/form").get_data(as_text=True)
    key = re.search(r'value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    client.post("/submit", data={"key": key, "text": "more youth clubs and safer parks please"})


def wait_for_signal(message: str) -> None:
    print(message, flush=True)
    signal.sigwait({signal.SIGUSR1})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--submissions", type=int, default=300)
    parser.add_argument("--redis", default="", metavar="URL")
    parser.add_argument("--callgrind", action="store_true",
                        help="count the service's submissions only, between two signals")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="feedback-cpu-"))
    os.environ.update(setup_baseline(folder))
    base_module = types.ModuleType("baseline_app")
    exec(compile(BASELINE, "baseline_app", "exec"), base_module.__dict__)  # load.py's own app
    base_client = base_module.app.test_client()
    app, code = service(folder, args.redis)
    warm = 10
    ready = journeys(app, code, warm + args.submissions)
    for client, env in ready[:warm]:
        send(client, env)
        baseline_submission(base_client)
    ready = ready[warm:]
    if args.callgrind:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
        wait_for_signal(f"ready {os.getpid()}")
        for client, env in ready:
            send(client, env)
        wait_for_signal("done")
        return 0
    rounds = [ready[n::3] for n in range(3)]
    service_ms, base_ms = [], []
    for chunk in rounds:
        started = time.process_time()
        for _ in chunk:
            baseline_submission(base_client)
        base_ms.append(1000 * (time.process_time() - started) / len(chunk))
        started = time.process_time()
        for client, env in chunk:
            send(client, env)
        service_ms.append(1000 * (time.process_time() - started) / len(chunk))
    print(f"baseline: {min(base_ms):.2f} ms CPU per submission (rounds: "
          f"{', '.join(f'{x:.2f}' for x in base_ms)})")
    print(f"service:  {min(service_ms):.2f} ms CPU per submission (rounds: "
          f"{', '.join(f'{x:.2f}' for x in service_ms)})")
    print(f"service/baseline CPU: {min(service_ms) / min(base_ms):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
