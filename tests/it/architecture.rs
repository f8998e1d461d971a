//! The shape of `src/`, held as tests so that it stays the shape `docs/architecture.md`
//! draws: data flows one way (no circle of imports between files), no file over 800 lines
//! and no function over 150.
//!
//! The imports are read with `syn` from the source itself, not from a list kept by hand:
//! every path that starts with `crate::`, `super::` or `self::`, or with a child module the
//! file declares, in `use` items and in expressions and types alike. Code under
//! `#[cfg(test)]` is left out: a unit test may build a whole site to test one function,
//! and that is not a dependency of the function. A file naming its own parent module
//! (`super::Doc` from `load/scan.rs` to `load/mod.rs`) is not an arrow either: a folder's
//! `mod.rs` is the folder's front door, which declares its children and calls them; what
//! is counted is every arrow between siblings, cousins and other folders.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::support::manifest_dir;

/// The largest file and the longest function `src/` may hold (lines, comments included).
const MAX_FILE_LINES: usize = 800;
const MAX_FN_LINES: usize = 150;

/// One source file of the library: its module path (`["render", "plan"]`) and text.
struct Module {
    path: Vec<String>,
    file: PathBuf,
    text: String,
}

fn modules() -> Vec<Module> {
    let src = manifest_dir().join("src");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let file = entry.path();
        if file.extension().is_none_or(|e| e != "rs") || file.ends_with("main.rs") {
            continue;
        }
        let rel = file.strip_prefix(&src).unwrap();
        let mut path: Vec<String> = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if matches!(path.last().map(String::as_str), Some("mod" | "lib")) {
            path.pop();
        }
        out.push(Module {
            path,
            file: rel.to_path_buf(),
            text: fs::read_to_string(file).unwrap(),
        });
    }
    out
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// Collects the module paths a file names, resolved to absolute `crate` paths.
struct Imports<'a> {
    here: &'a [String],
    /// Child modules declared in this file (`mod plan;`), which a path may start with.
    children: BTreeSet<String>,
    found: BTreeSet<Vec<String>>,
}

impl Imports<'_> {
    fn resolve(&mut self, segments: &[String]) {
        let Some(first) = segments.first() else {
            return;
        };
        let mut abs: Vec<String> = match first.as_str() {
            "crate" => Vec::new(),
            "self" => self.here.to_vec(),
            "super" => {
                let mut p = self.here.to_vec();
                let mut rest = segments;
                while rest.first().is_some_and(|s| s == "super") {
                    p.pop();
                    rest = &rest[1..];
                }
                p.extend(rest.iter().cloned());
                self.found.insert(p);
                return;
            }
            name if self.children.contains(name) => {
                let mut p = self.here.to_vec();
                p.push(name.to_string());
                p.extend(segments[1..].iter().cloned());
                self.found.insert(p);
                return;
            }
            _ => return,
        };
        abs.extend(segments[1..].iter().cloned());
        self.found.insert(abs);
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                let p = prefix.clone();
                self.resolve(&p);
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                let p = prefix.clone();
                self.resolve(&p);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => {
                let p = prefix.clone();
                self.resolve(&p);
            }
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

impl<'ast> Visit<'ast> for Imports<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Const(c) => &c.attrs,
            syn::Item::Static(s) => &s.attrs,
            syn::Item::Struct(s) => &s.attrs,
            syn::Item::Enum(e) => &e.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if is_cfg_test(attrs) {
            return;
        }
        if let syn::Item::Use(u) = item {
            self.use_tree(&mut Vec::new(), &u.tree);
            return;
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_cfg_test(&f.attrs) {
            syn::visit::visit_impl_item_fn(self, f);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.resolve(&segments);
        syn::visit::visit_path(self, path);
    }
}

/// Every file → the other files it names, by file path relative to `src/`.
fn graph(modules: &[Module]) -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let by_path: BTreeMap<&[String], &Path> = modules
        .iter()
        .map(|m| (m.path.as_slice(), m.file.as_path()))
        .collect();
    let mut edges = BTreeMap::new();
    for m in modules {
        let ast = syn::parse_file(&m.text)
            .unwrap_or_else(|e| panic!("src/{} does not parse: {e}", m.file.display()));
        let children = ast
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Mod(md) if md.content.is_none() => Some(md.ident.to_string()),
                _ => None,
            })
            .collect();
        let mut imports = Imports {
            here: &m.path,
            children,
            found: BTreeSet::new(),
        };
        imports.visit_file(&ast);
        let mut targets = BTreeSet::new();
        for p in imports.found {
            // The longest prefix of the path that is a file: `crate::render::plan::Job`
            // lives in render/plan.rs, `crate::render::Scope` in render/mod.rs.
            if let Some(file) = (0..=p.len()).rev().find_map(|n| by_path.get(&p[..n])) {
                let ancestor = m.path.starts_with(&p[..file_depth(file)]);
                if *file != m.file.as_path() && !p.is_empty() && !ancestor {
                    targets.insert(file.to_path_buf());
                }
            }
        }
        edges.insert(m.file.clone(), targets);
    }
    edges
}

/// How many module segments name `file` (`render/plan.rs` 2, `render/mod.rs` 1, `lib.rs` 0).
fn file_depth(file: &Path) -> usize {
    let n = file.components().count();
    match file.file_name().and_then(|f| f.to_str()) {
        Some("mod.rs") => n - 1,
        Some("lib.rs") => 0,
        _ => n,
    }
}

