//! JPEG bytes → the network's input: RGB, 224×224, planar f32 in 0..255 (the model
//! normalises in-graph).
//!
//! Decoding dominates the cost of labelling a photo, so large JPEGs are decoded at reduced
//! scale (JPEG DCT scaling: 1/2, 1/4 or 1/8, done inside the IDCT) to the smallest size
//! whose both sides are still ≥ [`MIN_DECODED_SIDE`], and only then resized (bilinear with
//! antialiasing, like Pillow's `resize(BILINEAR)`) to exactly 224×224. The whole photo is
//! squashed to a square rather than centre-cropped: a label should describe everything in
//! the picture.
//!
//! [`MIN_DECODED_SIDE`] is 224, the network's side. A smaller floor is faster but less
//! faithful: at 192 a 1024×768 photo decodes at 1/4 scale (256×192) instead of 1/2, which
//! saves about a fifth of the decode time, but on the 1024×768 copies of the real photos
//! the top class then matches a full-size decode on 69 of 78 (76 of 78 at 224); the
//! flips are all near-ties under 30 % (`tests/photos.rs`). [`crate::Labeler`] takes the
//! floor as a setting.

use crate::LabelerError;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, images::Image};
use jpeg_decoder::{Decoder, PixelFormat};

/// Side of the square input the network takes.
pub const INPUT_SIDE: u32 = 224;

/// Smallest side a JPEG is decoded to before the resize to [`INPUT_SIDE`] (see the module doc).
pub const MIN_DECODED_SIDE: u32 = INPUT_SIDE;

/// Decode `jpeg` and return the planar (CHW) f32 input tensor data, 3×224×224 values.
pub fn jpeg_to_input(jpeg: &[u8]) -> Result<Vec<f32>, LabelerError> {
    jpeg_to_input_at(jpeg, MIN_DECODED_SIDE)
}

/// [`jpeg_to_input`] with the DCT scale chosen so both decoded sides are ≥ `min_side`
/// (or the full size, if smaller); for comparing scales.
pub fn jpeg_to_input_at(jpeg: &[u8], min_side: u32) -> Result<Vec<f32>, LabelerError> {
    let (rgb, width, height) = decode_scaled(jpeg, min_side.max(1))?;
    let src = Image::from_vec_u8(width, height, rgb, PixelType::U8x3).map_err(|e| {
        LabelerError::CorruptJpeg {
            reason: format!("decoded buffer: {e}"),
        }
    })?;
    let mut dst = Image::new(INPUT_SIDE, INPUT_SIDE, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| LabelerError::UnsupportedJpeg {
            reason: format!("resize: {e}"),
        })?;
    let hwc = dst.buffer();
    let plane = (INPUT_SIDE * INPUT_SIDE) as usize;
    let mut chw = vec![0f32; 3 * plane];
    for (i, px) in hwc.chunks_exact(3).enumerate() {
        chw[i] = f32::from(px[0]);
        chw[plane + i] = f32::from(px[1]);
        chw[2 * plane + i] = f32::from(px[2]);
    }
    Ok(chw)
}

/// Decode at the smallest DCT scale keeping both sides ≥ `min_side`; returns RGB8, width, height.
fn decode_scaled(jpeg: &[u8], min_side: u32) -> Result<(Vec<u8>, u32, u32), LabelerError> {
    if !jpeg.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Err(LabelerError::NotJpeg);
    }
    let mut decoder = Decoder::new(jpeg);
    decoder.read_info().map_err(corrupt)?;
    let info = decoder.info().ok_or_else(|| LabelerError::CorruptJpeg {
        reason: "no frame header".to_owned(),
    })?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    if w == 0 || h == 0 {
        return Err(LabelerError::UnsupportedJpeg {
            reason: format!("image is {w}×{h}"),
        });
    }
    // jpeg-decoder picks the smallest scale that reaches the request on at least ONE axis;
    // asking for the aspect-preserving size whose short side is `min_side` makes that both
    // axes.
    let short = w.min(h);
    let req_w = (u64::from(w) * u64::from(min_side)).div_ceil(u64::from(short));
    let req_h = (u64::from(h) * u64::from(min_side)).div_ceil(u64::from(short));
    let (req_w, req_h) = (
        req_w.min(u64::from(u16::MAX)),
        req_h.min(u64::from(u16::MAX)),
    );
    let (req_w, req_h) = (req_w as u16, req_h as u16);
    let (sw, sh) = decoder.scale(req_w, req_h).map_err(corrupt)?;
    let pixels = decoder.decode().map_err(corrupt)?;
    let info = decoder.info().ok_or_else(|| LabelerError::CorruptJpeg {
        reason: "no frame header after decode".to_owned(),
    })?;
    let (sw, sh) = (u32::from(sw), u32::from(sh));
    let count = (sw * sh) as usize;
    let rgb = match info.pixel_format {
        PixelFormat::RGB24 => pixels,
        PixelFormat::L8 => pixels.iter().flat_map(|&g| [g, g, g]).collect(),
        PixelFormat::L16 => pixels
            .chunks_exact(2)
            .flat_map(|c| [c[0], c[0], c[0]])
            .collect(),
        PixelFormat::CMYK32 => pixels
            .chunks_exact(4)
            .flat_map(|c| {
                // jpeg-decoder returns inverted (Adobe) CMYK: value = 255 - ink.
                let k = u16::from(c[3]);
                [c[0], c[1], c[2]].map(|v| ((u16::from(v) * k) / 255) as u8)
            })
            .collect(),
    };
    if rgb.len() != count * 3 {
        return Err(LabelerError::CorruptJpeg {
            reason: format!("decoded {} bytes for a {sw}×{sh} image", rgb.len()),
        });
    }
    Ok((rgb, sw, sh))
}

fn corrupt(e: jpeg_decoder::Error) -> LabelerError {
    match e {
        jpeg_decoder::Error::Unsupported(what) => LabelerError::UnsupportedJpeg {
            reason: format!("{what:?}"),
        },
        other => LabelerError::CorruptJpeg {
            reason: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_non_jpeg_and_truncated_input() {
        assert!(matches!(
            jpeg_to_input(b"\x89PNG\r\n\x1a\n"),
            Err(LabelerError::NotJpeg)
        ));
        assert!(matches!(jpeg_to_input(b""), Err(LabelerError::NotJpeg)));
        let err = jpeg_to_input(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J']).unwrap_err();
        assert!(matches!(err, LabelerError::CorruptJpeg { .. }), "{err}");
    }
}
