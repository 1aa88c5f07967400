"""A real SMTP server on 127.0.0.1 for the download tests (aiosmtpd).

Usage: smtp_server.py PORT DIR. Every message is saved as DIR/msg-N.eml (raw, with an
X-Test-Rcpt-To line first) and DIR/msg-N.body.txt (the decoded text body), each written
to a temp name first and renamed, so a reader never sees half a message. Prints
"ready" once listening and runs until stdin closes.
"""
import email
import email.policy
import os
import sys
from pathlib import Path

from aiosmtpd.controller import Controller


class Saver:
    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = self.folder / f"msg-{self.count}"
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",)) or message
        body = part.get_content() if hasattr(part, "get_content") else str(part)
        rcpt = ",".join(envelope.rcpt_tos).encode()
        for suffix, data in ((".body.txt", body.encode()), (".eml", b"X-Test-Rcpt-To: " + rcpt + b"\r\n" + raw)):
            tmp = stem.with_suffix(suffix + ".tmp")
            tmp.write_bytes(data)
            os.rename(tmp, stem.with_suffix(suffix))
        return "250 Message accepted"


def main():
    port, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Saver(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
