//! Loading and validating 1,000 generated modules (~40 KB each), next to a
//! plain `serde_json::from_slice::<Value>` of the same bytes in the same run.
//! Target: pace's load within 1.05x of the plain parse (issue 15).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use criterion::{Criterion, criterion_group, criterion_main};
use pace::content::{Scope, SourceFile, load_sources};

const SAMPLE: &str = include_str!("../tests/fixtures/sample/sample-101-first-steps.json");

/// A module of about 40 KB: the sample with many long lessons and questions.
fn module(n: usize) -> Vec<u8> {
    let mut m: serde_json::Value = serde_json::from_str(SAMPLE).unwrap_or_default();
    m["id"] = format!("bench-{n}").into();
    let paragraph = "Social business is a long-term program, not a one-off. Ask the hub before you post, disclose who you work for, and route complaints through triage. ".repeat(4);
    let lessons: Vec<serde_json::Value> = (0..6)
        .map(|i| {
            serde_json::json!({
                "id": format!("lesson-{i}"),
                "title": format!("Lesson {i} at {{{{company}}}}"),
                "body": (0..8).map(|_| paragraph.clone()).collect::<Vec<_>>(),
                "callouts": [{"kind": "key-takeaway", "text": "Ask first."}],
                "resources": [{"title": "Policy", "url": "{{social_policy_url}}", "kind": "reading"}]
            })
        })
        .collect();
    m["lessons"] = lessons.into();
    let questions: Vec<serde_json::Value> = (0..12)
        .map(|i| {
            // Written the way authors are asked to: the right option neither
            // longest nor always first, so the load finds nothing to report.
            let mut options = vec![
                serde_json::json!({"id": "a", "text": "The right one", "correct": true}),
                serde_json::json!({"id": "b", "text": "The wrong one", "feedback": "Why it is wrong."}),
            ];
            options.rotate_left(i % 2);
            serde_json::json!({
                "id": format!("q-{i}"), "kind": "single", "prompt": paragraph.clone(),
                "options": options,
                "explanation": "Because.", "lesson": "lesson-0", "tags": ["t"]
            })
        })
        .collect();
    m["quiz"]["questions"] = questions.into();
    m["quiz"]["draw"] = 6.into();
    serde_json::to_vec_pretty(&m).unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let files: Vec<SourceFile> =
        (0..1000).map(|n| SourceFile { path: format!("m{n}.json"), bytes: module(n) }).collect();
    let total: usize = files.iter().map(|f| f.bytes.len()).sum();
    eprintln!("1000 modules, {:.1} KB each on average", total as f64 / 1000.0 / 1024.0);
    let problems = load_sources(files.clone(), Scope::Folder).problems;
    assert!(problems.is_empty(), "{problems:?}");
    let mut group = c.benchmark_group("load-1000-modules");
    group.sample_size(10);
    group.bench_function("baseline: serde_json::Value parse", |b| {
        b.iter(|| {
            for f in &files {
                std::hint::black_box(serde_json::from_slice::<serde_json::Value>(&f.bytes).ok());
            }
        })
    });
    group.bench_function("pace: load and validate", |b| {
        b.iter_batched(|| files.clone(), |files| load_sources(files, Scope::Folder), criterion::BatchSize::LargeInput)
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
