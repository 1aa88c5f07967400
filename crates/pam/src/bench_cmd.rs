//! `pam bench labelling`: labelling throughput on this machine, decode through inference,
//! next to the pipeline a Python shop would write (Pillow + onnxruntime), in one run.
//!
//! Workers: one per core, each pulling the next photo from a shared counter, decoding it
//! and running the model; each hands the labels to one index thread (as IndexLabels runs
//! as a step of its own, after DetectLabels), which fingerprints the photo and indexes it
//! in SQLite. Indexing mostly waits for the disk (a commit is an fsync), so it overlaps
//! with the next photos' decoding instead of idling a core. The clock stops when the last
//! photo is indexed; each stage's time is summed per image.

#[path = "bench_cmd/baseline.rs"]
mod baseline;
#[path = "bench_cmd/images.rs"]
pub(crate) mod images;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use pam_labeler::{DetectedLabel, Engine, Labeler, Timings};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Benchmarks (run them in release: `cargo run --release -p pam -- bench …`).
#[derive(Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: BenchWhat,
}

#[derive(Subcommand)]
enum BenchWhat {
    /// Labelling throughput (images/s) on 1024×768 JPEGs, and our ratio to a Python baseline.
    Labelling(LabellingArgs),
    /// Bundle throughput against `cat` of the same photos, and the bundle's peak RSS.
    Bundle(crate::bench_bundle::BenchBundleArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EngineChoice {
    Tract,
    /// onnxruntime (needs a build with `--features ort`).
    Ort,
    /// Every engine compiled in.
    All,
}

#[derive(Args)]
struct LabellingArgs {
    /// Folder of photos to make the 1024×768 bench JPEGs from.
    #[arg(long, default_value = ".cache/photos")]
    images: PathBuf,
    /// Number of images to label per pipeline (cycling through the photos).
    #[arg(long, default_value_t = 300)]
    count: usize,
    /// The ONNX model.
    #[arg(long, default_value = pam_labeler::DEFAULT_MODEL_PATH)]
    model: PathBuf,
    /// Worker threads (default: one per core).
    #[arg(long)]
    workers: Option<usize>,
    /// Inference engine(s) for our pipeline.
    #[arg(long, value_enum, default_value = "all")]
    engine: EngineChoice,
    /// Decode each JPEG at the smallest DCT scale whose sides are ≥ this (default: the
    /// labeller's; 1024×768 decodes at 1/2 scale for 224..=384, at 1/4 for 97..=192).
    #[arg(long)]
    min_decoded_side: Option<u32>,
    /// Skip the Python baseline.
    #[arg(long)]
    no_baseline: bool,
}

/// The detection stage: given the photo, label it and say how long each part took.
type Detect<'a> = dyn Fn(&[u8]) -> Result<(Vec<DetectedLabel>, Timings)> + Sync + 'a;
/// The index stage: given the photo and its labels, index it; returns the time it took.
type Index<'a> = dyn Fn(&[u8], &[DetectedLabel]) -> Result<Duration> + Sync + 'a;

/// Totals of one pipeline run.
struct RunResult {
    name: String,
    images: usize,
    wall: Duration,
    /// CPU time (user + system) the process spent in the run, all threads.
    cpu: Duration,
    stage_totals: Vec<(&'static str, Duration)>,
}

impl RunResult {
    fn images_per_s(&self) -> f64 {
        self.images as f64 / self.wall.as_secs_f64()
    }
}

pub fn run(args: BenchArgs) -> ExitCode {
    let args = match args.what {
        BenchWhat::Labelling(args) => args,
        BenchWhat::Bundle(args) => {
            return match crate::bench_bundle::run(args) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("pam bench bundle: {e:#}");
                    ExitCode::FAILURE
                }
            };
        }
    };
    match labelling(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pam bench labelling: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn labelling(args: LabellingArgs) -> Result<()> {
    if cfg!(debug_assertions) {
        eprintln!("warning: debug build; run `cargo run --release -p pam -- bench labelling`");
    }
    if args.count == 0 {
        bail!("--count must be at least 1");
    }
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let paths = images::prepare(&args.images, Path::new(".cache/bench/1024x768"))?;
    let blobs: Vec<Vec<u8>> = paths
        .iter()
        .map(|p| std::fs::read(p).with_context(|| format!("reading {}", p.display())))
        .collect::<Result<_>>()?;
    println!(
        "{} images of {}×{} (from {} photos in {}), {} workers",
        args.count,
        images::WIDTH,
        images::HEIGHT,
        blobs.len(),
        args.images.display(),
        workers
    );

    // The venv gives the baseline its Python and the ort engine its libonnxruntime.so.
    let wants_ort = cfg!(feature = "ort") && args.engine != EngineChoice::Tract;
    let python = if !args.no_baseline || wants_ort {
        Some(baseline::ensure_venv(Path::new(".cache/venv-bench"))?)
    } else {
        None
    };

    let mut engines = Vec::new();
    if args.engine != EngineChoice::Ort {
        engines.push(("tract", Engine::Tract));
    }
    if args.engine != EngineChoice::Tract {
        engines.extend(ort_engine(
            python.as_deref(),
            workers,
            args.engine == EngineChoice::Ort,
        )?);
    }
    let mut results = Vec::new();
    for (name, engine) in engines {
        let started = Instant::now();
        let mut labeler = Labeler::load_with(&args.model, &engine)
            .with_context(|| format!("loading {} with {name}", args.model.display()))?;
        if let Some(side) = args.min_decoded_side {
            labeler = labeler.with_min_decoded_side(side);
        }
        eprintln!("{name}: model loaded in {:.2?}", started.elapsed());
        let index = crate::bench_index::IndexStage::new()?;
        let detect = |jpeg: &[u8]| {
            let d = labeler.detect(jpeg)?;
            Ok((d.labels, d.timings))
        };
        let index = |jpeg: &[u8], labels: &[DetectedLabel]| index.index(jpeg, labels);
        let label = format!("pam ({name}, {workers} workers + indexer)");
        results.push(run_pipeline(
            label, &detect, &index, &blobs, args.count, workers,
        )?);
    }

    let base = match (&python, args.no_baseline) {
        (Some(python), false) => {
            let b = baseline::measure(python, &args.model, &paths, args.count)?;
            Some(RunResult {
                name: "python (Pillow + onnxruntime, 2 intra-op threads)".to_owned(),
                images: b.images,
                wall: Duration::from_secs_f64(b.seconds),
                cpu: Duration::from_secs_f64(b.cpu_s),
                stage_totals: vec![
                    ("decode", Duration::from_secs_f64(b.decode_s)),
                    ("infer", Duration::from_secs_f64(b.infer_s)),
                ],
            })
        }
        _ => None,
    };
    report(&results, base.as_ref());
    Ok(())
}

#[cfg(feature = "ort")]
fn ort_engine(
    python: Option<&Path>,
    workers: usize,
    _required: bool,
) -> Result<Vec<(&'static str, Engine)>> {
    let python = python.context("the ort engine needs the bench venv")?;
    let dylib = baseline::onnxruntime_dylib(python)?;
    Ok(vec![(
        "ort",
        Engine::Ort {
            dylib,
            sessions: workers,
        },
    )])
}

#[cfg(not(feature = "ort"))]
fn ort_engine(
    _python: Option<&Path>,
    _workers: usize,
    required: bool,
) -> Result<Vec<(&'static str, Engine)>> {
    if required {
        bail!(
            "this pam was built without the `ort` feature (cargo run --release -p pam --features ort …)"
        );
    }
    eprintln!("note: built without `--features ort`; measuring tract only");
    Ok(Vec::new())
}

/// Run `count` images through detection on `workers` threads and indexing on one more;
/// sum each stage's time.
fn run_pipeline(
    name: String,
    detect: &Detect,
    index: &Index,
    blobs: &[Vec<u8>],
    count: usize,
    workers: usize,
) -> Result<RunResult> {
    // Warm-up outside the clock: first-touch allocations, lazy initialisation.
    let (labels, _) = detect(&blobs[0])?;
    index(&blobs[0], &labels)?;
    let next = AtomicUsize::new(0);
    let cpu_before = process_cpu();
    let started = Instant::now();
    let (tx, rx) = mpsc::sync_channel::<(usize, Vec<DetectedLabel>)>(4 * workers);
    let (detected, indexed) = std::thread::scope(|s| {
        let indexer = s.spawn(move || -> Result<Duration> {
            let mut total = Duration::ZERO;
            for (i, labels) in rx {
                total += index(&blobs[i % blobs.len()], &labels)?;
            }
            Ok(total)
        });
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let tx = tx.clone();
                let next = &next;
                s.spawn(move || -> Result<(Duration, Duration)> {
                    let (mut decode, mut infer) = (Duration::ZERO, Duration::ZERO);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            return Ok((decode, infer));
                        }
                        let (labels, t) = detect(&blobs[i % blobs.len()])?;
                        decode += t.decode;
                        infer += t.infer;
                        if tx.send((i, labels)).is_err() {
                            bail!("the index thread stopped");
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        let detected: Vec<_> = handles
            .into_iter()
            .map(|h| h.join().expect("bench worker panicked"))
            .collect();
        (detected, indexer.join().expect("bench indexer panicked"))
    });
    let wall = started.elapsed();
    let cpu = process_cpu().saturating_sub(cpu_before);
    // The indexer's error explains a worker's "index thread stopped": report it first.
    let indexed = indexed?;
    let (mut decode, mut infer) = (Duration::ZERO, Duration::ZERO);
    for d in detected {
        let (dd, di) = d?;
        decode += dd;
        infer += di;
    }
    Ok(RunResult {
        name,
        images: count,
        wall,
        cpu,
        stage_totals: vec![("decode", decode), ("infer", infer), ("index", indexed)],
    })
}

/// User + system CPU time of this process so far, all threads.
fn process_cpu() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn report(results: &[RunResult], base: Option<&RunResult>) {
    println!(
        "\n{:<52} {:>9} {:>12} {:>11}  per-image time by stage (one worker)",
        "pipeline", "images/s", "wall ms/img", "CPU ms/img"
    );
    let per_image = |d: Duration, r: &RunResult| d.as_secs_f64() * 1e3 / r.images as f64;
    for r in results.iter().chain(base) {
        let stages: Vec<String> = r
            .stage_totals
            .iter()
            .map(|(k, d)| format!("{k} {:.2} ms", per_image(*d, r)))
            .collect();
        println!(
            "{:<52} {:>9.1} {:>12.2} {:>11.2}  {}",
            r.name,
            r.images_per_s(),
            per_image(r.wall, r),
            per_image(r.cpu, r),
            stages.join(", ")
        );
    }
    if let Some(base) = base {
        for r in results {
            println!(
                "ratio {} / python: {:.2}× (images/s); CPU per image: {:.2}× less",
                r.name,
                r.images_per_s() / base.images_per_s(),
                base.cpu.as_secs_f64() / r.cpu.as_secs_f64()
            );
        }
    }
    println!(
        "load average (1 min): {}",
        std::fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().next().map(str::to_owned))
            .unwrap_or_else(|| "?".to_owned())
    );
}
