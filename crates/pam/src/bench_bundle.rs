//! `pam bench bundle`: how fast and how lean the bundle writer is, next to `cat`.
//!
//! One run: photos (real ones from `.cache/photos/`, else generated JPEG-sized files)
//! are listed, repeated under distinct names, until the list holds at least `--mib`
//! MiB; their size, CRC-32 and SHA-256 are taken first, as import records them. Then,
//! in rounds that alternate the two, a child `pam bench bundle --child LIST OUT`
//! streams the list into one zip (with `manifest.csv`), and `cat` copies the same
//! files into one file. Each is a process of its own, timed from spawn to exit, so
//! the bundle's peak RSS (the child's `VmHWM`) is its own and `cat` pays the same
//! process start. The best round of each is reported: throughput, the ratio
//! bundle / cat, and the peak RSS, against the targets (≥ 0.9× cat, ≤ 64 MiB).
//! Outputs go to the page cache (no fsync), like `cat`'s; dirty pages are flushed
//! between runs, outside the timings.

#[path = "bench_bundle/child.rs"]
mod child;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MIB: u64 = 1 << 20;
const TARGET_RATIO: f64 = 0.9;
const TARGET_RSS_MIB: f64 = 64.0;

/// Bundle throughput against `cat`, and the bundle's peak memory.
#[derive(clap::Args)]
pub struct BenchBundleArgs {
    /// Folder searched (recursively) for .jpg/.jpeg photos; generated files are used if it has none.
    #[arg(long, default_value = ".cache/photos")]
    photos: PathBuf,
    /// Bytes to bundle, in MiB (photos are repeated under distinct names to reach it).
    #[arg(long, default_value_t = 1024)]
    mib: u64,
    /// Rounds of (bundle, cat); the best of each is reported.
    #[arg(long, default_value_t = 5)]
    rounds: u32,
    /// Folder for the outputs (a temporary folder if not given).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Exit non-zero when a target is missed.
    #[arg(long)]
    check: bool,
    /// The child's file I/O: `direct` (blocking reads and writes in place, as `cat`
    /// does) or `tokio` (`tokio::fs`, every read and write a hop to a pool thread).
    #[arg(long, value_enum, default_value = "direct")]
    via: Via,
    /// Internal: bundle the photos listed in LIST into OUT and report (the child process).
    #[arg(long, hide = true, num_args = 2, value_names = ["LIST", "OUT"])]
    child: Option<Vec<PathBuf>>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Via {
    Direct,
    Tokio,
}

/// Runs the benchmark (or, with `--child`, the bundling half of it).
pub fn run(args: BenchBundleArgs) -> Result<()> {
    if let Some(child) = &args.child {
        return child::run_child(&child[0], &child[1], args.via);
    }
    if cfg!(debug_assertions) {
        eprintln!("warning: debug build; run `cargo run --release -p pam -- bench bundle`");
    }
    let scratch = tempfile::Builder::new()
        .prefix("pam-bench-bundle")
        .tempdir_in(args.out.clone().unwrap_or_else(std::env::temp_dir))?;
    let sources = sources(&args.photos, scratch.path())?;
    let list = scratch.path().join("photos.tsv");
    let (entries, total) = write_list(&sources, args.mib * MIB, &list)?;
    println!(
        "bundle bench: {entries} photos ({} distinct, {:.1} MiB average), {:.0} MiB in all",
        sources.len(),
        total as f64 / entries as f64 / MIB as f64,
        total as f64 / MIB as f64
    );
    let paths: Vec<PathBuf> = read_list(&list)?.into_iter().map(|r| r.path).collect();
    run_cat(&paths, Path::new("/dev/null"))?; // warm the page cache for both
    let zip = scratch.path().join("bundle.zip");
    let copy = scratch.path().join("cat.out");
    // A first 1 GiB output costs more (fresh page-cache pages) than later ones: let
    // an untimed cat take that, so round 1 is like the others.
    run_cat(&paths, &copy)?;
    std::fs::remove_file(&copy)?;
    let exe = std::env::current_exe().context("locating the pam binary")?;
    let (mut best_zip, mut best_cat, mut rss_kib, mut zip_len) =
        (Duration::MAX, Duration::MAX, 0u64, 0u64);
    let (mut best_zip_cpu, mut best_cat_cpu) = (Duration::MAX, Duration::MAX);
    for round in 1..=args.rounds.max(1) {
        flush_dirty();
        let cpu_before = children_cpu();
        let started = Instant::now();
        let out = Command::new(&exe)
            .args(["bench", "bundle", "--via", via_name(args.via), "--child"])
            .arg(&list)
            .arg(&zip)
            .stderr(Stdio::inherit())
            .output()
            .context("running the bundle child")?;
        let took = started.elapsed();
        let cpu = children_cpu() - cpu_before;
        if !out.status.success() {
            bail!("bundle child failed: {}", out.status);
        }
        let report = String::from_utf8_lossy(&out.stdout);
        let hwm = field(&report, "vm_hwm_kib")?;
        zip_len = std::fs::metadata(&zip)?.len();
        std::fs::remove_file(&zip)?;
        flush_dirty();
        let cpu_before = children_cpu();
        let cat_took = run_cat(&paths, &copy)?;
        let cat_cpu = children_cpu() - cpu_before;
        std::fs::remove_file(&copy)?;
        println!(
            "round {round}: bundle {:>7.1} MiB/s ({:.2}s CPU)  cat {:>7.1} MiB/s ({:.2}s CPU)  bundle peak RSS {:.1} MiB",
            rate(total, took),
            cpu.as_secs_f64(),
            rate(total, cat_took),
            cat_cpu.as_secs_f64(),
            hwm as f64 / 1024.0
        );
        best_zip = best_zip.min(took);
        best_cat = best_cat.min(cat_took);
        best_zip_cpu = best_zip_cpu.min(cpu);
        best_cat_cpu = best_cat_cpu.min(cat_cpu);
        rss_kib = rss_kib.max(hwm);
    }
    let ratio = best_cat.as_secs_f64() / best_zip.as_secs_f64();
    let rss_mib = rss_kib as f64 / 1024.0;
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!(
        "bundle: {:.1} MiB/s (zip of {:.1} MiB)",
        rate(total, best_zip),
        zip_len as f64 / MIB as f64
    );
    println!("cat:    {:.1} MiB/s", rate(total, best_cat));
    println!(
        "ratio bundle/cat: {ratio:.2}x (target >= {TARGET_RATIO}x: {})",
        verdict(ratio >= TARGET_RATIO)
    );
    println!(
        "CPU time (user+sys) bundle/cat: {:.2}x as fast (steadier than wall time on a busy machine)",
        best_cat_cpu.as_secs_f64() / best_zip_cpu.as_secs_f64()
    );
    println!(
        "bundle peak RSS: {rss_mib:.1} MiB (target <= {TARGET_RSS_MIB} MiB: {})",
        verdict(rss_mib <= TARGET_RSS_MIB)
    );
    if args.check && (ratio < TARGET_RATIO || rss_mib > TARGET_RSS_MIB) {
        bail!("a bundle bench target was missed");
    }
    Ok(())
}

fn via_name(via: Via) -> &'static str {
    match via {
        Via::Direct => "direct",
        Via::Tokio => "tokio",
    }
}

