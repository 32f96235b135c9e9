#!/usr/bin/python3
"""The reference the native client is measured against: a Python asyncio client,
standard library only, with raw HTTP/1.1 keep-alive connections (one coroutine per
connection, each sending its next request when the last reply is read and parsed).

usage: client_reference.py PORT REQUESTS CONNECTIONS
prints one JSON line: requests, ok, seconds, cpu_seconds, max_rss_kib
"""
import asyncio
import json
import resource
import sys
import time

BODY = json.dumps({
    "model": "bench", "messages": [{"role": "user", "content": "What is 2 plus 2?"}],
    "max_tokens": 16, "temperature": 0.7, "top_p": 1.0, "seed": 0, "n": 1,
}).encode()


async def worker(port, queue_left, results):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(BODY)}\r\n\r\n").encode()
    while queue_left[0] > 0:
        queue_left[0] -= 1
        writer.write(head + BODY)
        status_line = await reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = await reader.readexactly(length)
        reply = json.loads(body)
        if status == 200 and reply["choices"][0]["message"]["content"] is not None:
            results[0] += 1
    writer.close()


async def main(port, requests, connections):
    left = [requests]
    ok = [0]
    await asyncio.gather(*(worker(port, left, ok) for _ in range(connections)))
    return ok[0]


if __name__ == "__main__":
    port, requests, connections = (int(a) for a in sys.argv[1:4])
    start, cpu = time.perf_counter(), time.process_time()
    ok = asyncio.run(main(port, requests, connections))
    print(json.dumps({
        "requests": requests, "ok": ok, "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))
