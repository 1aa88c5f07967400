//! Local accounts for `pam serve`'s sign-in (Cognito's job on AWS): users in their own
//! SQLite file with argon2id password hashes. The account's email is the account's own
//! attribute (it goes into the ID token as Cognito's does); it is never logged, and
//! `Debug` of a [`User`] hides it.
//!
//! Authentication answers one [`AccountError::BadCredentials`] for a wrong name and a
//! wrong password alike, and spends the same hashing time on both.

mod password;
mod username;

pub use password::{
    MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, PasswordError, generate as generate_password,
};
pub use username::{Username, UsernameError};

use crate::db::{Db, is_busy};
use chrono::{DateTime, Utc};
use pam_core::NotifyTarget;
use rusqlite::{OptionalExtension, params};
use std::fmt;
use std::path::{Path, PathBuf};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    email TEXT,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
";

/// The name of the account created on first start.
pub const FIRST_USER: &str = "admin";

/// What went wrong with an account operation. Never contains a password or an email.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// Unknown user or wrong password (deliberately not told apart).
    #[error("wrong user name or password")]
    BadCredentials,
    /// `add` of a name that exists.
    #[error("a user named {0} already exists")]
    AlreadyExists(Username),
    /// No such user.
    #[error("no user named {0}")]
    NotFound(Username),
    /// A bad user name.
    #[error(transparent)]
    Username(#[from] UsernameError),
    /// A bad email address.
    #[error("{0}")]
    Email(pam_core::NotifyTargetError),
    /// A bad password.
    #[error(transparent)]
    Password(#[from] PasswordError),
    /// The database failed.
    #[error("accounts database {path}: {source}")]
    Db {
        /// Its file.
        path: PathBuf,
        /// Cause.
        source: rusqlite::Error,
    },
}

impl AccountError {
    /// Whether retrying may help (the database was busy).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Db { source, .. } if is_busy(source))
    }
}

/// An account.
#[derive(Clone, PartialEq, Eq)]
pub struct User {
    /// Stable id (a UUID): the token's `sub`.
    pub id: String,
    /// Sign-in name.
    pub name: Username,
    /// The account's email, if it has one.
    pub email: Option<String>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("email", &self.email.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// The accounts database.
#[derive(Debug, Clone)]
pub struct Accounts {
    db: Db,
    path: PathBuf,
}

type Row = (String, String, Option<String>, String, String);

fn user_from(row: Row) -> Result<(User, String), rusqlite::Error> {
    let (id, name, email, hash, created) = row;
    let name = Username::parse(&name).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
    })?;
    let created_at = crate::parse_store_ts(&created)?;
    Ok((
        User {
            id,
            name,
            email,
            created_at,
        },
        hash,
    ))
}

const SELECT: &str = "SELECT id, name, email, password_hash, created_at FROM users";

impl Accounts {
    /// Opens (creating) the accounts file.
    pub fn open(path: &Path) -> Result<Self, AccountError> {
        let db = Db::open(path, "accounts", SCHEMA).map_err(|source| AccountError::Db {
            path: path.to_owned(),
            source,
        })?;
        Ok(Self {
            db,
            path: path.to_owned(),
        })
    }

    fn db_err(&self) -> impl Fn(rusqlite::Error) -> AccountError + use<> {
        let path = self.path.clone();
        move |source| AccountError::Db {
            path: path.clone(),
            source,
        }
    }

    /// Creates an account. The email is validated like a download address.
    pub async fn add(
        &self,
        name: &Username,
        email: Option<&str>,
        password: &str,
    ) -> Result<User, AccountError> {
        let email = match email {
            Some(e) => Some(
                NotifyTarget::email(e)
                    .map_err(AccountError::Email)?
                    .expose()
                    .to_owned(),
            ),
            None => None,
        };
        let hash = hash_blocking(password).await?;
        let user = User {
            id: uuid::Uuid::new_v4().to_string(),
            name: name.clone(),
            email,
            created_at: Utc::now(),
        };
        let row = user.clone();
        let err = self.db_err();
        let inserted = self
            .db
            .call(move |c| {
                c.execute(
                    "INSERT OR IGNORE INTO users (id, name, email, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![row.id, row.name.as_str(), row.email, hash, crate::store_ts(row.created_at)],
                )
            })
            .await
            .map_err(err)?;
        if inserted == 0 {
            return Err(AccountError::AlreadyExists(name.clone()));
        }
        tracing::info!(user = %name, "account created");
        Ok(user)
    }

