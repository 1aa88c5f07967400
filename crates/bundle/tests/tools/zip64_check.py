"""Checks the zip64 structure of a zip through Python's zipfile and the raw records.

Usage: zip64_check.py ZIP EXPECT_JSON, where EXPECT_JSON is
{"entries": [[name, size, crc32], ...], "small": {name: hex bytes}, "big_offset_after": name}
Prints "ok" when every entry has the size and CRC expected, every small entry reads
back identical, the entry named in big_offset_after lies past 4 GiB, and the zip64
end of central directory record and locator are present.
"""
import json
import struct
import sys
import zipfile

zip_path, expect = sys.argv[1], json.loads(sys.argv[2])
with zipfile.ZipFile(zip_path) as zf:
    infos = zf.infolist()
    got = [[i.filename, i.file_size, i.CRC] for i in infos]
    if got != expect["entries"]:
        sys.exit(f"entries {got} != {expect['entries']}")
    for i in infos:
        if i.compress_size != i.file_size or i.flag_bits & 0x8:
            sys.exit(f"{i.filename}: not stored without descriptor")
    for name, hexdata in expect["small"].items():
        if zf.read(name) != bytes.fromhex(hexdata):
            sys.exit(f"{name} differs")
    after = zf.getinfo(expect["big_offset_after"])
    if after.header_offset <= 0xFFFFFFFF:
        sys.exit(f"offset {after.header_offset} does not need zip64")
    # The first MiB of every big entry, through its local header's zip64 extra.
    for i in infos:
        if i.file_size > 0xFFFFFFFF:
            with zf.open(i) as f:
                if f.read(1 << 20) != bytes(1 << 20):
                    sys.exit(f"{i.filename} does not start with zeros")
with open(zip_path, "rb") as f:
    f.seek(-22 - 20, 2)
    locator = f.read(20)
    sig, _disk, eocd64_offset, _disks = struct.unpack("<IIQI", locator)
    if sig != 0x07064B50:
        sys.exit("no zip64 end of central directory locator")
    f.seek(eocd64_offset)
    if struct.unpack("<I", f.read(4))[0] != 0x06064B50:
        sys.exit("no zip64 end of central directory record")
print("ok")
