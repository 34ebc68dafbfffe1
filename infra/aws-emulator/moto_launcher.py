#!/usr/bin/env python3
"""The project's AWS emulator: moto's server, with the project's patches, on one host and port.

Starts exactly what `moto_server -H HOST -p PORT` starts (moto's own WSGI application on werkzeug,
threaded, moto's request handler), after applying moto_transactions (DynamoDB transactions that cost
what they touch, a lock that makes concurrent DynamoDB requests safe), behind moto_iam (requests
signed with a function's own credentials face that function's role policies). Refuses to start on
any moto but the version the patches were written for. See infra/aws-emulator/README.md.

Besides AWS's APIs it answers, on the same port:
  GET  /_openepro/stats  JSON: the patch's counters, IAM counts and this process's resident memory
                         (for tests and benchmarks that must measure the emulator itself)
  POST /_openepro/iam    registers a stack's function roles and their credentials (local_stack.py)
  GET  /_openepro/iam?stack=NAME  JSON: per function of that stack, how many calls signed with its own
                         credentials were allowed and denied, and their actions (what proves a function
                         process really called as its role)

Usage: moto_launcher.py [-H HOST] [-p PORT] [--iam-state DIR]
  --iam-state DIR (or EPRO_IAM_STATE): where the IAM enforcement writes its roles, the grants allowed
  calls used and the denied calls, for infra/aws-emulator/iam_report.py
"""
import argparse
import json
import os
import signal
import sys
from urllib.parse import parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import moto_iam  # noqa: E402  (after the path: this directory's modules)
import moto_transactions  # noqa: E402


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
    """WSGI middleware: answers /_openepro/* itself, hands everything else to the IAM check and moto."""

    def __init__(self, app, iam):
        self.app = app
        self.iam = iam

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_openepro/"):
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD")
        if path == "/_openepro/stats" and method == "GET":
            body = {"dynamodb": moto_transactions.stats(), "iam": self.iam.stats(),
                    "residentBytes": resident_bytes(), "trackedInstances": tracked_instances()}
            return _json(start_response, "200 OK", body)
        if path == "/_openepro/iam" and method == "GET":
            stack = parse_qs(environ.get("QUERY_STRING", "")).get("stack", [""])[0]
            return _json(start_response, "200 OK", {"stack": stack, "functions": self.iam.calls_of_stack(stack)})
        if path == "/_openepro/iam" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                payload = json.loads(environ["wsgi.input"].read(length) or b"{}")
                registered = self.iam.register(payload)
            except (ValueError, KeyError, TypeError) as e:
                return _json(start_response, "400 Bad Request", {"message": "bad role registration: %s" % e})
            return _json(start_response, "200 OK", {"registered": registered})
        return _json(start_response, "404 Not Found", {"message": "no such endpoint: " + path})


def _json(start_response, status, body):
    data = json.dumps(body, sort_keys=True).encode("utf-8")
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, default=5000)
    parser.add_argument("--iam-state", default=os.environ.get("EPRO_IAM_STATE") or None)
    args = parser.parse_args(argv)
    if args.iam_state:
        os.makedirs(args.iam_state, exist_ok=True)

    moto_transactions.apply()  # exits with its reason on another moto version

    from werkzeug.serving import run_simple
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

    os.environ.setdefault("MOTO_PORT", str(args.port))
    # as moto_server: SIGTERM and SIGINT end the process cleanly
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))

    moto_app = DomainDispatcherApplication(create_backend_app)
    moto_app.debug = True
    iam = moto_iam.IamEnforcement(moto_app, state_dir=args.iam_state)
    run_simple(args.host, args.port, ProjectEndpoints(iam, iam), threaded=True,
               request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
