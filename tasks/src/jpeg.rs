//! Is it a JPEG? Decided by content, never by name: the SOI magic bytes, then the
//! headers parsed by `jpeg-decoder` up to the frame (size, components). Full decoding
//! is the labeller's job, and its failure is reported with the same error name.

/// The first bytes of every JPEG file (SOI marker, then a marker's 0xFF).
pub const JPEG_MAGIC: [u8; 3] = [0xFF, 0xD8, 0xFF];

/// What the headers say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegInfo {
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
}

/// Checks `bytes` is a JPEG whose headers parse; the error says what is wrong.
pub fn check_jpeg(bytes: &[u8]) -> Result<JpegInfo, String> {
    if bytes.len() < JPEG_MAGIC.len() || bytes[..3] != JPEG_MAGIC {
        let shown: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02X}")).collect();
        return Err(format!(
            "content does not start with the JPEG signature FF D8 FF (starts with {})",
            if shown.is_empty() {
                "nothing".to_owned()
            } else {
                shown.join(" ")
            }
        ));
    }
    let mut decoder = jpeg_decoder::Decoder::new(std::io::Cursor::new(bytes));
    decoder
        .read_info()
        .map_err(|e| format!("JPEG headers do not parse: {e}"))?;
    let info = decoder.info().ok_or("JPEG has no frame header")?;
    if info.width == 0 || info.height == 0 {
        return Err("JPEG has a zero dimension".into());
    }
    Ok(JpegInfo {
        width: info.width,
        height: info.height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_non_jpegs_with_reasons() {
        let png = b"\x89PNG\r\n\x1a\n....";
        assert!(check_jpeg(png).unwrap_err().contains("89 50 4E 47"));
        assert!(check_jpeg(b"").unwrap_err().contains("nothing"));
        let truncated = [0xFF, 0xD8, 0xFF, 0xE0, 0x00];
        assert!(check_jpeg(&truncated).unwrap_err().contains("headers"));
    }
}
