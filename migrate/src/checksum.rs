//! The checksum of a migration's `up.sql`: SHA-256, in lower-case hex.

use std::fmt::Write;

use sha2::{Digest, Sha256};

/// The SHA-256 of `text`, as 64 lower-case hex digits. The applied-migrations
/// table keeps it for each applied migration; a later run compares it with
/// the file to notice an edit.
///
/// ```
/// assert_eq!(
///     quarry_migrate::checksum(""),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn checksum(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut hex = String::with_capacity(64);
    for byte in digest.iter() {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}
