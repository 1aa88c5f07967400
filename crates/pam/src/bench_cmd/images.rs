//! Bench inputs made from real photos and cached so every run (and the Python baseline)
//! reads identical bytes: 1024×768 JPEGs for labelling (the size a phone upload is
//! usually downscaled to, under `.cache/bench/1024x768/`), and phone-camera-sized ones
//! (4032×3024, 12 MP) for the bundle bench.

use anyhow::{Context, Result, bail};
use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use std::path::{Path, PathBuf};

pub const WIDTH: u32 = 1024;
pub const HEIGHT: u32 = 768;
const QUALITY: u8 = 90;

/// Every JPEG (by extension) below `dir`, sorted for a stable order.
fn find_jpegs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            find_jpegs(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Make (or reuse) one 1024×768 JPEG per photo found below `photos`; returns their paths.
pub fn prepare(photos: &Path, cache: &Path) -> Result<Vec<PathBuf>> {
    prepare_sized(photos, cache, WIDTH, HEIGHT)
}

/// Make (or reuse) one `width`×`height` JPEG per photo found below `photos` (resized to
/// fill, centre-cropped, quality 90); returns their paths.
pub fn prepare_sized(photos: &Path, cache: &Path, width: u32, height: u32) -> Result<Vec<PathBuf>> {
    let mut sources = Vec::new();
    find_jpegs(photos, &mut sources)?;
    sources.sort();
    if sources.is_empty() {
        bail!(
            "no JPEG photos under {} (run scripts/fetch-photos.sh)",
            photos.display()
        );
    }
    std::fs::create_dir_all(cache).with_context(|| format!("creating {}", cache.display()))?;
    let mut out = Vec::with_capacity(sources.len());
    for src in &sources {
        let rel = src.strip_prefix(photos).unwrap_or(src);
        let name = rel.to_string_lossy().replace(['/', '\\'], "__");
        let dest = cache.join(name);
        if !dest.is_file() {
            let img = image::open(src).with_context(|| format!("decoding {}", src.display()))?;
            let img = img
                .resize_to_fill(width, height, FilterType::Triangle)
                .into_rgb8();
            let mut bytes = Vec::new();
            JpegEncoder::new_with_quality(&mut bytes, QUALITY)
                .encode_image(&img)
                .with_context(|| format!("encoding {}", dest.display()))?;
            let tmp = dest.with_extension("tmp");
            std::fs::write(&tmp, &bytes).with_context(|| format!("writing {}", tmp.display()))?;
            std::fs::rename(&tmp, &dest)?; // atomic: an interrupted run leaves no half file
        }
        out.push(dest);
    }
    Ok(out)
}
