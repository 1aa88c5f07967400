//! The AWS adapters against moto (an AWS wire-protocol server on 127.0.0.1): the same
//! port conformance scenarios the local adapters pass, plus the adapter's own
//! features. Needs `PAM_AWS_ENDPOINT` (see `scripts/moto.sh`); without it every test
//! says loudly that it skipped. Each test makes its own bucket or table.

mod archive;
mod helpers;
mod index;
mod labeler;
mod presign;
mod store;
mod wire;
