#!/usr/bin/python3
"""Python `websockets` echo server: an independent peer for Wirechat's interop tests.

Run with Debian's /usr/bin/python3 (python3-websockets). Listens on 127.0.0.1, port 0, and prints
one JSON line per event on stdout: {"event": "listening", "port": N} once ready, then
{"event": "close", "code": N, "reason": "..."} when a connection ends, so the test can assert what
the server saw.

Paths:  /echo (default)  echo text as text, binary as binary
        /close?code=N&reason=TEXT   close with that code and reason right after the handshake
"""
import argparse
import asyncio
import json
import signal
import sys
from urllib.parse import urlsplit, parse_qs

import websockets

# Large-message tests send up to 16 MiB; the library default (1 MiB) would refuse them with 1009.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
NORMAL_CLOSURE = 1000


def emit(**fields):
    print(json.dumps(fields), flush=True)


async def handler(websocket, path=None):
    target = urlsplit(path if path is not None else websocket.path)
    query = parse_qs(target.query)
    try:
        if target.path == "/close":
            code = int(query.get("code", [str(NORMAL_CLOSURE)])[0])
            reason = query.get("reason", [""])[0]
            await websocket.close(code, reason)
        else:
            async for message in websocket:
                # websockets gives str for text and bytes for binary; send() keeps the kind.
                await websocket.send(message)
    except websockets.ConnectionClosed:
        pass
    finally:
        await websocket.wait_closed()
        emit(event="close", code=websocket.close_code, reason=websocket.close_reason or "",
             subprotocol=websocket.subprotocol)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--compression", choices=["on", "off"], default="on")
    parser.add_argument("--subprotocols", default="", help="comma-separated list the server supports")
    args = parser.parse_args()

    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, lambda: stop.done() or stop.set_result(None))

    subprotocols = [p for p in args.subprotocols.split(",") if p] or None
    async with websockets.serve(
        handler,
        "127.0.0.1",
        0,
        compression="deflate" if args.compression == "on" else None,
        subprotocols=subprotocols,
        max_size=MAX_MESSAGE_BYTES,
    ) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        emit(event="listening", port=port)
        await stop


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
