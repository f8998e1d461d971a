//! How `hotdesk check` reports the problems it found, in three formats.
//!
//! - `human` (the default): the `file:line:col: error: message` headline, the line with
//!   a caret, and the help, on stderr; coloured only when stderr is a terminal and
//!   `NO_COLOR` is not set (<https://no-color.org>), so logs and pipes stay plain.
//! - `github`: one workflow command per problem on stdout
//!   (`::error file=...,line=...,col=...,title=...::message`), which GitHub Actions shows
//!   on the pull request's diff. GitHub shows only the first few annotations of a step,
//!   so the whole list is also appended, as a Markdown table, to the file named by
//!   `$GITHUB_STEP_SUMMARY` (the job's summary page) when that variable is set.
//! - `json`: one document on stdout, versioned and documented at [`JsonReport`], for
//!   editors and bots.
//!
//! The formats differ only in presentation: every one carries every problem, with the
//! same code, message, position, label and help. This module formats; it decides
//! neither the exit status nor what counts as a problem.
//!
//! It also owns the human rendering of one diagnostic and of a list
//! (`Diagnostic::render`, `Diagnostics::render`, with or without colour), which
//! `build`, `serve` and every command use: the types are [`crate::error`]'s, the
//! rendering is here, and `error` never imports this module.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use anstyle::{AnsiColor, Color, Style};
use icu_properties::CodePointMapData;
use icu_properties::props::{EastAsianWidth, GeneralCategory};
use serde::Serialize;

use crate::error::{Diagnostic, Diagnostics, Error, Severity, char_span};
use crate::source::SourceFile;

/// `check --format` (its values and their help are in `cli::check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// For a person: headline, the line with a caret, help (stderr).
    #[default]
    Human,
    /// GitHub Actions annotations (stdout) and a job summary table.
    Github,
    /// A JSON document (stdout); see the README for its shape.
    Json,
}

/// The styles of the human format. [`Palette::PLAIN`] renders no escape codes at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub error: Style,
    pub warning: Style,
    /// The location, the message and the summary line.
    pub emphasis: Style,
    /// The line-number gutter.
    pub gutter: Style,
    /// The word "help".
    pub help: Style,
}

impl Palette {
    pub const PLAIN: Palette = Palette {
        error: Style::new(),
        warning: Style::new(),
        emphasis: Style::new(),
        gutter: Style::new(),
        help: Style::new(),
    };

    /// The colours rustc and cargo use, so the output looks familiar.
    pub const ANSI: Palette = Palette {
        error: Style::new()
            .bold()
            .fg_color(Some(Color::Ansi(AnsiColor::Red))),
        warning: Style::new()
            .bold()
            .fg_color(Some(Color::Ansi(AnsiColor::Yellow))),
        emphasis: Style::new().bold(),
        gutter: Style::new()
            .bold()
            .fg_color(Some(Color::Ansi(AnsiColor::Blue))),
        help: Style::new()
            .bold()
            .fg_color(Some(Color::Ansi(AnsiColor::Cyan))),
    };

