//! pace: an offline, self-paced trainer for the terminal.
//!
//! The binary (`src/main.rs`) is a plain `fn main` that hands the command
//! line to [`cli::main`]; everything else is this library. The README says
//! what pace does for its users; this page says where its code lives.
//!
//! # How the code is laid out
//!
//! | module | what lives there |
//! |---|---|
//! | [`cli`] | the command line: clap definitions (`args.rs`), each command's long help (`help_text.rs`), one file per command, and the trainer's start (`trainer.rs`) |
//! | [`content`] | the module format (serde types in `model.rs`), reading files, the loader, the validator and its warnings, the sanitiser, the JSON Schemas, and the outline of the shipped curriculum cut at build time |
//! | [`records`] | the SQLite records file: connection, migrations, one file per kind of record, bulk reads for exports, and the doctor's checks and repairs |
//! | [`learning`] | the learning service both trainers call ([`learning::session::Session`]: one learner event, one transaction), the catalog's order, locks and next step, quiz drawing and marking, the certification ladder, review scheduling (FSRS), progress, the report and item analysis |
//! | [`badge`] | Open Badges 3.0 credentials for held levels: the organisation's Ed25519 key and did:key, the credential, JSON-LD canonicalisation over embedded contexts, `eddsa-rdfc-2022` proofs, verification |
//! | [`export`] | what leaves pace: certificates (text, printable HTML, verification codes), notes files, events as CSV or xAPI statements, and LRS sync with its TLS trust |
//! | [`tui`] | the full-screen trainer: keymap, actions, `App::update`, and one file per pane |
//! | [`plain`] | plain mode: menus, sign-up, lesson pages, quizzes and progress as lines of text |
//!
//! Beside `src/`: `modules/` holds the shipped curriculum and its authoring
//! guide, `assets/` the JSON Schemas and the certificate page's template,
//! `build.rs` embeds the curriculum and cuts its outline, `tests/`,
//! `benches/` and `fuzz/` each have a README, and `.cargo/static.toml` is
//! the opt-in static build for x86-64 Linux.
//!
//! # Rules the layout keeps
//!
//! - **A core that knows nothing of the terminal.** [`content`],
//!   [`records`], [`learning`] and [`export`] import neither ratatui,
//!   crossterm nor clap, and are tested directly; `tests/boundary.rs` holds
//!   them to it.
//! - **One learning service, two front ends.** The full-screen trainer and
//!   plain mode make the same [`learning::session::Session`] calls, so they
//!   record the same rows and each continues where the other stopped. Only
//!   wording, paging and drawing live in [`tui`] and [`plain`].
//! - **Resolve, then apply.** In the trainer a key becomes an `Action`
//!   through one keymap table (which also writes the status bar and the help
//!   overlay), `App::update` changes state, and drawing only reads it. Tests
//!   drive `update` with actions, no terminal needed. One loop, no async
//!   runtime.
//! - **One learner event, one transaction.** An answer, a lesson completed,
//!   a finished quiz with the levels it earns: each is committed with
//!   `synchronous=FULL` before the call returns. The records keep a quiz
//!   honest whatever the windows on it do (one answer per question of an
//!   attempt, a score counted from the stored answers).
//! - **Files pace refuses stay as they were.** A records file's header and
//!   write-ahead log are read from the bytes before SQLite opens it, so a
//!   newer pace's file, another program's or a damaged one is left
//!   untouched; `pace doctor` only reads unless told to repair.
//! - **Every string from outside is cleaned at the edge.** Module text,
//!   learner names, file names and an LRS's replies pass one sanitiser
//!   ([`content::sanitize`]) where they enter and again where they are
//!   printed.
//! - **Set-based at a company's size.** Reports are a few indexed queries
//!   folded as the rows stream by; exports stream from one ordered query, so
//!   memory stays flat at millions of answers.
//! - **Start-up without tricks.** The first screen is drawn from the
//!   curriculum's outline while the records file opens on a scoped thread,
//!   and goes out in one write; the whole curriculum is read after it. Safe
//!   Rust only (Cargo.toml's `[lints.rust]` forbids the rest), no forced
//!   build target.

pub mod badge;
pub mod cli;
pub mod content;
mod embedded;
pub mod export;
#[doc(hidden)]
pub mod fuzz;
pub mod learning;
pub mod plain;
pub mod records;
pub mod tui;
