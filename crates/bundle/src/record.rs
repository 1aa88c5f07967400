//! The zip records this writer emits, encoded per PKWARE's APPNOTE 6.3.x: local file
//! header, central directory header, zip64 extended information extra field, zip64
//! end of central directory record and locator, end of central directory record.
//! Entries are always STORED, flagged UTF-8 (bit 11), and never use bit 3 (data
//! descriptor): the local header carries the real CRC and sizes.

use crate::meta::ModTime;

const LOCAL_SIG: u32 = 0x0403_4b50;
const CENTRAL_SIG: u32 = 0x0201_4b50;
const ZIP64_EOCD_SIG: u32 = 0x0606_4b50;
const ZIP64_LOCATOR_SIG: u32 = 0x0706_4b50;
const EOCD_SIG: u32 = 0x0605_4b50;
const ZIP64_EXTRA_ID: u16 = 0x0001;
/// General purpose flag bit 11: name is UTF-8.
const FLAG_UTF8: u16 = 1 << 11;
/// 2.0: the base; 4.5: zip64.
const VERSION_BASE: u16 = 20;
const VERSION_ZIP64: u16 = 45;
/// "Made by" Unix (3) so `external attributes` are read as a mode: regular file 0644.
const MADE_BY: u16 = (3 << 8) | VERSION_ZIP64;
const EXTERNAL_ATTRS: u32 = 0o100_644 << 16;
/// A 4-byte field at this value means "see the zip64 extra field".
pub(crate) const MAX32: u64 = 0xFFFF_FFFF;
const MAX16: u64 = 0xFFFF;

/// Fixed part of a local file header.
pub(crate) const LOCAL_FIXED: u64 = 30;
/// Fixed part of a central directory header.
pub(crate) const CENTRAL_FIXED: u64 = 46;
/// Largest zip64 extra field this writer emits (header + 3 × u64).
pub(crate) const ZIP64_EXTRA_MAX: u64 = 4 + 24;
/// Largest end records: zip64 EOCD (56) + locator (20) + EOCD (22).
pub(crate) const END_MAX: u64 = 56 + 20 + 22;

/// One stored entry's facts as the records need them.
pub(crate) struct EntryRecord<'a> {
    pub name: &'a str,
    pub size: u64,
    pub crc32: u32,
    pub modified: ModTime,
    /// Offset of the entry's local header in the zip.
    pub offset: u64,
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn put64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}
/// The 4-byte field for `v`, or the zip64 marker when it does not fit.
fn field32(v: u64) -> u32 {
    if v >= MAX32 { MAX32 as u32 } else { v as u32 }
}

/// Common middle of both headers: version needed … crc, sizes.
fn put_entry_core(out: &mut Vec<u8>, e: &EntryRecord<'_>, zip64: bool) {
    put16(out, if zip64 { VERSION_ZIP64 } else { VERSION_BASE });
    put16(out, FLAG_UTF8);
    put16(out, 0); // method: stored
    put16(out, e.modified.time);
    put16(out, e.modified.date);
    put32(out, e.crc32);
    put32(out, field32(e.size)); // compressed size (= size: stored)
    put32(out, field32(e.size));
}

/// Appends the local file header of `e` to `out`.
pub(crate) fn local_header(out: &mut Vec<u8>, e: &EntryRecord<'_>) {
    // A local zip64 extra must hold both sizes when either is in it.
    let zip64 = e.size >= MAX32;
    put32(out, LOCAL_SIG);
    put_entry_core(out, e, zip64);
    put16(out, e.name.len() as u16);
    put16(out, if zip64 { 20 } else { 0 });
    out.extend_from_slice(e.name.as_bytes());
    if zip64 {
        put16(out, ZIP64_EXTRA_ID);
        put16(out, 16);
        put64(out, e.size);
        put64(out, e.size);
    }
}

/// Length of `e`'s local header.
pub(crate) fn local_header_len(name: &str, size: u64) -> u64 {
    LOCAL_FIXED + name.len() as u64 + if size >= MAX32 { 20 } else { 0 }
}