/// User + system CPU time of all waited-for children so far.
fn children_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn rate(bytes: u64, took: Duration) -> f64 {
    bytes as f64 / MIB as f64 / took.as_secs_f64()
}

/// `cat PATHS > out`, timed from spawn to exit.
fn run_cat(paths: &[PathBuf], out: &Path) -> Result<Duration> {
    let sink = std::fs::File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let started = Instant::now();
    let status = Command::new("cat")
        .args(paths)
        .stdout(sink)
        .status()
        .context("running cat")?;
    let took = started.elapsed();
    if !status.success() {
        bail!("cat failed: {status}");
    }
    Ok(took)
}

/// Writes dirty pages back so one run's output does not slow the next one's.
fn flush_dirty() {
    let _ = Command::new("sync").status();
}

/// The photos to use: every JPEG under `dir`, or generated JPEG-sized files.
fn sources(dir: &Path, scratch: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            if path.is_dir() {
                stack.push(path);
            } else if matches!(ext.as_deref(), Some("jpg" | "jpeg")) {
                found.push(path);
            }
        }
    }
    found.sort();
    if !found.is_empty() {
        return Ok(found);
    }
    eprintln!(
        "no photos under {}; generating JPEG-sized files",
        dir.display()
    );
    let generated = scratch.join("generated");
    std::fs::create_dir_all(&generated)?;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..48)
        .map(|i| {
            let len = 1_500_000 + (i * 73_421) % 3_500_000; // 1.5–5 MB, like phone photos
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            let path = generated.join(format!("IMG_{:04}.jpg", i + 1));
            std::fs::write(&path, bytes)?;
            Ok(path)
        })
        .collect()
}

/// One line of the list the child reads.
struct Listed {
    path: PathBuf,
    name: String,
    size: u64,
    crc32: u32,
    sha256: String,
}

/// Records each source as import would, then lists them round after round under
/// distinct names until `target` bytes; returns the count and total size.
fn write_list(sources: &[PathBuf], target: u64, list: &Path) -> Result<(u64, u64)> {
    let mut records = Vec::new();
    for path in sources {
        let mut file =
            std::fs::File::open(path).with_context(|| format!("reading {}", path.display()))?;
        let (mut crc, mut sha, mut size, mut buf) = (
            crc32fast::Hasher::new(),
            Sha256::new(),
            0u64,
            vec![0; 1 << 16],
        );
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            crc.update(&buf[..n]);
            sha.update(&buf[..n]);
            size += n as u64;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("photo.jpg")
            .to_owned();
        let sha256 = sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
        records.push(Listed {
            path: path.clone(),
            name,
            size,
            crc32: crc.finalize(),
            sha256,
        });
    }
    if records.iter().all(|r| r.size == 0) {
        bail!("the photos are all empty");
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(list)?);
    let (mut count, mut total) = (0u64, 0u64);
    'rounds: for round in 1.. {
        for r in &records {
            if total >= target {
                break 'rounds;
            }
            let p = r.path.to_str().context("photo path is not UTF-8")?;
            writeln!(
                out,
                "{p}\tr{round:03}-{}\t{}\t{}\t{}",
                r.name, r.size, r.crc32, r.sha256
            )?;
            count += 1;
            total += r.size;
        }
    }
    out.flush()?;
    Ok((count, total))
}

fn parse_line(line: &str) -> Result<Listed> {
    let f: Vec<&str> = line.split('\t').collect();
    let [path, name, size, crc32, sha256] = f[..] else {
        bail!("bad list line {line:?}")
    };
    Ok(Listed {
        path: path.into(),
        name: name.to_owned(),
        size: size.parse()?,
        crc32: crc32.parse()?,
        sha256: sha256.to_owned(),
    })
}

fn read_list(list: &Path) -> Result<Vec<Listed>> {
    BufReader::new(std::fs::File::open(list)?)
        .lines()
        .map(|l| parse_line(&l?))
        .collect()
}

fn field(report: &str, key: &str) -> Result<u64> {
    report
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .with_context(|| format!("child report {report:?} has no {key}"))?
        .parse()
        .context("child report")
}
