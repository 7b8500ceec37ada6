#!/usr/bin/env python3
"""bench/history.py: what does GET /history?periods=12 cost when nothing of it is cached?

Starts the release binary (STRACKER_BIN) on a free 127.0.0.1 port with a throw-away DATA_DIR,
signs a user up, adds funnels up to 10 (`--funnels`), posts one spending and copies it with
sqlite3 into 100 000 (`--spendings`) spread over 5 years (`--years`). Then, in rounds, one
request at a time on one kept-alive connection: POST one spending (so the household's version
moves on and any rendered answer is stale), wait `--pause`, time GET /history?periods=12 alone
(client wall time and the server's CPU over all its threads), time it once more right after
(the second request, cached if the server caches it), and the same with GET /ping in place of
/history: the floor, measured the same way in the same run. Each answer is checked to include
the write before it. Then the server runs again under callgrind and the same loop counts the
instructions of each GET (`--callgrind`). Ratios are /ping's figure over /history's.

With --baseline-bin, a second binary (one built before a change) gets the same data and the same
runs, its rounds interleaved with the first's.

Target (issue 11): <= 2 ms uncached at 100 000 spendings.
"""

import sys

from benchlib import uncached_main  # noqa: E402  (puts tools/ on the path)

PATH = "/history?periods=12"


def spent(answer, funnel_id):
    """The funnel's sum in the last period (this one)."""
    return next(f["spent"] for f in answer["periods"][-1]["funnels"] if f["id"] == funnel_id)


if __name__ == "__main__":
    sys.exit(uncached_main(__doc__, "history", PATH, spent, target_ms=2.0,
                           defaults={"spendings": 100_000, "funnels": 10, "years": 5},
                           quick={"spendings": 5_000, "requests": 10, "rounds": 1, "callgrind": 1}))
