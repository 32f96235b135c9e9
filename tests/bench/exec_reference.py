#!/usr/bin/python3
"""The usual HumanEval execution harness, as the yardstick for headroom's exec bench.

What the widely used harnesses do (written here from their published description, with
the standard library only): for every program, sequentially, start a
multiprocessing.Manager for the result list, fork one multiprocessing.Process that
changes into a temporary directory, lowers its memory limit, blanks dangerous
functions, swallows stdout/stderr and exec()s program + tests under a SIGALRM timer;
the parent joins with timeout + 1 s and kills the child if it is still alive.

Usage: exec_reference.py JOBS.jsonl RESULTS.jsonl
  JOBS.jsonl    one {"program": ..., "tests": ..., "timeout": seconds} per line
  RESULTS.jsonl one {"result": "passed" | "failed: ..." | "timed out"} per line
Prints one JSON line: {"programs": n, "seconds": loop time, "per_second": n / seconds}.
"""
import contextlib
import io
import json
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time

MEMORY_LIMIT = 1 << 30  # the same 1 GiB address-space cap the sandbox applies


class TimeoutException(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds):
    # The in-process alarm: it only fires between bytecodes, which is the hole the
    # sandbox closes by keeping the clock in the parent.
    def on_alarm(signum, frame):
        raise TimeoutException("timed out")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


class _Discard(io.StringIO):
    """stdout/stderr replacement: accepts writes, refuses reads."""

    def read(self, *args, **kwargs):
        raise IOError

    def readline(self, *args, **kwargs):
        raise IOError

    def readlines(self, *args, **kwargs):
        raise IOError

    def readable(self, *args, **kwargs):
        return False


@contextlib.contextmanager
def swallow_io():
    sink = _Discard()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        old_stdin = sys.stdin
        sys.stdin = sink
        try:
            yield
        finally:
            sys.stdin = old_stdin


@contextlib.contextmanager
def temporary_cwd():
    with tempfile.TemporaryDirectory() as directory:
        previous = os.getcwd()
        os.chdir(directory)
        try:
            yield
        finally:
            os.chdir(previous)


def blank_dangerous_functions():
    """The harnesses' 'reliability guard': limits plus blanked functions (bypassable)."""
    import builtins
    import resource
    import subprocess

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY_LIMIT, MEMORY_LIMIT))
    builtins.exit = None
    builtins.quit = None
    for name in ("kill", "system", "putenv", "remove", "removedirs", "rmdir", "fchdir",
                 "setuid", "fork", "forkpty", "killpg", "rename", "renames", "truncate",
                 "replace", "unlink", "fchmod", "fchown", "chmod", "chown", "chroot",
                 "lchown", "getcwd", "chdir"):
        setattr(os, name, None)
    shutil.rmtree = None
    shutil.move = None
    shutil.chown = None
    subprocess.Popen = None


def run_one(program, timeout, result):
    with temporary_cwd():
        # Kept aside so the temporary directory can still be removed afterwards.
        rmtree, rmdir, chdir, unlink = shutil.rmtree, os.rmdir, os.chdir, os.unlink
        blank_dangerous_functions()
        try:
            with swallow_io():
                with time_limit(timeout):
                    exec(program, {})
            result.append("passed")
        except TimeoutException:
            result.append("timed out")
        except BaseException as error:  # noqa: BLE001 - any escape is a failure
            result.append("failed: %s" % (error,))
        shutil.rmtree, os.rmdir, os.chdir, os.unlink = rmtree, rmdir, chdir, unlink


def check_program(program, timeout):
    with multiprocessing.Manager() as manager:
        result = manager.list()
        process = multiprocessing.Process(target=run_one, args=(program, timeout, result))
        process.start()
        process.join(timeout=timeout + 1)
        if process.is_alive():
            process.kill()
        if not result:
            result.append("timed out")
        return result[0]


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as source:
        jobs = [json.loads(line) for line in source if line.strip()]
    multiprocessing.set_start_method("fork")
    start = time.perf_counter()
    results = []
    for job in jobs:
        program = job["program"] + "\n" + job["tests"] + "\n"
        results.append(check_program(program, float(job.get("timeout", 3.0))))
    seconds = time.perf_counter() - start
    with open(argv[2], "w", encoding="utf-8") as sink:
        for result in results:
            sink.write(json.dumps({"result": result}) + "\n")
    print(json.dumps({"programs": len(jobs), "seconds": seconds,
                      "per_second": len(jobs) / seconds if seconds > 0 else 0.0}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
