//! Downloads on one machine, end to end, through the real `pam` binary: real photos
//! imported and gone cold, a bundle requested at the Expedited tier with the link
//! mailed through a real SMTP server on 127.0.0.1 (Python aiosmtpd); `kill -9` during
//! the restore wait and during BuildBundle; and the CLI's contract (JSON shapes, exit
//! codes, bad input, dry-run figures against what the job then does).
//! Needs `.cache/models`, `.cache/photos` (scripts/fetch-model.sh, fetch-photos.sh),
//! Python with aiosmtpd (scripts/ci/smtp.sh, or PAM_TEST_PYTHON) and `unzip`: without
//! them the tests skip loudly, unless PAM_REQUIRE_ASSETS=1.
//! Test knobs used: PAM_RESTORE_DELAYS=<dur> (every restore takes that long) and
//! PAM_TEST_PART_DELAY_MS (slow, small bundle parts; see crates/pam/src/slow_parts.rs).

mod contract;
mod e2e;
mod helpers;
mod kill;
