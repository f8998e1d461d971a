//! Live reload over plain HTTP: a long-poll on the build generation, the script that
//! polls, and the error overlay.
//!
//! `GET /__hotdesk/livereload?since=N&page=/spaces/x/` (under the site's path, e.g.
//! `/directory/__hotdesk/livereload`, for a site whose `base_url` has one; the script
//! asks there) is answered at once when the
//! generation is not `N`
//! (a newer build, or a restarted server), else when it changes, else after
//! [`LONG_POLL`] with the same generation, and the script asks again. The answer is
//! `{"generation":N,"error":null}` or, after a failed build, the rendered diagnostics as
//! `"error"`. A waiting request is *parked* here, not held by a worker thread: one hub
//! thread answers every parked request when the generation moves or its time is up, so
//! open tabs never starve page requests. `page` (the tab's `location.pathname`) tells
//! the next rebuild which pages to render first (see `super::rebuild::Builder`). At most [`MAX_PARKED`] wait at once; more get
//! 503 and the script retries a second later.
//!
//! The script and the overlay are injected into HTML responses by the HTTP layer only
//! ([`inject`]); `build` output never contains them. The script has no dependencies: it
//! reloads the page when a newer build succeeded, and shows (or updates) the overlay,
//! a fixed `<div role="alert">` holding the diagnostics as text, when it failed. The
//! diagnostics are set with `textContent` in the script and HTML-escaped on the server,
//! so content can never inject markup through an error message.

use std::time::{Duration, Instant};

use tiny_http::Request;

use super::respond::{Body, JSON, TEXT, send};
use super::{Shared, Snapshot};

/// How long a long-poll waits for a new build before answering with the same generation.
pub(super) const LONG_POLL: Duration = Duration::from_secs(25);

/// Long-polls waiting at once; a browser tab holds one.
pub(super) const MAX_PARKED: usize = 256;

/// A long-poll waiting for the generation to move on from `since`.
pub(crate) struct Parked {
    rq: Request,
    since: u64,
    /// The output file the tab shows (see [`super::rebuild::Builder`]: rendered first).
    pub page: Option<String>,
    deadline: Instant,
}

/// Answers the long-poll now if there is news, else parks it for the hub.
pub(crate) fn park(shared: &Shared, rq: Request, since: u64, page: Option<String>) {
    let mut st = shared.lock();
    if st.snap.generation != since || st.stopping {
        let body = answer_json(&st.snap);
        drop(st);
        send(rq, 200, JSON, Body::Owned(body.into_bytes()), &[]);
        return;
    }
    if st.parked.len() >= MAX_PARKED {
        drop(st);
        send(
            rq,
            503,
            TEXT,
            Body::Static(b"503 Service Unavailable: too many live-reload connections\n"),
            &[("Retry-After", "1".into())],
        );
        return;
    }
    st.parked.push(Parked {
        rq,
        since,
        page,
        deadline: Instant::now() + LONG_POLL,
    });
    drop(st);
    shared.changed.notify_all();
}

