#!/usr/bin/python3
"""Not a test: /health latency of `headroom serve` while N idle connections are held.

Starts `headroom serve` on a free port, opens N connections that never send a byte
(reopening each one the server closes, so N stay open the whole time: an attacker
reconnects too), then times GET /health on a fresh connection every second.

Usage: idle_health.py HEADROOM N [--seconds S] [--threads T]
Prints one line per /health and a summary: median and worst seconds, failures.
"""
import argparse
import resource
import selectors
import socket
import statistics
import subprocess
import sys
import time


def health(port, timeout):
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            reply = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
        ok = reply.startswith(b"HTTP/1.1 200")
    except OSError:
        ok = False
    return time.monotonic() - start, ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("headroom")
    parser.add_argument("idle", type=int)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    original = (soft, hard)
    need = args.idle + 256
    if hard < need:
        sys.exit(f"needs {need} open files, the hard limit is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, need), hard))

    command = [args.headroom, "serve", "--port", "0"]
    if args.threads:
        command += ["--threads", str(args.threads)]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              # The server gets the limits we were started with: raising its
                              # own open-files limit is part of what is measured.
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, original))
    try:
        url = server.stdout.readline().strip()
        port = int(url.split(":")[2].split("/")[0])
        print(f"serve at {url}; before idle: /health {health(port, args.timeout)[0]:.4f} s", flush=True)

        selector = selectors.DefaultSelector()
        opened = reopened = 0

        def open_one():
            nonlocal opened
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))  # in progress: the backlog may be full
            selector.register(s, selectors.EVENT_READ)
            opened += 1

        for _ in range(args.idle):
            open_one()
        print(f"{args.idle} idle connections opened", flush=True)

        samples, failures = [], 0
        end = time.monotonic() + args.seconds
        next_probe = time.monotonic()
        while time.monotonic() < end:
            for key, _ in selector.select(timeout=0.05):
                # Readable means closed by the server (idle connections get no reply).
                selector.unregister(key.fileobj)
                key.fileobj.close()
                reopened += 1
                open_one()
            if time.monotonic() >= next_probe:
                seconds, ok = health(port, args.timeout)
                samples.append(seconds)
                failures += not ok
                print(f"/health {seconds:.4f} s {'ok' if ok else 'FAILED'} (server closed {reopened} idle so far)",
                      flush=True)
                next_probe = time.monotonic() + 1
        print(f"idle {args.idle}: /health median {statistics.median(samples):.4f} s, worst {max(samples):.4f} s, "
              f"{failures} of {len(samples)} failed; idle connections the server closed and we reopened: {reopened}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
