//! The layout rules the README's architecture section states, checked on the
//! source so they hold without reminders:
//! - no import circle between sibling modules anywhere in `src/` (a module may
//!   use its parent and its children; siblings must form a one-way graph);
//! - the pure core names no web crate: only `src/app/`, `src/worker/` and the
//!   binaries may use `web_sys`, `js_sys`, `wasm_bindgen`, `leptos` or `gloo`;
//! - no module is over 600 lines.
//!
//! Paths are read from the text (`crate::a::b`, `super::c`), outside comments
//! and outside `#[cfg(test)] mod tests` blocks, and resolved against the files
//! that exist, so the check needs no parser and no dependency.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: a failed expectation is the report"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Longest a module may be, in lines.
const MAX_MODULE_LINES: usize = 600;
/// Top-level modules that run in the browser and may use web crates.
const WEB_MODULES: [&str; 3] = ["app", "worker", "worker_api"];
const WEB_CRATES: [&str; 5] = ["web_sys", "js_sys", "wasm_bindgen", "leptos", "gloo"];

type ModPath = Vec<String>;

/// Every module of the library: its path (`["engine", "decide"]`) and its file.
fn modules() -> BTreeMap<ModPath, PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let rel = path.strip_prefix(&root).unwrap().with_extension("");
            let mut parts: ModPath = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if parts.first().map(String::as_str) == Some("bin") {
                continue;
            }
            if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                parts.pop();
            }
            out.insert(parts, path);
        }
    }
    out
}

/// The code of a file without comments and without its unit-test module.
fn code_of(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => &text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::…` / `super::…` path in `code`, as its segments after the keyword
/// resolved to an absolute module path prefix (from `module`).
fn referenced_paths(module: &ModPath, code: &str) -> Vec<ModPath> {
    let mut out = Vec::new();
    for (keyword, is_crate) in [("crate::", true), ("super::", false)] {
        let mut rest = code;
        while let Some(i) = rest.find(keyword) {
            let before = rest[..i].chars().last();
            rest = &rest[i + keyword.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let tail: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut base: ModPath = if is_crate {
                Vec::new()
            } else {
                module[..module.len().saturating_sub(1)].to_vec()
            };
            for segment in tail.split("::").filter(|s| !s.is_empty()) {
                if segment == "super" {
                    base.pop();
                } else {
                    base.push(segment.to_string());
                }
            }
            out.push(base);
        }
    }
    out
}

/// The longest prefix of `path` that is a module.
fn module_of(path: &ModPath, known: &BTreeMap<ModPath, PathBuf>) -> ModPath {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| known.contains_key(p))
        .unwrap_or_default()
}

/// Sibling edges: for `a::x::… -> a::y::…`, the edge `x -> y` under `a`.
fn sibling_edges() -> BTreeMap<ModPath, BTreeSet<(String, String)>> {
    let known = modules();
    let mut edges: BTreeMap<ModPath, BTreeSet<(String, String)>> = BTreeMap::new();
    for (module, file) in &known {
        if module.last().is_some_and(|m| m.ends_with("tests")) {
            continue;
        }
        for path in referenced_paths(module, &code_of(file)) {
            let target = module_of(&path, &known);
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common == module.len() || common == target.len() {
                continue; // a parent and its child
            }
            edges
                .entry(module[..common].to_vec())
                .or_default()
                .insert((module[common].clone(), target[common].clone()));
        }
    }
    edges
}

/// The modules on a cycle of `edges`, or `None` when the graph is one-way.
fn a_cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    // Depth-first search with the path on a stack: an edge back into the
    // path closes a cycle.
    fn visit<'a>(
        node: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| *n == node) {
            return Some(path[i..].iter().map(|s| s.to_string()).collect());
        }
        if !done.insert(node) {
            return None;
        }
        path.push(node);
        for n in next.get(node).into_iter().flatten() {
            if let Some(c) = visit(n, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    next.keys()
        .find_map(|n| visit(n, &next, &mut Vec::new(), &mut done))
}

#[test]
fn no_import_circle_between_sibling_modules() {
    let circles: Vec<String> = sibling_edges()
        .iter()
        .filter_map(|(parent, edges)| {
            let cycle = a_cycle(edges)?;
            let parent = if parent.is_empty() {
                "crate".to_string()
            } else {
                parent.join("::")
            };
            Some(format!("{parent}: {}", cycle.join(" -> ")))
        })
        .collect();
    assert!(circles.is_empty(), "import circles: {circles:#?}");
}

#[test]
fn the_pure_core_names_no_web_crate() {
    let mut offenders = Vec::new();
    for (module, file) in modules() {
        if module
            .first()
            .is_some_and(|m| WEB_MODULES.contains(&m.as_str()))
        {
            continue;
        }
        let code = code_of(&file);
        for web in WEB_CRATES {
            if code.contains(&format!("{web}::")) {
                offenders.push(format!("{} uses {web}", file.display()));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[test]
fn no_module_is_over_600_lines() {
    let long: Vec<String> = modules()
        .values()
        .filter_map(|f| {
            let lines = fs::read_to_string(f).unwrap().lines().count();
            (lines > MAX_MODULE_LINES).then(|| format!("{}: {lines} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "{long:#?}");
}

#[test]
fn the_checker_sees_a_circle() {
    let edges: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
        .iter()
        .map(|(x, y)| (x.to_string(), y.to_string()))
        .collect();
    let cycle = a_cycle(&edges).unwrap();
    assert_eq!(cycle.len(), 3, "{cycle:?}");
    let one_way: BTreeSet<(String, String)> =
        [("a".to_string(), "b".to_string())].into_iter().collect();
    assert!(a_cycle(&one_way).is_none());
}