    pub fn severity(&self, s: Severity) -> Style {
        match s {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Human

// `Diagnostic` and `Diagnostics` are defined in `error`, the bottom of the house; how a
// person reads them is written here, above it, so that `error` never imports this module.
// The methods stay methods (`d.render()`): an inherent impl may sit in any module of
// the crate, and callers need no import.

impl Diagnostic {
    /// The diagnostic as a human reads it: headline, the offending line with a caret, help.
    pub fn render(&self) -> String {
        self.render_with(&Palette::PLAIN)
    }

    /// [`render`](Self::render) with colours (`Palette::PLAIN` gives the same text).
    pub fn render_with(&self, p: &Palette) -> String {
        let (b, s, g, h) = (p.emphasis, p.severity(self.severity), p.gutter, p.help);
        let loc = match self.line_col() {
            Some((l, c)) => format!("{}:{l}:{c}", self.display_path()),
            None => self.display_path(),
        };
        let mut out = format!(
            "{b}{loc}:{b:#} {s}{}:{s:#} {b}{}{b:#}\n",
            self.severity, self.message
        );
        if let (Some(src), Some(span)) = (&self.source, &self.span) {
            let at = Excerpt::of(src, span);
            let gutter = at.line.to_string().len();
            let pad = " ".repeat(gutter);
            let (line, shown) = (at.line, at.shown);
            let _ = writeln!(out, "{pad} {g}|{g:#}");
            let _ = writeln!(out, "{g}{line} |{g:#} {shown}");
            let _ = write!(
                out,
                "{pad} {g}|{g:#} {}{s}{}",
                " ".repeat(at.before),
                "^".repeat(at.width)
            );
            if let Some(label) = &self.label {
                let _ = write!(out, " {label}");
            }
            let _ = writeln!(out, "{s:#}");
            if let Some(help) = &self.help {
                let _ = writeln!(out, "{pad} {g}={g:#} {h}help{h:#}: {help}");
            }
        } else if let Some(help) = &self.help {
            if let Some(label) = &self.label {
                let _ = writeln!(out, "  {g}={g:#} {label}");
            }
            let _ = writeln!(out, "  {g}={g:#} {h}help{h:#}: {help}");
        } else if let Some(label) = &self.label {
            let _ = writeln!(out, "  {g}={g:#} {label}");
        }
        out
    }
}

impl Diagnostics {
    /// Every diagnostic rendered for a person, then a one-line summary.
    pub fn render(&self) -> String {
        self.render_with(&Palette::PLAIN)
    }

    /// [`render`](Self::render) with colours (`Palette::PLAIN` gives the same text).
    pub fn render_with(&self, p: &Palette) -> String {
        let mut out = String::new();
        for d in self.iter() {
            out.push_str(&d.render_with(p));
            out.push('\n');
        }
        let (e, w) = (self.error_count(), self.warning_count());
        let b = p.emphasis;
        let _ = writeln!(
            out,
            "{b}{} error{}, {} warning{}{b:#}",
            e,
            if e == 1 { "" } else { "s" },
            w,
            if w == 1 { "" } else { "s" }
        );
        out
    }
}

/// The line a diagnostic points into, as the human format shows it, and where its caret
/// goes. Content comes from strangers, so a span may fall inside a character (a finder
/// that stepped one byte into a no-break space) or past the text: nothing here slices a
/// `str` at an offset that is not a character boundary. A start inside a character is
/// moved to the character's start, an end inside one to its end (the caret covers every
/// character the span touches), and an end past the line stops at the line's end. The
/// caret is measured in terminal columns, and a span starting on a combining mark is
/// shown from the letter the mark sits on.
struct Excerpt {
    /// 1-based line number.
    line: usize,
    /// The line, each control character (tab, escape, ...) shown as one space, so that
    /// the caret lines up and the terminal is not sent a stranger's escape sequence.
    shown: String,
    /// Terminal columns before the caret.
    before: usize,
    /// Terminal columns under the span, at least one.
    width: usize,
}

impl Excerpt {
    fn of(src: &SourceFile, span: &Range<usize>) -> Self {
        let text = src.text.as_str();
        // `Diagnostic::at` already did this, but `span` is a public field.
        let Range { start, end } = char_span(text, span);
        let (line, _) = src.line_col(start);
        let line_text = src.line_text(line);
        let line_start = src.offset_of(line, 0);
        let line_end = line_start + line_text.len();
        // `start` is at most the end of its line (a line break ends every line but the last).
        let mut start = start.min(line_end);
        // A combining mark is drawn on the character before it: point at that one.
        while let (Some(here), Some(before)) = (
            text[start..line_end].chars().next(),
            text[line_start..start].chars().next_back(),
        ) {
            if width(here) > 0 {
                break;
            }
            start -= before.len_utf8();
        }
        let end = end.min(line_end).max(start);
        let shown = line_text.chars().map(shown_as).collect();
        Excerpt {
            line,
            shown,
            before: columns(&text[line_start..start]),
            width: columns(&text[start..end]).max(1),
        }
    }
}

/// How many terminal columns `s` takes as [`Excerpt::shown`] shows it: none for a
/// combining mark or an invisible format character (a zero-width joiner), two for a
/// wide or full-width character (CJK, U+3000, most emoji), one for anything else.
fn columns(s: &str) -> usize {
    s.chars().map(width).sum()
}

/// How a character of the quoted line is shown: a control character as a space, so no
/// escape sequence from contributed content reaches a maintainer's terminal, and a bidi
/// control as U+FFFD, so a right-to-left override cannot reorder the line on screen (the
/// spoofing the diagnostic is often about).
fn shown_as(c: char) -> char {
    if c.is_control() {
        ' '
    } else if is_bidi_control(c) {
        '\u{FFFD}'
    } else {
        c
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// The terminal columns of one character, as [`columns`] counts them.
fn width(c: char) -> usize {
    if c.is_control() || is_bidi_control(c) {
        return 1;
    }
    let gc = CodePointMapData::<GeneralCategory>::new().get(c);
    if matches!(
        gc,
        GeneralCategory::NonspacingMark | GeneralCategory::EnclosingMark | GeneralCategory::Format
    ) {
        return 0;
    }
    match CodePointMapData::<EastAsianWidth>::new().get(c) {
        EastAsianWidth::Wide | EastAsianWidth::Fullwidth => 2,
        _ => 1,
    }
}

/// Colour only for a terminal, and never when `NO_COLOR` is set to a non-empty value
/// or the terminal is `dumb`.
pub fn colour_wanted(is_terminal: bool, no_color: Option<&OsStr>, term: Option<&OsStr>) -> bool {
    is_terminal && no_color.is_none_or(OsStr::is_empty) && term != Some(OsStr::new("dumb"))
}

/// Everything [`report`] needs besides the problems.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    pub format: Format,
    pub palette: Palette,
    /// Prepended to every diagnostic's path in `github` output, so that annotations name
    /// files relative to the repository when `--root` is a subfolder (`""` for none).
    pub path_prefix: String,
    /// Where to append the Markdown summary (`$GITHUB_STEP_SUMMARY`), in `github` format.
    pub step_summary: Option<PathBuf>,
}

impl ReportOptions {
    /// Reads the terminal and the environment: `NO_COLOR`, `TERM`, `GITHUB_STEP_SUMMARY`.
    pub fn from_env(format: Format, root: &Path) -> Self {
        let colour = colour_wanted(
            std::io::stderr().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
            std::env::var_os("TERM").as_deref(),
        );
        ReportOptions {
            format,
            palette: if colour {
                Palette::ANSI
            } else {
                Palette::PLAIN
            },
            path_prefix: path_prefix(root, std::env::current_dir().ok().as_deref()),
            step_summary: std::env::var_os("GITHUB_STEP_SUMMARY")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
        }
    }
}

/// The site root as a `/`-separated path relative to the working directory (where a
/// workflow runs, i.e. the repository), or `""` when it is the working directory.
pub fn path_prefix(root: &Path, cwd: Option<&Path>) -> String {
    let rel = if root.is_absolute() {
        match cwd.and_then(|c| root.strip_prefix(c).ok()) {
            Some(r) => r.to_path_buf(),
            None => root.to_path_buf(),
        }
    } else {
        root.to_path_buf()
    };
    let parts: Vec<String> = rel
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            Component::RootDir => String::new(),
            c => c.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    parts.join("/")
}

/// Writes the report in the chosen format. The caller decides the exit status.
pub fn report(
    diags: &Diagnostics,
    opts: &ReportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    let stdout = |e| Error::io("<stdout>", e);
    match opts.format {
        Format::Human => {
            if diags.is_empty() {
                writeln!(out, "no problems found").map_err(stdout)?;
            } else {
                let _ = write!(err, "{}", diags.render_with(&opts.palette));
            }
        }
        Format::Github => {
            write!(out, "{}", github_annotations(diags, &opts.path_prefix)).map_err(stdout)?;
            let _ = writeln!(err, "{}", counts(diags));
            if let Some(path) = &opts.step_summary {
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| Error::io(path, e))?;
                f.write_all(github_summary(diags, &opts.path_prefix, SUMMARY_ROWS).as_bytes())
                    .map_err(|e| Error::io(path, e))?;
            }
        }
        Format::Json => {
            write!(out, "{}", json(diags)).map_err(stdout)?;
        }
    }
    Ok(())
}

/// "2 errors, 1 warning".
pub fn counts(diags: &Diagnostics) -> String {
    let (e, w) = (diags.error_count(), diags.warning_count());
    format!(
        "{e} error{}, {w} warning{}",
        if e == 1 { "" } else { "s" },
        if w == 1 { "" } else { "s" }
    )
}

fn repo_path(prefix: &str, d: &Diagnostic) -> Option<String> {
    if d.path.as_os_str().is_empty() {
        return None;
    }
    let p = d.display_path();
    Some(if prefix.is_empty() {
        p
    } else {
        format!("{prefix}/{p}")
    })
}

// ---------------------------------------------------------------------------------------
// GitHub Actions

/// Escapes the message of a workflow command: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command: as data, plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The message, the label and the help, one per line, as an annotation shows them.
fn full_message(d: &Diagnostic) -> String {
    let mut m = d.message.clone();
    if let Some(label) = &d.label {
        let _ = write!(m, "\n{label}");
    }
    if let Some(help) = &d.help {
        let _ = write!(m, "\nhelp: {help}");
    }
    m
}

/// One `::error ...::` or `::warning ...::` line per problem.
pub fn github_annotations(diags: &Diagnostics, prefix: &str) -> String {
    let mut out = String::new();
    for d in diags.iter() {
        let mut props = Vec::new();
        if let Some(file) = repo_path(prefix, d) {
            props.push(format!("file={}", escape_property(&file)));
            if let Some((line, col)) = d.line_col() {
                props.push(format!("line={line}"));
                props.push(format!("col={col}"));
            }
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("hotdesk {}", d.code))
        ));
        let _ = writeln!(
            out,
            "::{} {}::{}",
            d.severity,
            props.join(","),
            escape_data(&full_message(d))
        );
    }
    out
}

/// At most this many rows in the job summary (GitHub caps a summary at 1 MiB).
pub const SUMMARY_ROWS: usize = 500;

/// Text safe in a Markdown table cell: no pipe, no line break, no raw HTML.
fn cell(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
        .replace('\r', "")
        .replace('\n', "<br>")
}

/// The job summary: a heading with the counts and a table of every problem.
pub fn github_summary(diags: &Diagnostics, prefix: &str, max_rows: usize) -> String {
    let mut out = String::new();
    if diags.is_empty() {
        out.push_str("### hotdesk check: no problems found\n\n");
        return out;
    }
    let _ = writeln!(out, "### hotdesk check: {}\n", counts(diags));
    out.push_str("| Severity | File | Line | Problem |\n|---|---|---|---|\n");
    for d in diags.iter().take(max_rows) {
        let file = repo_path(prefix, d).map_or_else(String::new, |f| format!("`{f}`"));
        let line = d
            .line_col()
            .map_or_else(String::new, |(l, c)| format!("{l}:{c}"));
        let mut problem = cell(&d.message);
        if let Some(label) = &d.label {
            let _ = write!(problem, " — {}", cell(label));
        }
        if let Some(help) = &d.help {
            let _ = write!(problem, "<br>help: {}", cell(help));
        }
        let _ = writeln!(out, "| {} | {file} | {line} | {problem} |", d.severity);
    }
    if diags.len() > max_rows {
        let _ = writeln!(
            out,
            "\n…and {} more. Run `hotdesk check` to see them all.",
            diags.len() - max_rows
        );
    }
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------------------
// JSON

/// The `--format json` document. Its shape is stable within a `version`; a field may be
/// added without changing the version, never removed or changed in meaning.
///
/// ```json
/// {"version": 1, "errors": 1, "warnings": 0, "problems": [
///   {"severity": "error", "code": "unknown-id", "file": "content/spaces/a.md",
///    "line": 14, "column": 19, "end_line": 14, "end_column": 24,
///    "message": "unknown amenity \"wifii\"", "label": "did you mean \"wifi\"?",
///    "help": "amenity ids are defined in content/amenities.yaml"}]}
/// ```
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    /// 1 for this shape.
    pub version: u32,
    pub errors: usize,
    pub warnings: usize,
    /// Sorted by file, then position.
    pub problems: Vec<JsonProblem<'a>>,
}

/// One problem. Positions are 1-based, columns count characters; `end_*` is the
/// position just after the last character of the span (equal to the start for an
/// empty span). Every position is `null` when the problem is about a whole file, and
/// `file` is `null` when it is about no file.
#[derive(Debug, Serialize)]
pub struct JsonProblem<'a> {
    /// `error` or `warning`.
    pub severity: Severity,
    /// A stable kebab-case identifier of the kind of problem, e.g. `unknown-field`.
    pub code: &'a str,
    /// Relative to the site root (`--root`), `/`-separated.
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub message: &'a str,
    /// Short text about the exact spot (shown under the caret by the human format).
    pub label: Option<&'a str>,
    /// How to fix it.
    pub help: Option<&'a str>,
}

pub fn json_report(diags: &Diagnostics) -> JsonReport<'_> {
    let problems = diags
        .iter()
        .map(|d| {
            let start = d.line_col();
            let end = match (&d.source, &d.span) {
                (Some(src), Some(span)) => Some(src.line_col(span.end.max(span.start))),
                _ => None,
            };
            JsonProblem {
                severity: d.severity,
                code: d.code,
                file: repo_path("", d),
                line: start.map(|p| p.0),
                column: start.map(|p| p.1),
                end_line: end.map(|p| p.0),
                end_column: end.map(|p| p.1),
                message: &d.message,
                label: d.label.as_deref(),
                help: d.help.as_deref(),
            }
        })
        .collect();
    JsonReport {
        version: 1,
        errors: diags.error_count(),
        warnings: diags.warning_count(),
        problems,
    }
}

/// The JSON document, pretty-printed, with a final newline.
pub fn json(diags: &Diagnostics) -> String {
    let mut s = serde_json::to_string_pretty(&json_report(diags))
        .expect("the report holds only strings and numbers");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests;