/// The strongly connected components with more than one file (Tarjan's algorithm).
fn circles(edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct State<'a> {
        edges: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a Path, usize>,
        low: BTreeMap<&'a Path, usize>,
        stack: Vec<&'a Path>,
        on_stack: BTreeSet<&'a Path>,
        out: Vec<Vec<PathBuf>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Path) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            let w = w.as_path();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_path_buf());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_path()) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn describe(circle: &[PathBuf], edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> String {
    let members: BTreeSet<&PathBuf> = circle.iter().collect();
    let mut lines = Vec::new();
    for from in circle {
        for to in edges[from].iter().filter(|t| members.contains(t)) {
            lines.push(format!(
                "    src/{} -> src/{}",
                from.display(),
                to.display()
            ));
        }
    }
    lines.join("\n")
}

#[test]
fn the_finder_sees_a_circle_and_a_clean_chain() {
    let e = |pairs: &[(&str, &str)]| {
        let mut m: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
        for (a, b) in pairs {
            m.entry(a.into()).or_default().insert(b.into());
            m.entry(b.into()).or_default();
        }
        m
    };
    let chain = e(&[("a.rs", "b.rs"), ("b.rs", "c.rs"), ("a.rs", "c.rs")]);
    assert!(circles(&chain).is_empty());
    let round = e(&[
        ("a.rs", "b.rs"),
        ("b.rs", "c.rs"),
        ("c.rs", "a.rs"),
        ("c.rs", "d.rs"),
    ]);
    assert_eq!(
        circles(&round),
        vec![vec![PathBuf::from("a.rs"), "b.rs".into(), "c.rs".into()]]
    );
}

#[test]
fn the_reader_resolves_crate_super_and_child_paths() {
    let modules = vec![
        Module {
            path: vec!["render".into()],
            file: "render/mod.rs".into(),
            text: "mod plan;\nuse crate::{model::Site, search::{self, SearchView}};\nfn f() { plan::jobs(); }\n\
                   #[cfg(test)] mod tests { use crate::build::x; }"
                .into(),
        },
        Module {
            path: vec!["render".into(), "plan".into()],
            file: "render/plan.rs".into(),
            text: "fn g(s: &super::super::model::Site) -> super::Page { todo!() }".into(),
        },
        Module { path: vec!["model".into()], file: "model.rs".into(), text: String::new() },
        Module { path: vec!["search".into()], file: "search/mod.rs".into(), text: String::new() },
        Module { path: vec!["build".into()], file: "build.rs".into(), text: String::new() },
    ];
    let g = graph(&modules);
    let names = |f: &str| -> Vec<String> {
        g[Path::new(f)]
            .iter()
            .map(|p| p.display().to_string())
            .collect()
    };
    assert_eq!(
        names("render/mod.rs"),
        ["model.rs", "render/plan.rs", "search/mod.rs"]
    );
    // `super::Page` names the parent module: not an arrow (the folder's front door).
    assert_eq!(names("render/plan.rs"), ["model.rs"]);
    assert!(circles(&g).is_empty());
}

#[test]
fn no_file_imports_a_file_that_imports_it() {
    let edges = graph(&modules());
    let found = circles(&edges);
    let text: Vec<String> = found
        .iter()
        .map(|c| format!("  a circle of {} files:\n{}", c.len(), describe(c, &edges)))
        .collect();
    assert!(
        found.is_empty(),
        "data must flow one way through src/ (docs/architecture.md); these files import each other:\n{}",
        text.join("\n")
    );
}

#[test]
fn no_file_over_800_lines() {
    let long: Vec<String> = modules()
        .iter()
        .map(|m| (m.text.lines().count(), &m.file))
        .filter(|(n, _)| *n > MAX_FILE_LINES)
        .map(|(n, f)| format!("  src/{}: {n} lines", f.display()))
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_FILE_LINES} lines (split them; unit tests may go in a sibling file):\n{}",
        long.join("\n")
    );
}

/// Every function and method, with its first and last line.
struct Functions(Vec<(String, usize, usize)>);

impl<'ast> Visit<'ast> for Functions {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let span = f.span();
        self.0
            .push((f.sig.ident.to_string(), span.start().line, span.end().line));
        syn::visit::visit_item_fn(self, f);
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        let span = f.span();
        self.0
            .push((f.sig.ident.to_string(), span.start().line, span.end().line));
        syn::visit::visit_impl_item_fn(self, f);
    }
}

#[test]
fn no_function_over_150_lines() {
    let mut long = Vec::new();
    for m in modules() {
        let mut fns = Functions(Vec::new());
        fns.visit_file(&syn::parse_file(&m.text).unwrap());
        for (name, start, end) in fns.0 {
            let n = end - start + 1;
            if n > MAX_FN_LINES {
                long.push(format!(
                    "  src/{}:{start} {name}: {n} lines",
                    m.file.display()
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines (split them into named steps):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_function_measure_counts_lines() {
    let mut fns = Functions(Vec::new());
    fns.visit_file(
        &syn::parse_file("fn a() {\n  let x = 1;\n}\nimpl T { fn b(&self) {} }\n").unwrap(),
    );
    assert_eq!(
        fns.0,
        vec![("a".to_string(), 1, 3), ("b".to_string(), 4, 4)]
    );
}
