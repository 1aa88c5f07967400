"""Extracts a zip with Python's zipfile (central-directory reader) after testzip().

Usage: zipfile_extract.py ZIP OUTDIR. Writes each entry's bytes to OUTDIR/<name>
(names are expected to be safe single components; anything else is an error).
"""
import os
import sys
import zipfile

zip_path, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(zip_path) as zf:
    bad = zf.testzip()
    if bad is not None:
        sys.exit(f"testzip: bad CRC in {bad!r}")
    for info in zf.infolist():
        name = info.filename
        if "/" in name or "\\" in name or name.startswith("."):
            sys.exit(f"unsafe name {name!r}")
        if info.compress_type != zipfile.ZIP_STORED:
            sys.exit(f"{name!r} is not stored")
        if not info.flag_bits & 0x800 or info.flag_bits & 0x8:
            sys.exit(f"{name!r}: flags {info.flag_bits:#x} (want UTF-8, no data descriptor)")
        with open(os.path.join(out, name), "wb") as f:
            f.write(zf.read(info))