/// The hub thread: answers parked long-polls whose generation moved or whose time is
/// up; at shutdown answers them all and returns.
pub(crate) fn hub(shared: &Shared) {
    let mut st = shared.lock();
    loop {
        let now = Instant::now();
        let generation = st.snap.generation;
        let stopping = st.stopping;
        let (ready, waiting): (Vec<Parked>, Vec<Parked>) = st
            .parked
            .drain(..)
            .partition(|p| stopping || p.since != generation || p.deadline <= now);
        st.parked = waiting;
        if !ready.is_empty() {
            let body = answer_json(&st.snap);
            drop(st);
            for p in ready {
                send(p.rq, 200, JSON, Body::Owned(body.clone().into_bytes()), &[]);
            }
            st = shared.lock();
            continue;
        }
        if stopping {
            return;
        }
        let wait = st
            .parked
            .iter()
            .map(|p| p.deadline.saturating_duration_since(now))
            .min()
            .unwrap_or(Duration::from_secs(3600));
        st = shared
            .changed
            .wait_timeout(st, wait)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}

/// `{"generation":N,"error":null|"…"}`
pub(crate) fn answer_json(snap: &Snapshot) -> String {
    format!(
        "{{\"generation\":{},\"error\":{}}}",
        snap.generation,
        serde_json::to_string(&snap.error.as_deref()).expect("a string serializes")
    )
}

/// `/__hotdesk/status`: the long-poll answer plus what is being served and how many
/// long-polls wait.
pub(crate) fn status_json(snap: &Snapshot, long_polls: usize) -> String {
    serde_json::json!({
        "generation": snap.generation,
        "error": snap.error.as_deref(),
        "long_polls": long_polls,
        "has_site": snap.site.is_some(),
        "pages": snap.site.as_ref().map_or(0, |s| s.page_count()),
        "files": snap.site.as_ref().map_or(0, |s| s.files.len()),
    })
    .to_string()
}

const OVERLAY_ID: &str = "__hotdesk-overlay";

/// The overlay's first line; the same markup whether the server or the script makes it.
const OVERLAY_INTRO: &str = "<p><strong>hotdesk: the last change broke the build.</strong> \
     This is the last good version of the page; it reloads when the problem is fixed.</p>";

const STYLE: &str = "<style>#__hotdesk-overlay{position:fixed;top:0;left:0;right:0;\
max-height:80vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem 1.25rem;\
background:#2b0b0b;color:#fff;font:15px/1.45 system-ui,sans-serif;text-align:left;\
border-bottom:4px solid #e5484d;box-shadow:0 4px 24px rgba(0,0,0,.5)}\
#__hotdesk-overlay[hidden]{display:none}\
#__hotdesk-overlay pre{white-space:pre-wrap;margin:.75rem 0;padding:.75rem;background:#000;\
color:#fff;font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;overflow:auto}\
#__hotdesk-overlay button{font:inherit}</style>";

/// The script, with `GENERATION`, `INTRO` and `BASE` (the site's path, see
/// [`Snapshot::base_path`]) replaced. It polls, reloads on a newer good
/// build, shows or updates the overlay on a failed one, and retries a second later
/// when the server is away (a restart also changes the generation, so the page reloads).
const SCRIPT: &str = r#"<script>/* hotdesk serve: live reload; not part of the built site */
(function(){var g=GENERATION,id="__hotdesk-overlay";
function hide(d){var b=d.querySelector("button");if(b)b.onclick=function(){d.hidden=true}}
function show(t){var d=document.getElementById(id);if(!d){d=document.createElement("div");
d.id=id;d.setAttribute("role","alert");d.innerHTML=INTRO+'<pre></pre><button type="button">Hide</button>';
hide(d);document.body.appendChild(d)}d.querySelector("pre").textContent=t;d.hidden=false}
function poll(){fetch("BASE__hotdesk/livereload?since="+g+"&page="+encodeURIComponent(location.pathname),{cache:"no-store"}).then(function(r){
if(!r.ok)throw r.status;return r.json()}).then(function(j){if(j.generation!==g){
if(j.error===null){location.reload();return}g=j.generation;show(j.error)}poll()
}).catch(function(){setTimeout(poll,1000)})}
var d=document.getElementById(id);if(d)hide(d);poll()})();
</script>"#;

/// What goes before `</body>`: the style, the overlay when the build failed, the script.
pub(crate) fn snippet(snap: &Snapshot) -> String {
    let mut out = String::from("\n");
    out.push_str(STYLE);
    if let Some(error) = &snap.error {
        out.push_str(&format!(
            "<div id=\"{OVERLAY_ID}\" role=\"alert\">{OVERLAY_INTRO}<pre>{}</pre>\
             <button type=\"button\">Hide</button></div>",
            escape_html(error)
        ));
    }
    // A JSON string is a JS string literal; `</` is escaped so it cannot close the script.
    let intro = serde_json::to_string(OVERLAY_INTRO)
        .expect("a string serializes")
        .replace("</", "<\\/");
    // The path inside the script's string literal: a URL path is percent-encoded
    // already, and escaped as JSON anyway, without its quotes.
    let base = serde_json::to_string(&*snap.base_path)
        .expect("a string serializes")
        .replace("</", "<\\/");
    let base = &base[1..base.len() - 1];
    // `BASE` last: the text put in before it holds no `BASE`, and nothing is replaced
    // inside the path.
    out.push_str(
        &SCRIPT
            .replace("GENERATION", &snap.generation.to_string())
            .replace("INTRO", &intro)
            .replace("BASE", base),
    );
    out.push('\n');
    out
}

/// The page with [`snippet`] inserted before its last `</body>` (any case), or at the
/// end when it has none.
pub(crate) fn inject(html: &[u8], snap: &Snapshot) -> Vec<u8> {
    let snippet = snippet(snap);
    let at = rfind_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(error: Option<&str>) -> Snapshot {
        Snapshot {
            generation: 42,
            error: error.map(Into::into),
            ..Snapshot::default()
        }
    }

    #[test]
    fn the_script_polls_under_the_sites_path() {
        let root = snippet(&snap(None));
        assert!(
            root.contains("fetch(\"/__hotdesk/livereload?since=\"+g"),
            "{root}"
        );
        let sub = snippet(&Snapshot {
            base_path: "/my%20dir/".into(),
            ..snap(None)
        });
        assert!(
            sub.contains("fetch(\"/my%20dir/__hotdesk/livereload?since=\"+g"),
            "{sub}"
        );
    }

    #[test]
    fn injects_before_the_last_body_close() {
        let html = b"<html><body><p>a</p></BODY></html>";
        let out = String::from_utf8(inject(html, &snap(None))).unwrap();
        assert!(out.starts_with("<html><body><p>a</p>\n<style>"), "{out}");
        assert!(out.ends_with("</script>\n</BODY></html>"), "{out}");
        assert!(out.contains("var g=42,"));
        assert!(!out.contains("role=\"alert\""));
        let bare = String::from_utf8(inject(b"<p>no body", &snap(None))).unwrap();
        assert!(bare.starts_with("<p>no body\n<style>"));
    }

    #[test]
    fn overlay_escapes_the_diagnostics() {
        let out = snippet(&snap(Some(
            "content/spaces/a.md:2:7: error: <script>alert(1)</script> & more\n",
        )));
        assert!(out.contains("role=\"alert\""));
        assert!(out.contains(
            "content/spaces/a.md:2:7: error: &lt;script&gt;alert(1)&lt;/script&gt; &amp; more"
        ));
        assert!(!out.contains("<script>alert"));
        // The only `</script>` is the end of the reload script.
        assert_eq!(out.matches("</script>").count(), 1);
    }

    #[test]
    fn answers_are_small_json() {
        assert_eq!(
            answer_json(&snap(None)),
            r#"{"generation":42,"error":null}"#
        );
        let v: serde_json::Value = serde_json::from_str(&answer_json(&snap(Some("x\"y")))).unwrap();
        assert_eq!(v["error"], "x\"y");
        assert_eq!(v["generation"], 42);
    }
}
