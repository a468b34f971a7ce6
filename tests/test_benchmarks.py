"""The benchmarks' own arithmetic: ab's report read right, the tables printed whole
(``make bench``, ``make loadtest``; the runs themselves are too long for the suite)."""

from benchmarks.bench_pages import ab_command, format_table, parse_ab
from benchmarks.common import percentile
from benchmarks.loadtest.run import format_stats

AB_REPORT = """
Server Software:        gunicorn
Document Path:          /kniga-pamyati/ivanov/
Document Length:        11210 bytes

Concurrency Level:      4
Time taken for tests:   3.001 seconds
Complete requests:      1200
Failed requests:        3
   (Connect: 0, Receive: 1, Length: 0, Exceptions: 2)
Non-2xx responses:      5
Keep-Alive requests:    0
Requests per second:    399.87 [#/sec] (mean)
"""
AB_PERCENTILES = "Percentage served,Time in ms\n0,1.100\n50,9.250\n95,17.500\n99,30.000\n"


def test_parse_ab_reads_throughput_percentiles_and_errors():
    figures = parse_ab(AB_REPORT, AB_PERCENTILES)
    assert figures["requests"] == 1200
    assert figures["rps"] == 399.87
    assert (figures["p50"], figures["p95"]) == (9.25, 17.5)
    assert figures["failed_detail"] == {"connect": 0, "receive": 1, "length": 0, "exceptions": 2}
    assert figures["errors"] == 3 + 5  # failed requests and every non-2xx answer
    assert figures["bytes"] == 11210


def test_parse_ab_without_errors_or_output():
    clean = AB_REPORT.replace("Failed requests:        3", "Failed requests:        0")
    clean = clean.replace("Non-2xx responses:      5\n", "")
    assert parse_ab(clean, AB_PERCENTILES)["errors"] == 0
    nothing = parse_ab("", "")
    assert (nothing["requests"], nothing["rps"], nothing["p50"]) == (0, 0.0, None)


def test_parse_ab_with_few_requests_takes_the_reports_table():
    # 7 requests: ab's -e file reads p95 past its last timing (0); its table is right.
    report = AB_REPORT + (
        "Percentage of the requests served within a certain time (ms)\n"
        "  50%   3422\n  66%   3600\n  95%   5010\n 100%   5010 (longest request)\n"
    )
    csv_text = "Percentage served,Time in ms\n50,3422.125\n95,0.000\n"
    figures = parse_ab(report, csv_text)
    assert (figures["p50"], figures["p95"]) == (3422.125, 5010.0)


def test_ab_runs_for_the_time_limit():
    command = ab_command("http://127.0.0.1:1/", 10, 4, "/tmp/p.csv")
    # -t first: ab's -t resets the request count that -n then raises above what 10 s serve.
    assert command.index("-t") < command.index("-n")
    assert int(command[command.index("-n") + 1]) >= 10 * 20_000
    assert {"-k", "-l", "-r"} <= set(command)


def figures(rps, errors=0, static_rps=None):
    paired = {} if static_rps is None else {"static_rps": static_rps}
    return {"rps": rps, "p50": 10.0, "p95": 20.0, "errors": errors, **paired}


def test_table_gives_each_page_as_a_share_of_the_static_file():
    result = {
        "database": "sqlite",
        "version": "SQLite 3.40.1",
        "pages": 110_000,
        "counts": {"contributions": 2200, "memorials": 5500, "heroes": 102_153},
        "server": {"workers": 3, "worker_class": "sync", "threads": 4},
        "concurrency": 4,
        "seconds": 10,
        "cpus": 2,
        "urls": {"home": "/", "search": "/search/?q=x"},
        "modes": {
            "cold": {"static": figures(1000), "pages": {"home": figures(20), "search": figures(8)}},
            "cached": {
                "static": figures(800),
                "pages": {
                    "home": figures(600, static_rps=1200),
                    "search": figures(8, errors=2),
                },
            },
        },
    }
    text = "\n".join(format_table(result))
    assert "2,200 contributions, 5,500 memorials, 102,153 heroes" in text
    rows = {tuple(line.split()[:2]): line.split() for line in text.splitlines()[4:10]}
    # Against the static file's run paired with the page, else the mode's mean.
    assert rows[("home", "cached")][-2:] == ["50", "%"]  # 600 of the 1200 timed just before
    assert rows[("home", "cold")][-2:] == ["2", "%"]  # 20 of the cold run's 1000
    assert rows[("search", "cached")][-3] == "2"  # its errors
    assert "met (1 of 2; lowest search 1 %)" in text and "NOT met" in text


def test_percentile_is_nearest_rank():
    assert percentile([5, 1, 4, 2, 3], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95


def test_loadtest_table_per_group_and_total():
    def row(name, count, failures):
        return {"Name": name, "Request Count": str(count), "Failure Count": str(failures),
                "Requests/s": "2.5", "50%": "12", "95%": "80", "99%": "N/A",
                "Max Response Time": "120.4"}  # fmt: skip

    stats = {"hero": row("hero", 100, 0), "search": row("search", 10, 1),
             "Aggregated": row("Aggregated", 110, 1)}  # fmt: skip
    hits = {"answered": {"hero": 100, "search": 9}, "cached": {"hero": 90}}
    lines = format_stats(stats, hits)
    hero = next(line for line in lines if line.split()[0] == "hero").split()
    assert hero == ["hero", "100", "0", "2.5", "12", "80", "N/A", "120", "90", "%"]
    total = next(line for line in lines if line.split()[0] == "total").split()
    assert total[1:3] == ["110", "1"] and total[-2:] == ["83", "%"]  # 90 of 109 answers


def test_loadtest_weights_can_be_changed_by_group():
    from benchmarks.loadtest.run import WEIGHTS, weights_from

    assert weights_from("") == WEIGHTS
    changed = weights_from("search=0, hero=40")
    assert (changed["search"], changed["hero"], changed["memorial"]) == (0, 40, WEIGHTS["memorial"])
