//! `pam bench bundle`: how fast and how lean the bundle writer is, next to `cat`.
//!
//! One run: phone-camera-sized JPEGs (4032×3024, made once from the real photos in
//! `.cache/photos/` and cached; `--sizes original` uses the photos as they are; generated
//! JPEG-sized files if there are none) are listed, repeated under distinct names, until
//! the list holds at least `--mib` MiB; their size, CRC-32 and SHA-256 are taken first,
//! as import records them. Then, in rounds that alternate which goes first, a child
//! `pam bench bundle --child LIST OUT` streams the list into one zip (with
//! `manifest.csv`), and `cat` copies the same files into one file. Each is a process of
//! its own, timed from spawn to exit, so the bundle's peak RSS (the child's `VmHWM`) is
//! its own and `cat` pays the same process start. Both read from a warm page cache.
//! The median and the best round of each are reported: throughput, the ratio
//! bundle / cat (of the medians; of the bests), and the peak RSS, against the targets
//! (≥ 0.9× cat, ≤ 64 MiB), with the load average at the start and end. Outputs go to the
//! page cache (no fsync), like `cat`'s; dirty pages are flushed between runs, outside
//! the timings.

#[path = "bench_bundle/child.rs"]
mod child;
#[path = "bench_bundle/list.rs"]
mod list;

use anyhow::{Context, Result, bail};
use list::{read_list, write_list};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const MIB: u64 = 1 << 20;
const TARGET_RATIO: f64 = 0.9;
const TARGET_RSS_MIB: f64 = 64.0;
/// A 12 MP phone camera's frame.
const PHONE_SIZE: (u32, u32) = (4032, 3024);

