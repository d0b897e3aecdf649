#!/usr/bin/env python3
"""Opens N idle SMTP connections to HOST:PORT, reads each greeting, and holds them open.

Prints "open N" (N connections greeted with 220) on one line once all are established, then
waits until stdin closes, so the calling script decides how long the connections stay idle.
Exits 1 if any connection fails or is not greeted with 220.
"""
import socket
import sys


def main() -> int:
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    connections = []
    for i in range(count):
        s = socket.create_connection((host, port), timeout=30)
        greeting = b""
        while not greeting.endswith(b"\r\n"):
            chunk = s.recv(512)
            if not chunk:
                print(f"connection {i} closed before the greeting", file=sys.stderr)
                return 1
            greeting += chunk
        if not greeting.startswith(b"220"):
            print(f"connection {i} greeted with {greeting!r}", file=sys.stderr)
            return 1
        connections.append(s)
    print(f"open {len(connections)}", flush=True)
    sys.stdin.read()
    for s in connections:
        s.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