    /// Creates the first account ([`FIRST_USER`], a generated password, no email) when
    /// there is none; returns it with its password, which is shown once and never stored.
    pub async fn ensure_first(&self) -> Result<Option<(User, String)>, AccountError> {
        if self.count().await? > 0 {
            return Ok(None);
        }
        let name = Username::parse(FIRST_USER)?;
        let password = password::generate();
        match self.add(&name, None, &password).await {
            Ok(user) => Ok(Some((user, password))),
            // Another process created it in between.
            Err(AccountError::AlreadyExists(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Checks a name and password; the same error and about the same time for both kinds of mistake.
    pub async fn authenticate(&self, name: &str, password: &str) -> Result<User, AccountError> {
        let found = match Username::parse(name) {
            Ok(name) => self.find(&name).await?,
            Err(_) => None,
        };
        let (user, hash) = match found {
            Some((user, hash)) => (Some(user), hash),
            None => (None, password::decoy_hash().to_owned()),
        };
        let password = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || password::verify(&password, &hash))
            .await
            .unwrap_or(false);
        match user {
            Some(user) if ok => Ok(user),
            _ => Err(AccountError::BadCredentials),
        }
    }

    async fn find(&self, name: &Username) -> Result<Option<(User, String)>, AccountError> {
        let name = name.as_str().to_owned();
        let err = self.db_err();
        self.db
            .call(move |c| {
                c.query_row(&format!("{SELECT} WHERE name = ?1"), [name], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()?
                .map(user_from)
                .transpose()
            })
            .await
            .map_err(err)
    }

    /// One account.
    pub async fn get(&self, name: &Username) -> Result<User, AccountError> {
        self.find(name)
            .await?
            .map(|(u, _)| u)
            .ok_or_else(|| AccountError::NotFound(name.clone()))
    }

    /// Every account, by name.
    pub async fn list(&self) -> Result<Vec<User>, AccountError> {
        let err = self.db_err();
        self.db
            .call(move |c| {
                let mut stmt = c.prepare(&format!("{SELECT} ORDER BY name"))?;
                let rows = stmt.query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?;
                rows.map(|r| r.and_then(user_from).map(|(u, _)| u))
                    .collect()
            })
            .await
            .map_err(err)
    }

    /// How many accounts exist.
    pub async fn count(&self) -> Result<u64, AccountError> {
        let err = self.db_err();
        self.db
            .call(|c| c.query_row("SELECT COUNT(*) FROM users", [], |r| r.get::<_, i64>(0)))
            .await
            .map(|n| n as u64)
            .map_err(err)
    }

    /// Replaces an account's password.
    pub async fn set_password(&self, name: &Username, password: &str) -> Result<(), AccountError> {
        let hash = hash_blocking(password).await?;
        let key = name.as_str().to_owned();
        let err = self.db_err();
        let changed = self
            .db
            .call(move |c| {
                c.execute(
                    "UPDATE users SET password_hash = ?1 WHERE name = ?2",
                    params![hash, key],
                )
            })
            .await
            .map_err(err)?;
        if changed == 0 {
            return Err(AccountError::NotFound(name.clone()));
        }
        Ok(())
    }
}

async fn hash_blocking(password: &str) -> Result<String, AccountError> {
    password::check_new(password)?;
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|e| AccountError::Password(PasswordError::Hash(e.to_string())))?
        .map_err(AccountError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open() -> (tempfile::TempDir, Accounts) {
        let dir = tempfile::tempdir().unwrap();
        let accounts = Accounts::open(&dir.path().join("accounts.sqlite")).unwrap();
        (dir, accounts)
    }

    #[tokio::test]
    async fn add_authenticate_and_refuse() {
        let (_dir, a) = open();
        let ana = Username::parse("Ana").unwrap();
        let user = a
            .add(&ana, Some("ana@example.com"), "a long pass")
            .await
            .unwrap();
        assert_eq!(user.name.as_str(), "ana");
        assert!(
            !format!("{user:?}").contains("example.com"),
            "Debug hides the email"
        );
        let again = a.authenticate("ANA", "a long pass").await.unwrap();
        assert_eq!(again.id, user.id);
        assert_eq!(again.email.as_deref(), Some("ana@example.com"));
        assert!(matches!(
            a.authenticate("ana", "wrong pass").await,
            Err(AccountError::BadCredentials)
        ));
        assert!(matches!(
            a.authenticate("nobody", "a long pass").await,
            Err(AccountError::BadCredentials)
        ));
        assert!(matches!(
            a.authenticate("bad name!", "a long pass").await,
            Err(AccountError::BadCredentials)
        ));
        assert!(matches!(
            a.add(&ana, None, "another pass").await,
            Err(AccountError::AlreadyExists(_))
        ));
        assert!(matches!(
            a.add(
                &Username::parse("bo").unwrap(),
                Some("not-an-email"),
                "a long pass"
            )
            .await,
            Err(AccountError::Email(_))
        ));
        assert!(matches!(
            a.add(&Username::parse("bo").unwrap(), None, "short").await,
            Err(AccountError::Password(PasswordError::Length))
        ));
        a.set_password(&ana, "changed pass").await.unwrap();
        assert!(a.authenticate("ana", "changed pass").await.is_ok());
        assert_eq!(a.list().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn first_user_is_created_once() {
        let (_dir, a) = open();
        let (user, password) = a.ensure_first().await.unwrap().expect("created");
        assert_eq!(user.name.as_str(), FIRST_USER);
        assert!(a.authenticate(FIRST_USER, &password).await.is_ok());
        assert!(a.ensure_first().await.unwrap().is_none());
        assert_eq!(a.count().await.unwrap(), 1);
    }

    #[tokio::test]
    async fn no_plaintext_password_on_disk() {
        let (dir, a) = open();
        a.add(&Username::parse("cy").unwrap(), None, "PlainTextSecret42")
            .await
            .unwrap();
        drop(a);
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            let needle = b"PlainTextSecret42";
            assert!(!bytes.windows(needle.len()).any(|w| w == needle));
        }
    }
}
