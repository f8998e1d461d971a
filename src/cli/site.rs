//! The flags every command that reads a site shares, and the one rule for each:
//! `--root`, `--now` (RFC 3339 or a date; else `$SOURCE_DATE_EPOCH`; else the clock)
//! and `--base-url` (validated as `site.yaml`'s `base_url` is).
//!
//! It turns flags into [`Options`]; it neither loads nor renders anything.

use std::path::PathBuf;

use clap::Args;
use jiff::Timestamp;
use jiff::civil::Date;
use url::Url;

use crate::build::Options;

#[derive(Debug, Clone, Args)]
pub(crate) struct SiteArgs {
    /// The folder holding content/ and themes/.
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// The build's date and time (RFC 3339, e.g. 2026-11-25T12:00:00Z, or a date
    /// YYYY-MM-DD meaning noon UTC). Splits sessions into upcoming and past and seeds
    /// the day's listing order. Defaults to $SOURCE_DATE_EPOCH, then the current time.
    #[arg(long, value_parser = parse_now)]
    pub now: Option<Timestamp>,
}

impl SiteArgs {
    /// `--now`, else `$SOURCE_DATE_EPOCH` (reproducible builds), else the clock.
    pub(crate) fn now(&self) -> Timestamp {
        self.now.unwrap_or_else(|| {
            std::env::var("SOURCE_DATE_EPOCH")
                .ok()
                .and_then(|s| s.trim().parse::<i64>().ok())
                .and_then(|secs| Timestamp::from_second(secs).ok())
                .unwrap_or_else(Timestamp::now)
        })
    }

    pub(crate) fn options(&self) -> Options {
        Options::new(&self.root, self.now())
    }
}

/// `--base-url` of `build` and `serve`: overrides `base_url` of site.yaml, as Zola's and
/// Hugo's flag of that name do (e.g. a preview of a GitHub Pages project site).
#[derive(Debug, Clone, Args)]
pub(crate) struct BaseUrlArg {
    /// The site's address, overriding `base_url` of site.yaml (an absolute http:// or
    /// https:// URL; a trailing slash is added). With a path, e.g.
    /// https://org.github.io/directory/, `serve` serves the site under that path.
    #[arg(long = "base-url", value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<Url>,
}

/// A `--now` value: an RFC 3339 time, or a date meaning noon UTC on that day.
pub fn parse_now(s: &str) -> Result<Timestamp, String> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    if let Ok(d) = s.parse::<Date>() {
        return d
            .at(12, 0, 0, 0)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .map_err(|e| e.to_string());
    }
    Err(format!(
        "`{s}` is neither an RFC 3339 time (2026-11-25T12:00:00Z) nor a date (2026-11-25)"
    ))
}

/// A `--base-url` value, by the rule `validate` applies to site.yaml's `base_url`: an
/// absolute http(s) URL with a host; a trailing slash is added to its path when missing.
pub(crate) fn parse_base_url(s: &str) -> Result<Url, String> {
    let mut url = match Url::parse(s.trim()) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => u,
        Ok(u) => {
            return Err(format!(
                "`{}:` addresses are not allowed here: use an http:// or https:// address",
                u.scheme()
            ));
        }
        Err(e) => {
            return Err(format!(
                "`{s}` is not a valid URL ({e}): write the full address, starting with https://"
            ));
        }
    };
    if !url.path().ends_with('/') {
        let p = format!("{}/", url.path());
        url.set_path(&p);
    }
    Ok(url)
}

/// The calendar day of `now` where the user is, for the examples `new` and `init` write.
pub(crate) fn local_date(now: Timestamp) -> Date {
    now.to_zoned_datetime(jiff::tz::TimeZone::system()).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_a_time_or_a_date_at_noon_utc() {
        assert_eq!(
            parse_now("2026-11-25").unwrap(),
            "2026-11-25T12:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            parse_now("2026-11-25T08:30:00Z").unwrap(),
            "2026-11-25T08:30:00Z".parse::<Timestamp>().unwrap()
        );
        assert!(parse_now("tomorrow").is_err());
    }

    #[test]
    fn base_urls_are_absolute_web_addresses_ending_in_a_slash() {
        assert_eq!(
            parse_base_url("https://org.github.io/directory")
                .unwrap()
                .as_str(),
            "https://org.github.io/directory/"
        );
        assert_eq!(
            parse_base_url(" http://localhost:8080 ").unwrap().as_str(),
            "http://localhost:8080/"
        );
        assert_eq!(
            parse_base_url("https://example.org/a/b/").unwrap().path(),
            "/a/b/"
        );
        for bad in [
            "/directory/",
            "org.github.io",
            "ftp://example.org/",
            "mailto:a@b.c",
            "",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
    }
}
