//! Native tests of the session, request by request, driven as the page
//! drives the workers: parse requests to a parse session, their batches to
//! the analysis session, then queries.

mod counts;
// Files on disk and the CLI's loader: native only.
#[cfg(not(target_arch = "wasm32"))]
mod exports;
mod failures;
mod protocol;
mod queries;
mod requests;

use super::protocol::{ParseInput, Request, Response, BROWSER_MAX_EVENTS};
use super::{Answer, Attached, Host, Session};
use crate::engine::DetectConfig;
use crate::generate::{generate, GenerateConfig};
use crate::model::Insight;
use std::sync::{Arc, OnceLock};

/// An input in memory.
type Bytes = Arc<[u8]>;

/// A small generated delivery (9 days so detection has history; the
/// detector finds Insights in it).
fn generated() -> &'static [(String, Bytes)] {
    static FILES: OnceLock<Vec<(String, Bytes)>> = OnceLock::new();
    FILES.get_or_init(|| {
        generate(&GenerateConfig {
            days: 9,
            seed: 1,
            scale: 0.1,
            anomalies: true,
            realistic: false,
        })
        .files
        .into_iter()
        .map(|(name, bytes)| (name, Arc::from(bytes)))
        .collect()
    })
}

fn session<S: super::ByteSource>() -> Session<S> {
    Session::new(Host::untimed())
}

fn ask<S: super::ByteSource>(s: &mut Session<S>, request: Request) -> Response {
    s.handle(request, Attached::default()).response
}

/// The answer of a parse session to one request over `inputs` (all of
/// `sources`, numbered from `first`).
fn parse<S: super::ByteSource>(
    names: &[String],
    first: usize,
    sources: Vec<Option<S>>,
    max_events: u64,
) -> Answer {
    let inputs = names
        .iter()
        .enumerate()
        .map(|(i, name)| ParseInput {
            input: (first + i) as u32,
            name: name.clone(),
            part: 0,
            parts: 1,
        })
        .collect();
    session::<S>().handle(
        Request::Parse { inputs, max_events },
        Attached::sources(sources),
    )
}

/// Loads `files` as the page does: `Begin`, parse requests of `chunk`
/// inputs each, their batches merged with `AddBatches`, `Finish`.
fn load_with<S: super::ByteSource + Clone>(
    s: &mut Session<S>,
    files: &[(String, Option<S>)],
    chunk: usize,
    settings: DetectConfig,
) -> Response {
    let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    assert!(matches!(ask(s, Request::Begin { names }), Response::Ok));
    send(s, files, chunk);
    ask(s, Request::Finish { settings })
}

/// Parses `files` (inputs `0..`) in requests of `chunk` inputs and merges
/// their batches.
fn send<S: super::ByteSource + Clone>(
    s: &mut Session<S>,
    files: &[(String, Option<S>)],
    chunk: usize,
) {
    for (c, part) in files.chunks(chunk).enumerate() {
        let names: Vec<String> = part.iter().map(|f| f.0.clone()).collect();
        let sources: Vec<Option<S>> = part.iter().map(|f| f.1.clone()).collect();
        let parsed = parse(&names, c * chunk, sources.clone(), BROWSER_MAX_EVENTS);
        assert!(matches!(parsed.response, Response::Parsed { .. }));
        let inputs = (c * chunk..c * chunk + part.len())
            .map(|i| i as u32)
            .collect();
        let answer = s.handle(
            Request::AddBatches { inputs },
            Attached {
                payload: parsed.attachment,
                sources,
            },
        );
        assert!(matches!(answer.response, Response::Ok));
    }
}

/// The generated files, loaded with the default settings.
fn loaded() -> (Session<Bytes>, Vec<Insight>) {
    let mut s = session();
    let files: Vec<(String, Option<Bytes>)> = generated()
        .iter()
        .map(|(n, b)| (n.clone(), Some(b.clone())))
        .collect();
    let insights = insights(load_with(&mut s, &files, 500, DetectConfig::default()));
    (s, insights)
}

fn insights(response: Response) -> Vec<Insight> {
    match response {
        Response::Loaded { insights, .. } => insights,
        other => panic!("not loaded: {other:?}"),
    }
}

fn is_error(r: &Response, text: &str) -> bool {
    matches!(r, Response::Error(e) if e == text)
}

fn summary(response: &Response) -> &super::protocol::LoadSummary {
    match response {
        Response::Loaded { summary, .. } => summary,
        other => panic!("not loaded: {other:?}"),
    }
}
