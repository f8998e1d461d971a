//! `hotdesk diff --base REV`: the Markdown summary a reviewer reads, from real git
//! repositories made in temp folders (moved out of contrib.rs, which passed 800 lines).

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::contrib::{hotdesk, s};
use crate::support::*;

fn have_git() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("git is needed by the diff tests and is not installed");
        }
        // Straight to the stderr handle: the harness would hide an `eprintln!`.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "\n!! WARNING: `git` not found: SKIPPING the `hotdesk diff` tests. Install git; \
             with CI=true this is a failure. !!\n"
        );
    }
    ok
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from:?} not in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn diff_summarises_added_removed_and_changed_fields() {
    if !have_git() {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    // The site in a subfolder, to check that paths are taken relative to --root.
    let root = repo.path().join("site");
    copy_dir(&fixtures().join("site-minimal"), &root);
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);

    let run = hotdesk(&["diff", "--base", "HEAD", "--root", s(&root)], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("No changes to the directory since `HEAD`"),
        "{}",
        run.stdout
    );

    let hub = root.join("content/spaces/harbour-hub.md");
    edit(
        &hub,
        "Mo-Fr 08:00-18:00; PH off",
        "Mo-Fr 09:00-17:00; Sa 10:00-14:00",
    );
    edit(&hub, "price: 25", "price: 30");
    edit(
        &hub,
        "amenities: [wifi, meeting-rooms]",
        "amenities: [wifi]",
    );
    edit(&hub, "status: active", "status: temporarily-closed");
    edit(&hub, "  hearing_loop: false\n", "");
    edit(
        &root.join("content/spaces/hill-house.md"),
        "good coffee",
        "great coffee",
    );
    fs::remove_file(root.join("content/spaces/old-mill.md")).unwrap();
    let new = root.join("content/spaces/harbour-annex.md");
    let annex = fs::read_to_string(&hub)
        .unwrap()
        .replace("name: Harbour Hub", "name: Harbour Annex")
        .replace("1 Water Street", "7 Water Street")
        .replace("lat: 46.23", "lat: 46.24");
    fs::write(&new, annex).unwrap();
    // A renamed session keeps its title.
    fs::rename(
        root.join("content/sessions/how-to-apply.md"),
        root.join("content/sessions/how-to-apply-2026.md"),
    )
    .unwrap();
    edit(
        &root.join("content/amenities.yaml"),
        "name: Wi-Fi",
        "name: Fast Wi-Fi",
    );
    write(&root, "content/pages/broken.md", "---\ntitle: [\n---\n");

    let run = hotdesk(&["diff", "--base", "HEAD", "--root", s(&root)], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The short commit id differs from run to run.
    let stable: String = run
        .stdout
        .lines()
        .map(|l| match l.split_once("(`") {
            Some((head, _)) if l.starts_with("Compared with `HEAD`") => {
                format!(
                    "{head}(`<commit>`){}",
                    &l[l.find("`):").map_or(l.len(), |i| i + 2)..]
                )
            }
            _ => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("diff-summary", stable);
    assert!(
        stable.contains("- **Added:** Harbour Annex (`harbour-annex`)"),
        "{stable}"
    );
    assert!(
        stable.contains("- **Removed:** Old Mill (`old-mill`)"),
        "{stable}"
    );
    assert!(
        stable.contains(
            "  - `opening_hours`: `Mo-Fr 08:00-18:00; PH off` → `Mo-Fr 09:00-17:00; Sa 10:00-14:00`"
        ),
        "{stable}"
    );
    assert!(
        stable.contains("  - `plans[Day pass].price`: `25` → `30`"),
        "{stable}"
    );
    assert!(
        stable.contains("  - `amenities`: removed `meeting-rooms`"),
        "{stable}"
    );
    assert!(
        stable.contains("  - `status`: `active` → `temporarily-closed`"),
        "{stable}"
    );
    assert!(
        stable.contains("**Renamed:** How to apply (`how-to-apply` → `how-to-apply-2026`)"),
        "{stable}"
    );
    assert!(
        stable.contains("`content/pages/broken.md`: added, but cannot be read"),
        "{stable}"
    );
}

#[test]
fn diff_reports_a_bad_revision_as_a_usage_error() {
    if !have_git() {
        return;
    }
    let repo = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("site-minimal"), repo.path());
    git(repo.path(), &["init", "-q"]);
    let run = hotdesk(
        &["diff", "--base", "no-such-branch", "--root", s(repo.path())],
        &[],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("git rev-parse"), "{}", run.stderr);
    let run = hotdesk(
        &["diff", "--base", "--output=x", "--root", s(repo.path())],
        &[],
    );
    assert_eq!(run.code, 2);
}
