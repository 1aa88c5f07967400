"""Extracts a zip with the streaming reader stream-unzip (PyPI), reading the file
front to back in 64 KiB chunks, as a reader of an HTTP response would.

Usage: stream_unzip_extract.py ZIP OUTDIR
"""
import os
import sys

from stream_unzip import stream_unzip

zip_path, out = sys.argv[1], sys.argv[2]


def chunks():
    with open(zip_path, "rb") as f:
        while True:
            block = f.read(65536)
            if not block:
                return
            yield block


for name, _size, data in stream_unzip(chunks()):
    name = name.decode("utf-8")
    with open(os.path.join(out, name), "wb") as f:
        for block in data:
            f.write(block)
