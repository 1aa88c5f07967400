//! `pam serve`: the REST API of the design, local sign-in, presigned links and the React
//! app, over the local world — with the engine running inside (labelling starts from
//! object-created events; executions left RUNNING by an earlier process resume).
//!
//! # Layout
//! - `routes.rs`: the route table (method, path, access) the router, the OpenAPI test
//!   and the API tests' auth matrix share.
//! - `auth.rs`: ID tokens (Cognito-shaped claims), the bearer middleware, part grants.
//! - `api.rs` (login, labels, outbox, executions), `uploads.rs`, `links.rs` (presigned
//!   GET with Range / PUT), `downloads.rs`, `ui.rs` (static app, `/config.json`),
//!   `openapi.rs` (+ `openapi.json`), `spool.rs` (bounded, checked upload bodies),
//!   `error.rs` (the JSON error shape), `state.rs`.
//!
//! Shutdown (SIGINT/SIGTERM): stop accepting, let in-flight requests finish, stop the
//! event dispatcher; executions are checkpointed at every transition, so the next start
//! resumes whatever was running.

mod api;
mod auth;
mod downloads;
mod error;
mod links;
mod openapi;
mod routes;
mod spool;
mod state;
mod ui;
mod uploads;

use crate::world::{World, WorldArgs};
use anyhow::Context;
use clap::Args;
use pam_local::accounts::Accounts;
use pam_local::presign::LocalPresigner;
use state::{AppState, Limits};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// `pam serve` options.
#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    world: WorldArgs,
    /// Address to listen on (port 0 picks a free one; the URL is printed).
    #[arg(long, env = "PAM_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The built web app (default frontend/dist).
    #[arg(long, env = "PAM_UI_DIR")]
    ui: Option<PathBuf>,
    /// The URL browsers reach this server at, for links (default http://<listen address>).
    #[arg(long, env = "PAM_PUBLIC_URL")]
    public_url: Option<url::Url>,
    /// How long a sign-in lasts.
    #[arg(long, default_value_t = 3600)]
    token_ttl_seconds: u64,
    /// Largest photo accepted, in bytes.
    #[arg(long, default_value_t = Limits::default().max_upload)]
    max_upload_bytes: u64,
    /// Photos larger than this are uploaded in parts, in bytes.
    #[arg(long, default_value_t = Limits::default().multipart_over)]
    multipart_over_bytes: u64,
    /// Part size of multipart uploads, in bytes (at least 5 MiB).
    #[arg(long, default_value_t = Limits::default().part_size)]
    part_size_bytes: u64,
}

/// Runs `pam serve`.
pub fn run(args: ServeArgs) -> ExitCode {
    crate::world::init_logging();
    // Bind before anything else: with port 0 the public URL needs the real port, and it
    // must be in the environment (the world's Presign step reads PAM_PUBLIC_URL) before
    // any thread starts.
    let listener = match std::net::TcpListener::bind(args.listen) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("pam serve: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let local = listener
        .local_addr()
        .expect("a bound socket has an address");
    let public_url = match &args.public_url {
        Some(url) => url.clone(),
        None => url::Url::parse(&format!("http://{local}")).expect("a socket address makes a URL"),
    };
    // SAFETY: no other thread exists yet (the runtime is created below).
    unsafe { std::env::set_var("PAM_PUBLIC_URL", public_url.as_str().trim_end_matches('/')) };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(serve(args, listener, public_url)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pam serve: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(
    args: ServeArgs,
    listener: std::net::TcpListener,
    public_url: url::Url,
) -> anyhow::Result<()> {
    let ui_dir = args.ui.clone().unwrap_or_else(ui::default_dir);
    ui::check(&ui_dir)?;
    let data_dir = args.world.data_dir()?;
    let world = Arc::new(World::open(&args.world).await?);
    if let Err(e) = world.require_model().await {
        tracing::warn!(error = %e, "labelling will wait for the model");
        eprintln!(
            "pam serve: warning: {e}; uploads are stored and labelled once the model is there"
        );
    }
    let accounts = Accounts::open(&data_dir.join("accounts.sqlite"))?;
    if let Some((user, password)) = accounts.ensure_first().await? {
        println!(
            "pam serve: created the first user '{}' with password: {password}",
            user.name
        );
        println!("pam serve: (shown only this once; add users with `pam user add NAME --email E`)");
    }
    let key = auth::load_or_create_key(&data_dir.join("secrets").join("jwt.key"))?;
    let issuer = public_url.as_str().trim_end_matches('/').to_owned();
    let tokens = Arc::new(auth::Tokens::new(
        &key,
        issuer,
        Duration::from_secs(args.token_ttl_seconds),
    ));
    let links = Arc::new(LocalPresigner::open(&data_dir, public_url.clone())?);
    if args.part_size_bytes < pam_core::ports::store::MIN_PART_SIZE {
        anyhow::bail!("--part-size-bytes must be at least 5 MiB (S3's minimum part size)");
    }
    let state = AppState {
        world: world.clone(),
        accounts,
        tokens,
        links,
        limits: Limits {
            max_upload: args.max_upload_bytes,
            multipart_over: args.multipart_over_bytes,
            part_size: args.part_size_bytes,
            ..Limits::default()
        },
        spool_dir: data_dir.join("tmp").join("uploads"),
        outbox_dir: data_dir.join("outbox"),
        public_url: public_url.clone(),
    };
    let app = routes::router(state, &ui_dir);

    // The engine: resume what an earlier process left, pick up queued executions,
    // deliver object-created events, expire old bundles — until shutdown.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let chores = {
        let world = world.clone();
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            world
                .run_engine(async move {
                    let _ = stopped.wait_for(|s| *s).await;
                })
                .await
        })
    };

    // Handlers are installed before the URL is printed: a signal from then on is a
    // graceful shutdown, never the default kill.
    let shutdown = shutdown_signal()?;
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    println!(
        "pam serve: listening on {}",
        public_url.as_str().trim_end_matches('/')
    );
    tracing::info!(url = %public_url, ui = %ui_dir.display(), "serving");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
        .context("serving HTTP")?;
    eprintln!(
        "pam serve: stopping (in-flight requests finished; running executions resume at the next start)"
    );
    let _ = stop.send(true);
    match tokio::time::timeout(Duration::from_secs(10), chores).await {
        Ok(Err(e)) => tracing::warn!(error = %e, "the engine chores panicked"),
        Err(_) => tracing::warn!("the engine chores did not stop within 10 s"),
        Ok(Ok(())) => {}
    }
    Ok(())
}

/// Installs SIGINT/SIGTERM handlers now; the future resolves at the first of them.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {},
            _ = int.recv() => {},
        }
    })
}
