#!/usr/bin/env python3
"""Run moto_server in a session of its own, for exactly as long as the process that started it.

A terminal's Ctrl-C signals the whole foreground process group. In its own session moto does
not get it, so the JVM that started it can stop its users (HTTP API, pollers) first and the
emulator last. If that JVM dies without stopping it (kill -9, a crash), the JVM's end of this
process's stdin closes, and moto is stopped: no emulator is ever left behind holding its port.

SIGTERM (what the JVM sends to stop it) stops moto; SIGINT is ignored here, as it is not meant
for us. Prints nothing of its own; exits with moto's status.

Usage: moto_session.py MOTO_SERVER_EXECUTABLE [ARGS...]
"""
import os
import signal
import subprocess
import sys
import threading


def main():
    try:
        os.setsid()
    except OSError:
        pass  # already a process group leader: stays where it is, the rest still holds
    moto = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
    # after starting moto, which would inherit an ignored SIGINT
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def stop(*_):
        if moto.poll() is None:
            moto.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)

    def watch_parent():
        while sys.stdin.buffer.read1(4096):
            pass
        stop()

    threading.Thread(target=watch_parent, name="parent-watch", daemon=True).start()
    code = moto.wait()
    sys.exit(code if code >= 0 else 128 - code)


if __name__ == "__main__":
    main()