/// Bundle throughput against `cat`, and the bundle's peak memory.
#[derive(clap::Args)]
pub struct BenchBundleArgs {
    /// Folder searched (recursively) for .jpg/.jpeg photos; generated files are used if it has none.
    #[arg(long, default_value = ".cache/photos")]
    photos: PathBuf,
    /// Bytes to bundle, in MiB (photos are repeated under distinct names to reach it).
    #[arg(long, default_value_t = 1024)]
    mib: u64,
    /// `phone`: the photos re-encoded at 4032×3024 (12 MP, ~phone camera files);
    /// `original`: the photos as found.
    #[arg(long, value_enum, default_value = "phone")]
    sizes: Sizes,
    /// Rounds of (bundle, cat), alternating which runs first; median and best are reported.
    #[arg(long, default_value_t = 5)]
    rounds: u32,
    /// Folder for the outputs (a temporary folder if not given).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Exit non-zero when a target is missed.
    #[arg(long)]
    check: bool,
    /// The child's file I/O: `direct` (blocking reads and writes in place, as `cat`
    /// does; the fastest on an idle machine: 1.04–1.09× `cat` against mmap's 0.76–0.95×),
    /// `mmap` (each photo memory-mapped, checksummed and written from the mapping in
    /// cache-sized slices; mapping and unmapping cost more than the copy they save) or
    /// `tokio` (`tokio::fs`, every read and write a hop to a pool thread).
    #[arg(long, value_enum, default_value = "direct")]
    via: Via,
    /// Internal: bundle the photos listed in LIST into OUT and report (the child process).
    #[arg(long, hide = true, num_args = 2, value_names = ["LIST", "OUT"])]
    child: Option<Vec<PathBuf>>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Sizes {
    Phone,
    Original,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Via {
    Direct,
    Mmap,
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
    let sources = sources(&args.photos, args.sizes, scratch.path())?;
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
    let load_before = load_average();
    let (mut zips, mut cats, mut rss_kib, mut zip_len) = (Vec::new(), Vec::new(), 0u64, 0u64);
    for round in 1..=args.rounds.max(1) {
        // Odd rounds run the bundle first, even rounds cat: neither always gets the
        // fresher page cache or the quieter moment.
        let mut zip_run = None;
        let mut cat_run = None;
        for first in [round % 2 == 1, round % 2 == 0] {
            flush_dirty();
            let cpu_before = children_cpu();
            if first {
                let (took, hwm) = run_child(&exe, args.via, &list, &zip)?;
                zip_len = std::fs::metadata(&zip)?.len();
                std::fs::remove_file(&zip)?;
                zip_run = Some((took, children_cpu() - cpu_before, hwm));
            } else {
                let took = run_cat(&paths, &copy)?;
                std::fs::remove_file(&copy)?;
                cat_run = Some((took, children_cpu() - cpu_before));
            }
        }
        let ((took, cpu, hwm), (cat_took, cat_cpu)) =
            (zip_run.expect("bundle ran"), cat_run.expect("cat ran"));
        println!(
            "round {round} ({} first): bundle {:>7.1} MiB/s ({:.2}s CPU)  cat {:>7.1} MiB/s ({:.2}s CPU)  bundle peak RSS {:.1} MiB",
            if round % 2 == 1 { "bundle" } else { "cat" },
            rate(total, took),
            cpu.as_secs_f64(),
            rate(total, cat_took),
            cat_cpu.as_secs_f64(),
            hwm as f64 / 1024.0
        );
        zips.push((took, cpu));
        cats.push((cat_took, cat_cpu));
        rss_kib = rss_kib.max(hwm);
    }
    let wall = |runs: &[(Duration, Duration)]| runs.iter().map(|r| r.0).collect::<Vec<_>>();
    let cpu = |runs: &[(Duration, Duration)]| runs.iter().map(|r| r.1).collect::<Vec<_>>();
    let (zip_med, cat_med) = (median(wall(&zips)), median(wall(&cats)));
    let (zip_best, cat_best) = (best(wall(&zips)), best(wall(&cats)));
    let ratio = cat_med.as_secs_f64() / zip_med.as_secs_f64();
    let best_ratio = cat_best.as_secs_f64() / zip_best.as_secs_f64();
    let rss_mib = rss_kib as f64 / 1024.0;
    let verdict = |ok: bool| if ok { "ok" } else { "MISSED" };
    println!(
        "bundle: {:.1} MiB/s median, {:.1} best (zip of {:.1} MiB)",
        rate(total, zip_med),
        rate(total, zip_best),
        zip_len as f64 / MIB as f64
    );
    println!(
        "cat:    {:.1} MiB/s median, {:.1} best",
        rate(total, cat_med),
        rate(total, cat_best)
    );
    println!(
        "ratio bundle/cat: {ratio:.2}x of the medians, {best_ratio:.2}x of the bests (target >= {TARGET_RATIO}x: {})",
        verdict(ratio >= TARGET_RATIO)
    );
    println!(
        "CPU time (user+sys) bundle/cat: {:.2}x as fast, medians (steadier than wall time on a busy machine)",
        median(cpu(&cats)).as_secs_f64() / median(cpu(&zips)).as_secs_f64()
    );
    println!(
        "bundle peak RSS: {rss_mib:.1} MiB (target <= {TARGET_RSS_MIB} MiB: {})",
        verdict(rss_mib <= TARGET_RSS_MIB)
    );
    println!(
        "load average (1 min) at start {load_before}, at end {}",
        load_average()
    );
    if args.check && (ratio < TARGET_RATIO || rss_mib > TARGET_RSS_MIB) {
        bail!("a bundle bench target was missed");
    }
    Ok(())
}

/// One bundle child run: wall time from spawn to exit and its peak RSS in KiB.
fn run_child(exe: &Path, via: Via, list: &Path, zip: &Path) -> Result<(Duration, u64)> {
    let started = Instant::now();
    let out = Command::new(exe)
        .args(["bench", "bundle", "--via", via_name(via), "--child"])
        .arg(list)
        .arg(zip)
        .stderr(Stdio::inherit())
        .output()
        .context("running the bundle child")?;
    let took = started.elapsed();
    if !out.status.success() {
        bail!("bundle child failed: {}", out.status);
    }
    let hwm = field(&String::from_utf8_lossy(&out.stdout), "vm_hwm_kib")?;
    Ok((took, hwm))
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

fn best(v: Vec<Duration>) -> Duration {
    v.into_iter().min().unwrap_or_default()
}

/// The 1-minute load average, as `/proc/loadavg` says ("?" if unreadable).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn via_name(via: Via) -> &'static str {
    match via {
        Via::Direct => "direct",
        Via::Mmap => "mmap",
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

/// The photos to use: every JPEG under `dir` (re-encoded at phone size for
/// [`Sizes::Phone`]), or generated JPEG-sized files.
fn sources(dir: &Path, sizes: Sizes, scratch: &Path) -> Result<Vec<PathBuf>> {
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
        if sizes == Sizes::Original {
            return Ok(found);
        }
        let (w, h) = PHONE_SIZE;
        let cache = PathBuf::from(format!(".cache/bench/{w}x{h}"));
        eprintln!(
            "phone-sized ({w}×{h}) copies of the {} photos in {} (made once)",
            found.len(),
            cache.display()
        );
        return crate::bench_cmd::images::prepare_sized(dir, &cache, w, h);
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

fn field(report: &str, key: &str) -> Result<u64> {
    report
        .split_whitespace()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .with_context(|| format!("child report {report:?} has no {key}"))?
        .parse()
        .context("child report")
}
