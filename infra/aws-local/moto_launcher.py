#!/usr/bin/env python3
"""The project's AWS emulator: moto's server, with the project's patches, on one host and port.

Starts exactly what `moto_server -H HOST -p PORT` starts (moto's own WSGI application on werkzeug,
threaded, moto's request handler), after applying moto_transactions (DynamoDB transactions that cost
what they touch, a lock that makes concurrent DynamoDB requests safe). Refuses to start on any moto
but the version the patches were written for. See infra/aws-local/README.md.

Besides AWS's APIs it answers, on the same port:
  GET /_openepro/stats   JSON: the patch's counters and this process's resident memory (for tests
                         and benchmarks that must measure the emulator itself, not the client)

Usage: moto_launcher.py [-H HOST] [-p PORT]
"""
import argparse
import json
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import moto_transactions  # noqa: E402  (after the path: this directory's modules)


def resident_bytes():
    """This process's resident set (VmRSS), or -1 where /proc is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return -1


def tracked_instances():
    """How many model objects moto's instance trackers hold, per service (what leaked before the patch)."""
    from moto.core.model_instances import model_data

    return {service: sum(len(model.instances_tracked) for model in models.values())
            for service, models in model_data.items()}


class ProjectEndpoints:
    """WSGI middleware: answers /_openepro/* itself, hands everything else to moto."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_openepro/"):
            return self.app(environ, start_response)
        if path == "/_openepro/stats" and environ.get("REQUEST_METHOD") == "GET":
            body = {"dynamodb": moto_transactions.stats(), "residentBytes": resident_bytes(),
                    "trackedInstances": tracked_instances()}
            return _json(start_response, "200 OK", body)
        return _json(start_response, "404 Not Found", {"message": "no such endpoint: " + path})


def _json(start_response, status, body):
    data = json.dumps(body, sort_keys=True).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    args = parser.parse_args(argv)

    moto_transactions.apply()  # exits with its reason on another moto version

    from werkzeug.serving import run_simple
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

    os.environ.setdefault("MOTO_PORT", str(args.port))
    # as moto_server: SIGTERM and SIGINT end the process cleanly
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))

    moto_app = DomainDispatcherApplication(create_backend_app)
    moto_app.debug = True
    run_simple(args.host, args.port, ProjectEndpoints(moto_app), threaded=True,
               request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
