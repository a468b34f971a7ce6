"""The visitors of ``make loadtest`` (run by ``benchmarks/loadtest/run.py``, which starts the
server and writes the addresses): each user opens a page of a group drawn by weight, then
reads it for a while (``LOADTEST_WAIT``), as a visitor of the site on 9 May would.

``LOADTEST_URLS`` names a JSON file: ``{"weights": {group: weight}, "groups": {group: [url…]}}``.
Every answer but 200 is a failure (redirects are not followed: a 3xx is an error too).
Answers the page cache served (``X-Page-Cache: hit``, home/page_cache.py) are counted per
group and written to ``LOADTEST_HITS`` when locust quits.
"""

import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

from locust import FastHttpUser, between, constant, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
from benchmarks.common import BROWSER_HEADERS

with open(os.environ["LOADTEST_URLS"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
GROUPS = [group for group, urls in PLAN["groups"].items() if urls]
WEIGHTS = [PLAN["weights"][group] for group in GROUPS]
ANSWERED, CACHED = Counter(), Counter()


def wait_time_from(text):
    """``"0.5-2"`` → between(0.5, 2); ``"0"`` → no pause (a closed loop at full speed)."""
    low, _, high = text.partition("-")
    low, high = float(low), float(high or low)
    return constant(low) if low == high else between(low, high)


class Visitor(FastHttpUser):
    wait_time = wait_time_from(os.environ.get("LOADTEST_WAIT") or "0.5-2")
    # Answers of several seconds under load are what the test is for; a minute is a failure.
    network_timeout = 60.0
    connection_timeout = 60.0

    @task
    def visit(self):
        group = random.choices(GROUPS, WEIGHTS)[0]
        url = random.choice(PLAN["groups"][group])
        with self.client.get(
            url, name=group, headers=BROWSER_HEADERS, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} at {url}")
                return
            ANSWERED[group] += 1
            if (response.headers.get("X-Page-Cache") or "").lower() == "hit":
                CACHED[group] += 1


@events.quitting.add_listener
def write_cache_hits(environment, **kwargs):
    path = os.environ.get("LOADTEST_HITS")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump({"answered": ANSWERED, "cached": CACHED}, out)
