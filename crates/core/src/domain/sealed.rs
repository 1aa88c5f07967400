//! A notification address sealed for transport: the download execution's input (kept in
//! Step Functions' history for 90 days) carries the address only encrypted with a key
//! that belongs to the job and is erased when the job's channel closes
//! (crypto-shredding). The AEAD is XChaCha20-Poly1305; the job id and the address kind
//! are bound as associated data, so a sealed address cannot be moved to another job.

use crate::domain::{JobId, NotifyTarget};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a sealed address could not be opened or made. Never contains the address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    /// Not the shape `seal` produces (bad base64, too short, unknown kind).
    #[error("sealed address is malformed: {0}")]
    Malformed(&'static str),
    /// Wrong key, wrong job, or altered ciphertext.
    #[error("sealed address does not open with this job's key (altered, or another job's)")]
    WrongKey,
    /// A key of the wrong length.
    #[error("a job key must be 32 bytes, not {0}")]
    KeyLength(usize),
}

/// A job's 256-bit sealing key. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct JobKey([u8; 32]);

impl JobKey {
    /// A fresh random key.
    pub fn generate() -> Self {
        let mut k = [0u8; 32];
        rand::fill(&mut k);
        Self(k)
    }

    /// A key read back from storage.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, SealError> {
        let k: [u8; 32] = bytes
            .try_into()
            .map_err(|_| SealError::KeyLength(bytes.len()))?;
        Ok(Self(k))
    }

    /// The key material, for the adapter that stores it.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn aad(job: &JobId, kind: &str) -> Vec<u8> {
        format!("pam-notify-v1|{job}|{kind}").into_bytes()
    }

    /// Seals `target` for `job`.
    pub fn seal(&self, job: &JobId, target: &NotifyTarget) -> SealedTarget {
        let mut nonce = [0u8; 24];
        rand::fill(&mut nonce);
        self.seal_with_nonce(job, target, nonce)
    }

    /// Seals `target` for `job` with a nonce derived from the key, the job and the
    /// address (a synthetic IV), so sealing the same address for the same job twice
    /// gives the same text: a retried download request then yields the same execution
    /// input (Step Functions refuses a second start under one name with other input).
    /// It reveals only that two sealings under one job's key hold the same address.
    pub fn seal_deterministic(&self, job: &JobId, target: &NotifyTarget) -> SealedTarget {
        use sha2::Digest;
        let aad = Self::aad(job, target.kind());
        let mut h = sha2::Sha256::new();
        h.update(b"pam-notify-nonce-v1");
        h.update(self.0);
        h.update((aad.len() as u64).to_be_bytes());
        h.update(&aad);
        h.update(target.expose().as_bytes());
        let digest = h.finalize();
        let mut nonce = [0u8; 24];
        nonce.copy_from_slice(&digest[..24]);
        self.seal_with_nonce(job, target, nonce)
    }

    fn seal_with_nonce(&self, job: &JobId, target: &NotifyTarget, nonce: [u8; 24]) -> SealedTarget {
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let kind = target.kind();
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: target.expose().as_bytes(),
                    aad: &Self::aad(job, kind),
                },
            )
            .expect("XChaCha20-Poly1305 encryption of a short message cannot fail");
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        SealedTarget {
            kind: kind.to_owned(),
            sealed: B64.encode(blob),
        }
    }

    /// Opens a sealed address of `job`.
    pub fn open(&self, job: &JobId, sealed: &SealedTarget) -> Result<NotifyTarget, SealError> {
        if sealed.kind != "email" && sealed.kind != "phone" {
            return Err(SealError::Malformed("kind must be \"email\" or \"phone\""));
        }
        let blob = B64
            .decode(&sealed.sealed)
            .map_err(|_| SealError::Malformed("not URL-safe base64"))?;
        if blob.len() < 24 + 16 {
            return Err(SealError::Malformed("too short"));
        }
        let (nonce, ct) = blob.split_at(24);
        let cipher = XChaCha20Poly1305::new((&self.0).into());
        let plain = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: &Self::aad(job, &sealed.kind),
                },
            )
            .map_err(|_| SealError::WrongKey)?;
        let text = String::from_utf8(plain).map_err(|_| SealError::WrongKey)?;
        let target = if sealed.kind == "email" {
            NotifyTarget::email(text)
        } else {
            NotifyTarget::phone(text)
        };
        // A key that opens the box but yields an invalid address means the sealer was buggy.
        target.map_err(|_| SealError::Malformed("the opened address does not validate"))
    }
}

impl fmt::Debug for JobKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JobKey(<redacted>)")
    }
}

/// An address as it travels in an execution's input: its kind in clear (so a UI can say
/// "we will email you"), the address encrypted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedTarget {
    /// `"email"` or `"phone"`.
    pub kind: String,
    /// URL-safe base64 of nonce ‖ ciphertext ‖ tag.
    pub sealed: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens_only_for_its_job_and_key() {
        let job = JobId::parse("job-1").unwrap();
        let key = JobKey::generate();
        let target = NotifyTarget::email("person@example.com").unwrap();
        let sealed = key.seal(&job, &target);
        assert!(!sealed.sealed.contains("person"));
        assert_eq!(key.open(&job, &sealed).unwrap(), target);
        let other_job = JobId::parse("job-2").unwrap();
        assert_eq!(key.open(&other_job, &sealed), Err(SealError::WrongKey));
        assert_eq!(
            JobKey::generate().open(&job, &sealed),
            Err(SealError::WrongKey)
        );
        let mut flipped = sealed.clone();
        flipped.kind = "phone".into();
        assert_eq!(key.open(&job, &flipped), Err(SealError::WrongKey));
        let mut bad = sealed.clone();
        bad.sealed
            .replace_range(40..41, if &bad.sealed[40..41] == "A" { "B" } else { "A" });
        assert_eq!(key.open(&job, &bad), Err(SealError::WrongKey));
        let back = JobKey::from_bytes(key.as_bytes()).unwrap();
        assert_eq!(back.open(&job, &sealed).unwrap(), target);
        assert!(JobKey::from_bytes(&[0; 31]).is_err());
        assert_eq!(format!("{key:?}"), "JobKey(<redacted>)");
    }

    #[test]
    fn deterministic_sealing_repeats_only_for_the_same_job_key_and_address() {
        let job = JobId::parse("job-1").unwrap();
        let key = JobKey::generate();
        let target = NotifyTarget::email("person@example.com").unwrap();
        let a = key.seal_deterministic(&job, &target);
        assert_eq!(a, key.seal_deterministic(&job, &target));
        assert_eq!(key.open(&job, &a).unwrap(), target);
        let other = NotifyTarget::email("other@example.com").unwrap();
        assert_ne!(a, key.seal_deterministic(&job, &other));
        assert_ne!(a, JobKey::generate().seal_deterministic(&job, &target));
        let job2 = JobId::parse("job-2").unwrap();
        assert_ne!(a, key.seal_deterministic(&job2, &target));
        assert_ne!(a, key.seal(&job, &target));
    }
}
