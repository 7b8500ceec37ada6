#!/usr/bin/env python3
"""bench/overview_uncached.py: what does GET /overview cost as the first request after a write?

The server keeps /overview's rendered body per member and household version (bench/overview.py
measures that cached answer); every write in the household makes it stale, so the first
/overview after a spending is read from the database and rendered again. This runner measures
that one.

Starts the release binary (STRACKER_BIN) on a free 127.0.0.1 port with a throw-away DATA_DIR,
signs a user up, adds funnels up to 20 (`--funnels`), posts one spending and copies it with
sqlite3 into 1 000 000 (`--spendings`) spread over 5 years (`--years`). Then, in rounds, one
request at a time on one kept-alive connection: POST one spending, wait `--pause`, time
GET /overview alone (client wall time and the server's CPU over all its threads), time it once
more right after (the cached answer), and the same with GET /ping in place of /overview: the
floor, measured the same way in the same run. Each answer is checked to include the write
before it. Then the server runs again under callgrind and the same loop counts the instructions
of each GET (`--callgrind`). Ratios are /ping's figure over /overview's.

With --baseline-bin, a second binary (one built before a change) gets the same data and the same
runs, its rounds interleaved with the first's.

Target (issue 11): <= 5 ms uncached at 1 000 000 spendings in 20 funnels.
"""

import sys

from benchlib import uncached_main  # noqa: E402  (puts tools/ on the path)


def spent(answer, funnel_id):
    """The funnel's sum in this period."""
    return next(f["spent"] for f in answer["funnels"] if f["id"] == funnel_id)


if __name__ == "__main__":
    sys.exit(uncached_main(__doc__, "overview_uncached", "/overview", spent, target_ms=5.0,
                           defaults={"spendings": 1_000_000, "funnels": 20, "years": 5},
                           quick={"spendings": 5_000, "requests": 10, "rounds": 1, "callgrind": 1}))
