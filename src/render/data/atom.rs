//! `/feeds/spaces.atom` and `/feeds/sessions.atom`.

use std::collections::BTreeSet;

use super::super::escape::xml_escape;
use super::super::markdown::{self, EXCERPT_CHARS};
use super::*;

/// Appends `s` escaped as by [`xml_escape`], without its intermediate strings.
pub(super) fn push_xml_escaped(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&apos;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// The end of an Atom feed.
const ATOM_END: &str = "</feed>\n";

impl Data<'_> {
    /// The feed's head, up to its first entry; the entries follow, then [`ATOM_END`].
    fn atom_head(&self, s: &mut String, feed_path: &str, title: &str, updated: Timestamp) {
        let c = &self.site.config;
        let author = c.publisher.as_deref().unwrap_or(&c.title);
        s.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        s.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        s.push_str(&format!(
            "  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"self\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{}</updated>\n  <author><name>{}</name></author>\n",
            xml_escape(title),
            xml_escape(&self.url(feed_path)),
            xml_escape(&self.url(feed_path)),
            xml_escape(self.base()),
            rfc3339(updated),
            xml_escape(author),
        ));
        if let Some(l) = &c.licence {
            s.push_str(&format!("  <rights>{}</rights>\n", xml_escape(l)));
        }
    }

    fn entry(s: &mut String, url: &str, title: &str, updated: Timestamp, summary: &str) {
        s.push_str("  <entry>\n    <title>");
        push_xml_escaped(s, title);
        s.push_str("</title>\n    <id>");
        push_xml_escaped(s, url);
        s.push_str("</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
        push_xml_escaped(s, url);
        s.push_str("\"/>\n    <updated>");
        let _ = write!(s, "{}", updated.strftime("%Y-%m-%dT%H:%M:%SZ"));
        s.push_str("</updated>\n    <summary>");
        push_xml_escaped(s, summary);
        s.push_str("</summary>\n  </entry>\n");
    }

    /// Spaces, most recently verified first (then by id). An entry's `updated` is the
    /// start of its `last_verified` day in the site's time zone; the feed's is the latest.
    pub(super) fn spaces_atom(&self) -> String {
        let tz = &self.site.config.time_zone;
        let verified = |s: &Space| {
            s.last_verified
                .to_zoned_datetime(tz.clone())
                .map(|z| z.timestamp())
                .unwrap_or(Timestamp::UNIX_EPOCH)
        };
        let mut order: Vec<&Space> = self.site.spaces.iter().collect();
        order.sort_by(|a, b| {
            b.last_verified
                .cmp(&a.last_verified)
                .then_with(|| a.slug.cmp(&b.slug))
        });
        let updated = order.first().map_or(Timestamp::UNIX_EPOCH, |s| verified(s));
        // The entries follow the head in one buffer instead of being copied in after it.
        let mut feed = String::with_capacity(order.len() * 512 + 1024);
        self.atom_head(
            &mut feed,
            "feeds/spaces.atom",
            &format!("{} — spaces", self.site.config.title),
            updated,
        );
        let mut url = String::new();
        for s in &order {
            let excerpt;
            let summary = match &s.summary {
                Some(summary) => summary,
                None => {
                    excerpt = markdown::excerpt(&s.body, EXCERPT_CHARS);
                    &excerpt
                }
            };
            url.clear();
            let _ = write!(
                url,
                "{}",
                self.urls
                    .record_absolute_display(Record::Space, s.slug.as_str())
            );
            Self::entry(&mut feed, &url, &s.name, verified(s), summary);
        }
        feed.push_str(ATOM_END);
        feed
    }

    /// Sessions with a date still to come, soonest first. Content files carry no edit
    /// date, so an entry's `updated` is the start of the session's first date (stable
    /// across builds); the feed's is the build's `now`.
    pub(super) fn sessions_atom(&self) -> String {
        let (upcoming, _) = self.idx.occurrences(self.site, &self.idx.upcoming);
        let mut seen = BTreeSet::new();
        let mut feed = String::new();
        self.atom_head(
            &mut feed,
            "feeds/sessions.atom",
            &format!("{} — upcoming info sessions", self.site.config.title),
            self.idx.now,
        );
        for o in upcoming {
            let s = &self.site.sessions[o.session];
            if !seen.insert(o.session) {
                continue;
            }
            let next = o.get(self.site);
            let when = next
                .start_at
                .to_zoned_datetime(s.time_zone.clone())
                .strftime("%Y-%m-%d %H:%M %Z")
                .to_string();
            let summary = format!("{when}. {}", markdown::excerpt(&s.body, 300));
            Self::entry(
                &mut feed,
                &self.urls.record_absolute(Record::Session, s.slug.as_str()),
                &s.title,
                s.start_at,
                &summary,
            );
        }
        feed.push_str(ATOM_END);
        feed
    }
}