/// Appends the central directory header of `e` to `out`.
pub(crate) fn central_header(out: &mut Vec<u8>, e: &EntryRecord<'_>) {
    // Only the fields whose 4-byte slot overflowed go in the extra, in this order.
    let mut extra = Vec::new();
    if e.size >= MAX32 {
        put64(&mut extra, e.size); // uncompressed
        put64(&mut extra, e.size); // compressed
    }
    if e.offset >= MAX32 {
        put64(&mut extra, e.offset);
    }
    let zip64 = !extra.is_empty();
    put32(out, CENTRAL_SIG);
    put16(out, MADE_BY);
    put_entry_core(out, e, zip64);
    put16(out, e.name.len() as u16);
    put16(out, if zip64 { extra.len() as u16 + 4 } else { 0 });
    put16(out, 0); // comment length
    put16(out, 0); // disk number start
    put16(out, 0); // internal attributes
    put32(out, EXTERNAL_ATTRS);
    put32(out, field32(e.offset));
    out.extend_from_slice(e.name.as_bytes());
    if zip64 {
        put16(out, ZIP64_EXTRA_ID);
        put16(out, extra.len() as u16);
        out.extend_from_slice(&extra);
    }
}

/// The records after the central directory: zip64 ones when any count, size or
/// offset does not fit the classic record, then the classic record.
pub(crate) fn end_records(entries: u64, cd_offset: u64, cd_size: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(END_MAX as usize);
    let zip64 = entries >= MAX16 || cd_offset >= MAX32 || cd_size >= MAX32;
    if zip64 {
        let eocd64_offset = cd_offset + cd_size;
        put32(&mut out, ZIP64_EOCD_SIG);
        put64(&mut out, 44); // size of the rest of this record
        put16(&mut out, MADE_BY);
        put16(&mut out, VERSION_ZIP64);
        put32(&mut out, 0); // this disk
        put32(&mut out, 0); // disk with the central directory
        put64(&mut out, entries);
        put64(&mut out, entries);
        put64(&mut out, cd_size);
        put64(&mut out, cd_offset);
        put32(&mut out, ZIP64_LOCATOR_SIG);
        put32(&mut out, 0); // disk with the zip64 EOCD
        put64(&mut out, eocd64_offset);
        put32(&mut out, 1); // total disks
    }
    let count16 = if entries >= MAX16 {
        MAX16 as u16
    } else {
        entries as u16
    };
    put32(&mut out, EOCD_SIG);
    put16(&mut out, 0);
    put16(&mut out, 0);
    put16(&mut out, count16);
    put16(&mut out, count16);
    put32(&mut out, field32(cd_size));
    put32(&mut out, field32(cd_offset));
    put16(&mut out, 0); // comment length
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(size: u64, offset: u64) -> EntryRecord<'static> {
        EntryRecord {
            name: "a.jpg",
            size,
            crc32: 7,
            modified: ModTime::DOS_EPOCH,
            offset,
        }
    }

    #[test]
    fn small_entry_has_no_zip64() {
        let mut out = Vec::new();
        local_header(&mut out, &rec(10, 0));
        assert_eq!(out.len() as u64, local_header_len("a.jpg", 10));
        assert_eq!(&out[0..4], b"PK\x03\x04");
        assert_eq!(u16::from_le_bytes([out[6], out[7]]), FLAG_UTF8);
        assert_eq!(u32::from_le_bytes(out[18..22].try_into().unwrap()), 10);
        let mut cd = Vec::new();
        central_header(&mut cd, &rec(10, 0));
        assert_eq!(cd.len() as u64, CENTRAL_FIXED + 5);
        assert_eq!(end_records(1, 100, 51).len(), 22);
    }

    #[test]
    fn big_entry_and_offset_use_zip64_fields() {
        let big = 5 << 30;
        let mut out = Vec::new();
        local_header(&mut out, &rec(big, 0));
        assert_eq!(out.len() as u64, local_header_len("a.jpg", big));
        assert_eq!(&out[18..26], &[0xFF; 8]);
        let mut cd = Vec::new();
        central_header(&mut cd, &rec(big, big));
        assert_eq!(cd.len() as u64, CENTRAL_FIXED + 5 + ZIP64_EXTRA_MAX);
        assert_eq!(&cd[42..46], &[0xFF; 4]);
        let end = end_records(70_000, big, 10);
        assert_eq!(end.len() as u64, END_MAX);
        assert_eq!(&end[56..60], b"PK\x06\x07");
    }
}
