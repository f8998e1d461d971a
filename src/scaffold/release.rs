//! Which hotdesk release the workflow `init` writes downloads, and how it is pinned.
//!
//! The version is this binary's own (`CARGO_PKG_VERSION`): a site made by hotdesk 0.3
//! is built by hotdesk 0.3 in CI, and the release workflow refuses a tag that differs
//! from Cargo.toml's version, so the release always exists under that name.
//!
//! The checksum cannot be built in: a binary cannot contain the sum of the archive it is
//! shipped in. The release workflow publishes the sums (SHA256SUMS, and the exact
//! `init` line in the release notes); `hotdesk init --hotdesk-sha256 SUM` writes it into
//! the workflow, and without it the workflow holds [`SHA256_PLACEHOLDER`] and its
//! install step stops with a message saying where the sum is.
//!
//! The GitHub repository the releases are downloaded from is Cargo.toml's `repository`
//! when it names one on github.com. Cargo.toml has none yet, so it is
//! [`REPOSITORY_PLACEHOLDER`]: adding `repository = "https://github.com/OWNER/hotdesk"`
//! to Cargo.toml is the one-line change that fixes it for every later build.

/// The target of the archive the generated workflow downloads (GitHub's Linux runners).
pub const TARGET: &str = "x86_64-unknown-linux-gnu";

/// Written in place of the checksum when `init` is not given one.
pub const SHA256_PLACEHOLDER: &str = "PLACEHOLDER-sha256-of-the-release-archive";

/// Written in place of `owner/name` while Cargo.toml names no GitHub repository.
pub const REPOSITORY_PLACEHOLDER: &str = "OWNER/hotdesk";

/// The hotdesk release the generated workflow installs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// `owner/name` of hotdesk's GitHub repository.
    pub repository: String,
    /// Without the `v` of the tag.
    pub version: String,
    /// The SHA-256 of `hotdesk-<version>-<TARGET>.tar.gz`, lowercase hex, if known.
    pub sha256: Option<String>,
}

impl Pin {
    /// This binary's release, with the checksum if one was given.
    pub fn current(sha256: Option<String>) -> Pin {
        Pin {
            repository: repository(env!("CARGO_PKG_REPOSITORY")),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            sha256,
        }
    }

    /// The archive's file name on the release page.
    pub fn asset(&self) -> String {
        format!("hotdesk-{}-{TARGET}.tar.gz", self.version)
    }

    /// Whether the workflow can run as written (no placeholder left).
    pub fn is_complete(&self) -> bool {
        self.sha256.is_some() && self.repository != REPOSITORY_PLACEHOLDER
    }
}

/// `owner/name` from a `https://github.com/owner/name` address, or the placeholder.
fn repository(url: &str) -> String {
    url.strip_prefix("https://github.com/")
        .map(|r| r.trim_end_matches('/').trim_end_matches(".git"))
        .filter(|r| r.split('/').count() == 2 && !r.split('/').any(str::is_empty))
        .unwrap_or(REPOSITORY_PLACEHOLDER)
        .to_owned()
}

/// A `--hotdesk-sha256` value: 64 hexadecimal digits, returned in lowercase.
pub fn parse_sha256(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(format!(
            "`{s}` is not a SHA-256 sum (64 hexadecimal digits, as in the release's SHA256SUMS)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_repository_comes_from_a_github_address_or_is_the_placeholder() {
        assert_eq!(repository("https://github.com/a/hotdesk"), "a/hotdesk");
        assert_eq!(repository("https://github.com/a/hotdesk.git/"), "a/hotdesk");
        assert_eq!(repository(""), REPOSITORY_PLACEHOLDER);
        assert_eq!(repository("https://gitlab.com/a/b"), REPOSITORY_PLACEHOLDER);
        assert_eq!(repository("https://github.com/a"), REPOSITORY_PLACEHOLDER);
    }

    #[test]
    fn sums_are_64_hex_digits() {
        let sum = "AB".repeat(32);
        assert_eq!(parse_sha256(&sum).unwrap(), "ab".repeat(32));
        assert!(parse_sha256("abc").is_err());
        assert!(parse_sha256(&"g".repeat(64)).is_err());
    }
}
