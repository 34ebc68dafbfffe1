#!/usr/bin/env python3
"""TransactWriteItems in the local emulator: time per transaction and memory, by table size.

For each table size it starts a fresh emulator, fills one table (pk/sk keys and a GSI, like the
reports table) with that many items through BatchWriteItem, then runs transactions shaped like
submit-report's commit (four conditional puts of new items) and reports the median time per
transaction and the emulator's resident memory before and after. Both emulators run in the same
invocation, one after the other: moto's plain `moto_server` (the baseline) and the project's
`infra/aws-emulator/moto_launcher.py` (the patched one). Numbers on a shared machine are noisy: compare
the ratio, and read the load average printed with them.

Usage: bench/emulator_transactions.py [--sizes 500,10000] [--transactions 20] [--baseline-transactions 5]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.environ.get("EPRO_VENV", os.path.join(ROOT, ".venv"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def resident_mib(pid):
    with open("/proc/%d/status" % pid, encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


class Emulator:
    def __init__(self, kind):
        self.kind = kind
        self.port = free_port()
        python = os.path.join(VENV, "bin", "python")
        if kind == "moto_server":
            command = [os.path.join(VENV, "bin", "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)]
        else:
            command = [python, os.path.join(ROOT, "infra", "aws-emulator", "moto_launcher.py"),
                       "-H", "127.0.0.1", "-p", str(self.port)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.endpoint = "http://127.0.0.1:%d" % self.port
        import urllib.request
        for _ in range(300):
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1)
                return
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit("%s exited with %s" % (kind, self.process.returncode))
                time.sleep(0.1)
        raise SystemExit("%s did not start" % kind)

    def rss(self):
        return resident_mib(self.process.pid)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:  # a request thread still copying tables
            self.process.kill()
            self.process.wait()


def dynamodb(endpoint):
    import boto3
    from botocore.config import Config

    return boto3.client("dynamodb", endpoint_url=endpoint, region_name="eu-west-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing",
                        config=Config(retries={"max_attempts": 0}, read_timeout=600))


def create_table(ddb, name):
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "gpk", "gsk")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{"IndexName": "byStudy", "Projection": {"ProjectionType": "ALL"},
                                 "KeySchema": [{"AttributeName": "gpk", "KeyType": "HASH"},
                                               {"AttributeName": "gsk", "KeyType": "RANGE"}]}])


def report_item(i):
    """About the size of a stored PHQ-9 report: keys, a few scalars, ten answers."""
    answers = [{"M": {"linkId": {"S": "q%d" % q}, "code": {"S": "LA6569-3"}, "ordinal": {"N": "1"}}}
               for q in range(10)]
    return {"pk": {"S": "R#%s" % uuid.uuid4()}, "sk": {"S": "V#0001"}, "gpk": {"S": "STUDY-001"},
            "gsk": {"S": "%08d" % i}, "subject": {"S": "SUBJ-%04d" % (i % 500)},
            "receivedAt": {"S": "2026-11-27T09:30:00Z"}, "answers": {"L": answers}}


def fill(ddb, table, count):
    batch = []
    for i in range(count):
        batch.append({"PutRequest": {"Item": report_item(i)}})
        if len(batch) == 25:
            ddb.batch_write_item(RequestItems={table: batch})
            batch = []
    if batch:
        ddb.batch_write_item(RequestItems={table: batch})


def transaction(ddb, table, i):
    puts = [{"Put": {"TableName": table, "Item": report_item(1_000_000 + 4 * i + k),
                     "ConditionExpression": "attribute_not_exists(pk)"}} for k in range(4)]
    ddb.transact_write_items(TransactItems=puts)


def measure(kind, size, transactions):
    emulator = Emulator(kind)
    try:
        ddb = dynamodb(emulator.endpoint)
        table = "bench-%d" % size
        create_table(ddb, table)
        fill(ddb, table, size)
        before = emulator.rss()
        times = []
        for i in range(transactions):
            start = time.perf_counter()
            transaction(ddb, table, i)
            times.append((time.perf_counter() - start) * 1000)
            print("  %s, %d items: transaction %d took %.0f ms, RSS %.0f MiB"
                  % (kind, size, i + 1, times[-1], emulator.rss()), file=sys.stderr)
        after = emulator.rss()
        return statistics.median(times), before, after
    finally:
        emulator.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,10000")
    parser.add_argument("--transactions", type=int, default=20)
    parser.add_argument("--baseline-transactions", type=int, default=5,
                        help="fewer for moto_server: each of its transactions copies the table four times")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("load average at start: %.2f %.2f %.2f" % os.getloadavg())
    print("%-14s %8s %6s %14s %12s %12s" % ("emulator", "items", "txns", "median ms/txn", "RSS before", "RSS after"))
    results = {}
    for size in sizes:
        for kind, count in (("moto_server", args.baseline_transactions), ("moto_launcher", args.transactions)):
            median, before, after = measure(kind, size, count)
            results[(kind, size)] = median
            print("%-14s %8d %6d %14.1f %10.0f MiB %10.0f MiB" % (kind, size, count, median, before, after))
            sys.stdout.flush()
    for size in sizes:
        print("items %d: patched/plain time ratio %.4f" % (
            size, results[("moto_launcher", size)] / results[("moto_server", size)]))
    print("load average at end: %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
