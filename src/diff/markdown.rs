//! The Markdown a reviewer reads: one section per collection, one line per field. Every
//! text that comes from content is escaped here, so a pull request cannot break out of
//! its code spans or inject markup into the job summary.

use std::fmt::Write as _;

use super::compare::{FieldChange, ItemChange, Section, inline};

/// Text as a Markdown code span, whatever backticks it holds.
pub(super) fn code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if longest > 0 || s.starts_with(' ') || s.ends_with(' ') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// Plain text with Markdown and HTML punctuation escaped.
pub(super) fn text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

pub(super) fn field_line(c: &FieldChange) -> String {
    match c {
        FieldChange::Set { path, value } => {
            format!("{}: added {}", code(path), code(&inline(value)))
        }
        FieldChange::Unset { path, value } => {
            format!("{}: removed (was {})", code(path), code(&inline(value)))
        }
        FieldChange::Changed { path, old, new } => format!(
            "{}: {} → {}",
            code(path),
            code(&inline(old)),
            code(&inline(new))
        ),
        FieldChange::List {
            path,
            added,
            removed,
        } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                let list: Vec<String> = added.iter().map(|a| code(a)).collect();
                parts.push(format!("added {}", list.join(", ")));
            }
            if !removed.is_empty() {
                let list: Vec<String> = removed.iter().map(|a| code(a)).collect();
                parts.push(format!("removed {}", list.join(", ")));
            }
            format!("{}: {}", code(path), parts.join("; "))
        }
        FieldChange::Reordered { path } => format!("{}: same items, new order", code(path)),
        FieldChange::Body => "the description (Markdown body) changed".to_owned(),
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

pub(super) fn render(base: &str, short: &str, sections: &[Section]) -> String {
    let mut out = String::from("## Directory changes\n\n");
    let against = if short.is_empty() || base.starts_with(short) {
        code(base)
    } else {
        format!("{} ({})", code(base), code(short))
    };
    if sections.is_empty() {
        let _ = writeln!(out, "No changes to the directory since {against}.");
        return out;
    }
    let mut counts = Vec::new();
    for s in sections {
        let count = |f: fn(&ItemChange) -> bool| s.items.iter().filter(|i| f(i)).count();
        let added = count(|i| matches!(i, ItemChange::Added { .. }));
        let removed = count(|i| matches!(i, ItemChange::Removed { .. }));
        let changed =
            count(|i| matches!(i, ItemChange::Changed { .. } | ItemChange::Renamed { .. }));
        let mut parts = Vec::new();
        if added > 0 {
            parts.push(format!("{} added", plural(added, s.noun)));
        }
        if removed > 0 {
            parts.push(format!("{} removed", plural(removed, s.noun)));
        }
        if changed > 0 {
            parts.push(format!("{} changed", plural(changed, s.noun)));
        }
        if !parts.is_empty() {
            counts.push(parts.join(", "));
        }
    }
    let _ = writeln!(out, "Compared with {against}: {}.\n", counts.join("; "));
    for s in sections {
        let _ = writeln!(out, "### {}\n", s.title);
        for item in &s.items {
            let (head, fields) = match item {
                ItemChange::Added { slug, name } => (
                    format!("**Added:** {} ({})", text(name), code(slug)),
                    &[][..],
                ),
                ItemChange::Removed { slug, name } => (
                    format!("**Removed:** {} ({})", text(name), code(slug)),
                    &[][..],
                ),
                ItemChange::Renamed {
                    from,
                    to,
                    name,
                    fields,
                } => (
                    format!(
                        "**Renamed:** {} ({} → {})",
                        text(name),
                        code(from),
                        code(to)
                    ),
                    fields.as_slice(),
                ),
                ItemChange::Changed { slug, name, fields } if slug == name => {
                    (format!("**Changed:** {}", code(slug)), fields.as_slice())
                }
                ItemChange::Changed { slug, name, fields } => (
                    format!("**Changed:** {} ({})", text(name), code(slug)),
                    fields.as_slice(),
                ),
                ItemChange::Unreadable { path, what } => (
                    format!("{}: {what} (`hotdesk check` says why)", code(path)),
                    &[][..],
                ),
            };
            let _ = writeln!(out, "- {head}");
            for f in fields {
                let _ = writeln!(out, "  - {}", field_line(f));
            }
        }
        out.push('\n');
    }
    out
}
