//! `pam bench labelling`: labelling throughput on this machine, decode through inference,
//! next to the pipeline a Python shop would write (Pillow + onnxruntime), in one run.
//!
//! Workers: one per core, each pulling the next photo from a shared counter and running
//! the stages in turn; each stage's time is summed per image. The stages are a list
//! ([`Stage`]) so the indexing stage slots in as a third timed entry.

#[path = "bench_cmd/baseline.rs"]
mod baseline;
#[path = "bench_cmd/images.rs"]
mod images;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use pam_labeler::{Engine, Labeler};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    /// Skip the Python baseline.
    #[arg(long)]
    no_baseline: bool,
}

/// A timed pipeline stage: given the photo, do the work, report how long each part took.
/// Labelling reports `decode` and `infer`; an `index` stage appends its own entry.
type Stage<'a> = Box<dyn Fn(&[u8]) -> Result<Vec<(&'static str, Duration)>> + Sync + 'a>;

/// Totals of one pipeline run.
struct RunResult {
    name: String,
    images: usize,
    wall: Duration,
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
        let labeler = Labeler::load_with(&args.model, &engine)
            .with_context(|| format!("loading {} with {name}", args.model.display()))?;
        eprintln!("{name}: model loaded in {:.2?}", started.elapsed());
        let index = crate::bench_index::IndexStage::new()?;
        let stages: Vec<Stage> = vec![Box::new(|jpeg: &[u8]| {
            let d = labeler.detect(jpeg)?;
            let indexed = index.index(jpeg, &d.labels)?;
            Ok(vec![
                ("decode", d.timings.decode),
                ("infer", d.timings.infer),
                ("index", indexed),
            ])
        })];
        let label = format!("pam ({name}, {workers} workers)");
        results.push(run_pipeline(label, &stages, &blobs, args.count, workers)?);
    }

    let base = match (&python, args.no_baseline) {
        (Some(python), false) => {
            let b = baseline::measure(python, &args.model, &paths, args.count)?;
            Some(RunResult {
                name: "python (Pillow + onnxruntime, 2 intra-op threads)".to_owned(),
                images: b.images,
                wall: Duration::from_secs_f64(b.seconds),
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

/// Run `count` images through the stages on `workers` threads; sum each stage's time.
fn run_pipeline(
    name: String,
    stages: &[Stage],
    blobs: &[Vec<u8>],
    count: usize,
    workers: usize,
) -> Result<RunResult> {
    // Warm-up outside the clock: first-touch allocations, lazy initialisation.
    for stage in stages {
        stage(&blobs[0])?;
    }
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let per_worker: Vec<Result<Vec<(&'static str, Duration)>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut totals: Vec<(&'static str, Duration)> = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            return Ok(totals);
                        }
                        for stage in stages {
                            for (k, d) in stage(&blobs[i % blobs.len()])? {
                                match totals.iter_mut().find(|(n, _)| *n == k) {
                                    Some((_, t)) => *t += d,
                                    None => totals.push((k, d)),
                                }
                            }
                        }
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("bench worker panicked"))
            .collect()
    });
    let wall = started.elapsed();
    let mut stage_totals: Vec<(&'static str, Duration)> = Vec::new();
    for totals in per_worker {
        for (k, d) in totals? {
            match stage_totals.iter_mut().find(|(n, _)| *n == k) {
                Some((_, t)) => *t += d,
                None => stage_totals.push((k, d)),
            }
        }
    }
    Ok(RunResult {
        name,
        images: count,
        wall,
        stage_totals,
    })
}

fn report(results: &[RunResult], base: Option<&RunResult>) {
    println!(
        "\n{:<52} {:>9} {:>12}  per-image time by stage (one worker)",
        "pipeline", "images/s", "wall ms/img"
    );
    for r in results.iter().chain(base) {
        let stages: Vec<String> = r
            .stage_totals
            .iter()
            .map(|(k, d)| format!("{k} {:.2} ms", d.as_secs_f64() * 1e3 / r.images as f64))
            .collect();
        println!(
            "{:<52} {:>9.1} {:>12.2}  {}",
            r.name,
            r.images_per_s(),
            r.wall.as_secs_f64() * 1e3 / r.images as f64,
            stages.join(", ")
        );
    }
    if let Some(base) = base {
        for r in results {
            println!(
                "ratio {} / python: {:.2}×",
                r.name,
                r.images_per_s() / base.images_per_s()
            );
        }
    }
}
