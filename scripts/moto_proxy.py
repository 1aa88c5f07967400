#!/usr/bin/env python3
"""A small HTTP proxy in front of moto for running PAM's state machines on moto's engine.

moto's Step Functions engine calls Lambda through a boto3 client pointed at
http://localhost:$MOTO_PORT, where MOTO_PORT is read from moto's own environment. moto
is therefore started with MOTO_PORT set to this proxy's port, and this proxy:

- sends `POST /2015-03-31/functions/<name or ARN>/invocations` to the Lambda emulator
  set with `PUT /__pam_proxy/lambda` (body: its base URL, e.g. the address of
  `cargo lambda watch`), naming the function by its short name (the last `:function:`
  part of an ARN), and turns the emulator's HTTP 500 for a handler error into what
  Lambda answers: 200 with `X-Amz-Function-Error: Unhandled` and the error JSON;
- passes every other request to moto unchanged.

Usage: moto_proxy.py LISTEN_PORT MOTO_PORT   (Python standard library only)
"""

import http.client
import http.server
import re
import sys
import threading
import urllib.parse

INVOKE = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations$")
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "host",
}

state = {"lambda": None}
lock = threading.Lock()


def short_name(function: str) -> str:
    name = urllib.parse.unquote(function)
    if ":function:" in name:
        name = name.split(":function:", 1)[1]
    return name.split(":", 1)[0]  # drop a version or alias qualifier


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    moto_port = 0

    def log_message(self, fmt, *args):  # quiet unless something fails
        pass

    def body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            return self.rfile.read(length)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        return b""

    def answer(self, status, headers, payload: bytes):
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def forward(self, host, port, path, payload):
        conn = http.client.HTTPConnection(host, port, timeout=900)
        headers = {
            k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP
        }
        headers["Content-Length"] = str(len(payload))
        conn.request(self.command, path, body=payload, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        return resp.status, resp.getheaders(), data

    def handle_any(self):
        payload = self.body()
        path = self.path
        if path == "/__pam_proxy/lambda" and self.command == "PUT":
            target = payload.decode().strip() or None
            with lock:
                state["lambda"] = target
            self.answer(200, [("Content-Type", "text/plain")], b"ok\n")
            return
        match = INVOKE.match(path.split("?", 1)[0])
        with lock:
            target = state["lambda"]
        if match and self.command == "POST" and target:
            url = urllib.parse.urlsplit(target)
            name = urllib.parse.quote(short_name(match.group(1)), safe="")
            try:
                status, headers, data = self.forward(
                    url.hostname,
                    url.port or 80,
                    f"/2015-03-31/functions/{name}/invocations",
                    payload,
                )
            except OSError as e:
                message = f"lambda emulator at {target} unreachable: {e}"
                body = ('{"Type":"Service","message":"%s"}' % message).encode()
                self.answer(502, [("Content-Type", "application/json")], body)
                return
            headers = [(k, v) for k, v in headers if k.lower() != "x-amz-function-error"]
            if status >= 500:
                # cargo-lambda answers a handler error with 500; Lambda with 200 + header.
                headers.append(("X-Amz-Function-Error", "Unhandled"))
                status = 200
            headers.append(("X-Amz-Executed-Version", "$LATEST"))
            self.answer(status, headers, data)
            return
        status, headers, data = self.forward("127.0.0.1", self.moto_port, path, payload)
        self.answer(status, headers, data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_any


def main():
    listen, moto = int(sys.argv[1]), int(sys.argv[2])
    Handler.moto_port = moto
    server = http.server.ThreadingHTTPServer(("127.0.0.1", listen), Handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
