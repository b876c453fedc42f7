//! The long help of the commands (`pace help X`, `pace X --help`, and so
//! the manual pages), kept apart from the clap definitions in `args.rs` so
//! those stay readable. `-h` shows only the one-line summaries and the
//! examples; these texts are the reference a trainer or an administrator
//! looks things up in. A paragraph is one line here: clap wraps it to the
//! terminal's width.
//!
//! A subcommand's text names only the options that subcommand takes
//! (`tests/cli.rs` checks each help lists no other).

/// Examples shown by `pace -h`, and at the head of `pace --help`'s end.
macro_rules! trainer_examples {
    () => {
        "Examples:
  pace                          open the trainer
  pace --learner \"Ana Ruiz\"      open it as Ana, skipping the learner picker
  pace --plain                  the trainer as plain text, for screen readers and scripts
  pace --modules ./our-modules  use your own curriculum instead of the shipped one
  pace validate modules/        check modules for a content CI"
    };
}

pub const TRAINER_EXAMPLES: &str = trainer_examples!();

pub const TRAINER: &str = "\
pace opens the trainer: lessons, quizzes and certification levels, kept in a local records file. \
With a subcommand it validates modules, prints progress and more.

The first start asks your name, your role, whether you are a new hire and, optionally, your work \
email or employee id (whichever organisation.json names in learner_id). New hires see the \
orientation path first; everyone sees their own track (marked ★) before the others. Home shows \
the next step (Enter continues). A lesson is complete when you reach its end. ? lists every key.

Every answer is committed to the records file the moment you give it, with synchronous=FULL: \
once pace shows the feedback, a power cut cannot take the answer back. If the disk fills during \
a quiz, the answer that could not be saved is not scored: the trainer says \"Could not save\", \
keeps the question on screen with your choice, and saves it when Enter is pressed again once \
there is room.

Several people can share one records file, as on an orientation workstation: whenever anyone is \
recorded, pace starts on a picker that lists them (the most recent first, so Enter continues) \
and offers \"+ New learner\"; L returns to it without a restart, so one workstation serves a \
queue of new hires. --learner NAME skips the picker, or opens the welcome form with the name \
filled in when no one has it yet. A name belongs to one person in the file whatever its case: \
typing a name that is taken says so and offers to continue as that learner (Enter again) or to \
choose another name. The same learner may have pace open in two windows: each question of a \
quiz attempt counts once (the records refuse a second answer to it), the other window says so \
and continues at the first question still open.

Certification levels (\"carrot, not stick\") are granted the moment their requirements hold, last \
for the ladder's validity period, open a renewal window before they expire (30 days in the \
shipped ladder; pace warns at start), and are renewed by retaking the level's quizzes; every \
grant is kept. A new major version of a module asks for a retake at the next recertification. \
Questions you miss come back on a spaced schedule (FSRS): the catalog shows \"Review (N due)\", \
and a question missed four times sends you back to its lesson.

Below 80x24 pace shows one pane at a time with a tab line; it never panics at any size. \
NO_COLOR=1 turns colour off in any theme.";

pub const TRAINER_AFTER: &str = concat!(
    trainer_examples!(),
    "

Settings: --db, --modules and --learner may stand before a command too (pace --db F report); \
a flag after the command wins over one before it, and any flag over the environment.
  --db PATH       PACE_DB         the records file
  --modules DIR   PACE_MODULES    your own curriculum instead of the shipped one
  --plain         PACE_PLAIN=1    the trainer as plain text (also chosen by TERM=dumb)
                  PACE_NOW        a fixed \"now\" (RFC 3339), for demos and tests
  pace sync:      PACE_LRS_URL, PACE_LRS_USER, PACE_LRS_PASSWORD (see pace help sync)
  pace sync:      SSL_CERT_FILE   a file of certificate authorities to trust for an https LRS

The records file: pace.sqlite3 in your data directory unless --db or PACE_DB names another: \
~/.local/share/pace/ on Linux (or $XDG_DATA_HOME/pace/), ~/Library/Application Support/pace/ on \
macOS, %APPDATA%\\pace\\data\\ on Windows. One SQLite file holds every learner's records (records \
version 2); every learner has a UUID. Each learner event (an answer, a lesson completed, a quiz \
result, a level) is one transaction: a finished quiz with the levels it earns, an answer with \
its review schedule. The records keep a quiz honest whatever the windows on it do: one answer \
per question of an attempt (a unique index), no answer to a finished attempt, and a score \
counted from the stored answers. Only the trainer creates a records file; the other commands \
report a missing one (a mistyped --db) and leave a zero-byte file at zero bytes.

A file from release 1 is upgraded the first time this pace opens it: first a copy of the whole \
file is written beside it with SQLite's backup API (pace.sqlite3.v1.bak; pace says so once), \
then the upgrade runs in one transaction. It gives every learner a UUID, keeps every learner, \
answer, grant and note, and recounts the attempts release 1 let two windows answer twice (the \
later answers are kept, marked, and not scored). A file from a newer pace, or one that is not \
pace's, is refused with a message and left byte for byte as it was, its -wal and -shm files \
included: pace reads the file's header (and the newest copy of it in the write-ahead log) before \
SQLite opens it. A file cut short is called damaged, with pace doctor to see what can be saved; \
a file in a folder pace may not write (SQLite keeps its journal beside the file) is said to be \
in a read-only folder.

Nothing that came from outside pace (module text, learner names, file names, an LRS's replies) \
reaches the terminal with a control character in it: pace cleans names when they are typed and \
again wherever it prints them. Messages quote such a value as written, with its control \
characters spelled out (unknown variant \"single\\u{1b}\"), and JSON output writes them as \\u \
escapes.

Exit status: 0 success, 1 content or data problems found, 2 usage error."
);

pub const PLAIN: &str = "\
The trainer as plain text, one line after another, for screen readers, braille displays and \
scripts: no full screen, no cursor movement, no colour, no box drawing. Also chosen by TERM=dumb \
(Emacs shells, some screen-reader setups) or PACE_PLAIN=1.

Every screen is a numbered menu: type the number (or the letter shown, such as b for back and q \
to quit), then Enter; Enter alone repeats a menu. The main menu starts with Continue: the quiz \
or lesson you left, in this mode or the full-screen one, else the next step of your path. The \
catalog lists every module once, your path and track first, each with how far you are or what \
unlocks it. A lesson comes a page at a time, sized to the terminal: Enter gives the next page, b \
the previous one, a page number or a word goes there, n adds a line to your note on the lesson, \
m goes to the module's menu; headings read \"Heading: ...\", callouts \"Tip: ...\", link \
addresses follow their text in brackets, and reaching the last page marks the lesson read. A \
question gives its kind, the situation to read first if any, the question and numbered options, \
and says how to answer (one number, or for an ordering question the numbers in order separated \
by spaces); then whether you were right, the feedback on your choice, the right answer and the \
explanation. m leaves a quiz (it waits, answers kept). Progress is sentences too.

Plain mode records exactly what the full-screen trainer records, and each continues where the \
other stopped (a lesson at about the same place, a quiz at its first unanswered question). \
Quitting, or the end of the input, keeps your place. Through a pipe pace prints each answer it \
reads after its prompt, so a script's output is a readable transcript.";

pub const DB: &str = "\
Records file (default: pace.sqlite3 in your data directory: ~/.local/share/pace/ on Linux, \
~/Library/Application Support/pace/ on macOS, %APPDATA%\\pace\\data\\ on Windows). The trainer \
creates it, and its folder, when missing.";

pub const VALIDATE: &str = "\
Check modules and report every problem as path:line:column, with a hint on how to fix it.

Exit status 1 when there is an error. A broken module is reported and skipped; the others still \
load (the trainer lists the broken ones in its catalog). Warnings (exit status unchanged) point \
at quizzes a learner can pass without reading: the correct option usually the longest, always \
first with \"shuffle\": false, true/false answers all one way, a pool smaller than twice its \
draw, and a ladder min_score that every required pass mark already enforces. modules/README.md \
lists every rule.

Only regular files are read, and at most 4 MiB (plus one byte) of each: a FIFO, a device such as \
/dev/zero, a socket or a symbolic link that loops is named and skipped (a warning in a folder, an \
error when named), and a file pace may not read is an error of its own. A UTF-8 byte order mark \
is read past with a warning. --format json lists the same findings with their severity.";

pub const PREVIEW: &str = "\
Preview modules exactly as learners see them; nothing is recorded and no records file is \
opened.

Every module is unlocked; a shows the answers and feedback; the quiz shows its whole pool, each \
question's options in the order a learner would see them (shuffled as in an attempt, unless the \
quiz says \"shuffle\": false). Problems, warnings included, appear in a panel. With --watch, \
saving a file reloads it within a second, keeping the reader where it was; a file that breaks \
keeps its last good version on screen.";

pub const CERTIFICATE: &str = "\
Print or write a certificate for a level the learner holds, or check a verification code.

A certificate names the learner, the organisation, the level, when it was granted and until \
when it is valid, and the module scores that earned it. The HTML page is standalone (inline CSS, \
nothing fetched) and prints on one landscape A4 or Letter page: more than 5 modules switch to a \
one-line-per-module table, and a long name is set in smaller type, on at most two lines (a name \
over 120 characters, which only an older records file can hold, is cut with an ellipsis). A file \
is written whole or not at all.

The verification code (PACE-XXXX-XXXX-XXXX) is the first 60 bits of a SHA-256 over the \
certificate's facts: it identifies the grant in this records file and no longer matches once a \
printed fact is changed. It is a checksum, not a secret. --verify says whose certificate a code \
is, with exit status 1 when none matches. A grant whose attempt the file does not hold as scored \
is refused, pointing at pace doctor.

Both name the organisation as issuer, and show titles, not ids. With --badge-key KEY (and --out \
NAME.html or NAME.txt) pace also signs the level's Open Badges 3.0 credential (see pace help \
badge) and writes it beside the certificate as NAME.credential.json; the certificate names that \
file, the issuer's did:key and how anyone verifies it (pace badge verify, or any Open Badges 3.0 \
verifier). Nothing is written when the key cannot sign (unreadable, or not the pinned issuer).";

pub const NOTES_EXPORT: &str = "\
Write the learner's notes (own and imported), grouped by module and lesson.

Markdown is for reading: each note is in a fenced block and names and titles are escaped, so a \
note line such as \"# not a heading\" or raw HTML stays text. JSON is for sharing: a colleague \
adds it with pace notes import. A file is written whole or not at all.";

pub const NOTES_IMPORT: &str = "\
Add a colleague's notes (a JSON export) to the learner's notes.

Each note keeps its author; a note already there is skipped, so importing the same file twice \
adds nothing. A file that is not a notes export is refused (exit status 1).";

pub const REPORT: &str = "\
Every learner in the records file: level, scores, expiry, last active; or, with --questions, \
item analysis.

The text table is as wide as the terminal (100 columns when piped), long names and titles cut \
with … rather than wrapped; --format csv or json gives the same facts in full, with each \
learner's UUID and their email or employee id where given. A trainer who collects the records \
files of several workstations gets one report over all of them with --db a.sqlite3 --db \
b.sqlite3: a person recorded on two machines with the same work email or employee id (or the \
same UUID) is one row, their attempts and levels put together.

--questions is item analysis: for every question answered in a finished quiz attempt (review \
answers and unfinished attempts do not count), how often it was answered, its facility (the \
share right) and its discrimination (the point-biserial correlation of the question with the \
rest of the attempt's score; - when either side never varies), flagged too easy (facility 0.90 \
or more), too hard (0.20 or less), negative discrimination (learners who do well elsewhere miss \
it more: check the key) or few answers (under 20, when nothing else is judged). It reads the \
answers in one streamed query, so memory does not grow with them. --country ID keeps the \
answers of one country's learners (a learner with no country recorded counts in the first one \
organisation.json lists), since a question tagged for a region is seen only there. \
modules/README.md says how to read the figures.

In CSV, a text cell that starts like a spreadsheet formula (=, +, -, @, also after tabs, \
carriage returns or spaces) gets a leading ', and --excel starts the file with a UTF-8 byte \
order mark so a spreadsheet opened with a double-click shows \"Zoë\", not \"ZoÃ«\".";

pub const EXPORT: &str = "\
Write learning records: CSV for HR, or xAPI statements for an LMS or a Learning Record Store.

Exports stream from one ordered query, so their memory stays flat as the records file grows; \
the file given by --out is written whole or not at all.";

pub const EXPORT_FORMAT: &str = "\
csv: one RFC 4180 row per event (lesson completed, answer, quiz passed or failed, level \
granted), with the columns timestamp, learner_id, learner_uuid, learner, email, employee_id, \
role, event, module, item, response, correct, score, expires, uuid. A text cell that starts like \
a spreadsheet formula (=, +, -, @, also after tabs, carriage returns or spaces) gets a leading '.

xapi: the same events as xAPI 1.0.3 statements: one JSON array with a compact statement per \
line, or, with --lines, JSON Lines (one statement per line and nothing else, the form LRS bulk \
loaders read). The statement id is the uuid \
stored when the event was recorded, so two exports, or an export and a sync, name every \
statement the same way. The actor is the person, not a row of one file: mbox (mailto:) for a \
learner with a work email, else an account on the organisation's home_page named by their \
employee id, else an account named by the learner's UUID (statements already sent keep the \
actor they were sent with). Verbs are ADL's: completed (lesson), answered (a cmi.interaction of \
type choice, true-false or sequencing, with its choices, correctResponsesPattern, \
result.response and success; a choice question's response lists the chosen option ids in the \
question's option order), passed and failed (quiz: score scaled/raw/min/max, success, ISO 8601 \
duration) and https://w3id.org/xapi/adl/verbs/satisfied (a level granted, its expiry in a result \
extension). Activity ids lie under {home_page}/pace/: modules/{module}, \
modules/{module}/lessons/{lesson}, modules/{module}/quiz, \
modules/{module}/quiz/questions/{question}, tracks/{track}, levels/{level}; \
context.contextActivities links question, quiz, module and track, and a quiz's answers share its \
attempt as registration. No version (the LRS sets it), and no nulls.";

pub const SYNC: &str = "\
Send the xAPI statements not yet sent to a Learning Record Store.

Statements (the ones pace export --format xapi writes) are posted to URL/statements with HTTP \
Basic auth and X-Experience-API-Version: 1.0.3, in batches (--batch, 100 by default); each \
accepted batch is logged in the records file before the next is sent, so a second run sends \
nothing and a run cut short is finished by the next one. What the LRS says is checked: a 200 \
counts for the statement ids it returns; the other statements of that batch, every statement of \
a 204 (no content) and a statement answered 409 (its id taken) are read back (GET \
statements?statementId=) and count as sent only if the LRS holds the same statement. One the LRS \
does not hold stays queued and is listed; a different statement under the id is a conflict, \
listed with the refused ones and never marked sent. --timeout SECONDS (300 by default) limits the \
whole run: a request still waiting then is given up and the rest stays queued. When the network \
or the LRS fails, pace says what happened, what was sent and what to do, exits with status 1, \
and the rest waits for the next run; a batch the LRS refuses as \
invalid is retried one statement at a time, so only the bad statement waits. A statement goes to \
the first LRS that accepts it, not to every LRS pace is pointed at. The summary counts the \
requests the LRS accepted. --dry-run says how many statements would go, to which address, in how \
many requests, and lists the first few ids, sending nothing.

The password need not sit on the command line, where ps shows it: with --user and no password \
pace asks for it at a terminal; --password-file FILE reads the file's first line; --password - \
asks (or reads a line of standard input in a script). --password P and PACE_LRS_PASSWORD work \
too. An address with a password in it (https://alice:S3cret@host/xAPI) is refused, and no message \
repeats a password (https://alice:***@host/xAPI).

For an https LRS pace trusts Mozilla's roots (built in) and the operating system's certificate \
store (SSL_CERT_FILE names another file), so an LRS behind a company's own certificate authority \
works. A certificate pace does not trust is explained in words (not signed by a certificate \
authority pace trusts, has expired, is not for lrs.example.com) with what to do.";

pub const DOCTOR: &str = "\
Check the records file and say what is wrong; back it up, or repair it.

pace doctor says what it found, one line per kind of problem with how many and the first \
example, then what to do. It checks: SQLite's integrity check and foreign key check; the records \
version (a file from a newer pace is refused, untouched; an older one is checked as it is, and \
the trainer or --upgrade upgrades it, after a backup); writes waiting in the \
write-ahead log (normal while pace is open); orphan rows (answers, attempts, grants, notes, \
lesson progress, review items and saved places whose learner is gone, answers whose attempt is \
gone); attempts whose scores do not add up (more right answers than questions, a score that is \
not the share of right answers, a finished attempt whose count of right answers differs from \
its recorded answers, passed below its pass mark); values pace cannot read (a timestamp, a role, \
a quiz draw, a chosen answer, a count), named by table, column and row; learners without a \
UUID, statement ids that are not UUIDs (an LRS refuses such a statement forever), module and \
question ids the curriculum in use does not hold (those in stored quiz draws too), questions of \
an attempt answered more than once, and certification grants naming an \
attempt the file does not hold as scored (the certificates pace certificate refuses). A damaged \
file (cut short, a damaged table list, or pages SQLite cannot read) gets a list of how much of \
each table can still be read and the backups found beside it. Where the file's own table list \
(sqlite_schema) is damaged, doctor reads past it with the schema pace knows: on a copy, with \
PRAGMA writable_schema, each entry is given pace's definition, matched by name or by root page.

Checking never changes the file: not a byte of it, of its -wal or of its -shm, even while the \
trainer has it open. doctor reads through the -shm without writing it (readonly_shm) when there \
is a log, and reads the file alone (immutable) when there is none, comparing its size and time \
afterwards in case a trainer started meanwhile; a log holding writes without its -shm cannot be \
read without making one, so doctor says so and reads nothing. All checks run in one read \
transaction, so a trainer writing meanwhile cannot make two checks see two states of the file.

--backup FILE writes a consistent copy with SQLite's backup API while learners keep learning: \
the records at one moment, every write committed by then in it, checked with SQLite's \
integrity check, in rollback mode (no -wal to carry along). It never replaces an existing file. \
When SQLite cannot copy a damaged file page by page, --backup writes every row it can still read \
to a new records file instead, and says per table how many rows were saved and how many lost.

--repair mends only what loses nothing a learner did: it rebuilds indexes that disagree with \
their tables (REINDEX) and drops orphan rows, in one transaction, after writing \
FILE.before-repair-YYYYMMDD-HHMMSS.bak beside the file; it says what it did and checks again. \
It never writes to a damaged file: it saves every row it can still read to a new file beside it \
(FILE.salvaged-YYYYMMDD-HHMMSS.sqlite3), as --backup does. It leaves scores, unreadable values and duplicates alone: \
those came from outside pace, and the records keep what they say until someone restores a \
backup or corrects the rows with the sqlite3 tool (after a --backup).

--upgrade opens the file for writing as the trainer does: a file from an older pace is copied to \
FILE.vN.bak and migrated (the commands that only read, such as report and export, refuse an \
older file rather than change it), a missing -shm index is rebuilt and the write-ahead log is \
merged into the file.";

pub const SCHEMA: &str = "\
Print the JSON Schema (draft 2020-12) of a file kind: a module, curriculum.json or \
organisation.json.

The same schemas are kept in assets/. They give editors completion and checking of every rule a \
schema can express; a \"$schema\" key in a file is allowed and ignored. The few rules only pace \
validate checks are listed in modules/README.md.";

pub const COMPLETIONS: &str = "\
Print a shell completion script, generated from the same definitions as --help.

Make the folder first: in a fresh home folder it does not exist yet, so each example starts with \
mkdir -p. For zsh, ~/.zfunc must be on fpath: add fpath+=~/.zfunc before compinit in ~/.zshrc. In \
PowerShell, New-Item -ItemType Directory -Force (Split-Path $PROFILE) makes the profile's folder, \
then pace completions powershell >> $PROFILE adds the script to it.";

pub const MAN: &str = "\
Print the manual page (roff), or write one page per command into a folder.

--out-dir DIR writes pace.1 and pace-<command>.1 (pace-report.1, ...) into DIR, creating DIR and \
its parents when they are missing. man-db (most Linux systems) looks for pages in share/man \
beside each folder on PATH: after cargo install, ~/.cargo/share/man/man1 is found, because pace \
is in ~/.cargo/bin; with pace in ~/.local/bin, ~/.local/share/man/man1. man -l FILE shows any \
page file.";

pub const BADGE: &str = "\
Open Badges 3.0 credentials, signed by the organisation, for the levels learners hold: a level \
anyone can verify (HR, an auditor, a partner, the learner's next employer), offline, without the \
records file. A credential is a W3C Verifiable Credential (OpenBadgeCredential) that wallets and \
badge platforms read.

How an organisation sets it up:
  1. pace badge keygen --out ~/keys/issuer.pem      makes the key, prints its did:key last
  2. put \"credential_issuer\": \"did:key:...\" in organisation.json (beside your modules)
  3. pace badge issue --key ~/keys/issuer.pem --learner \"Ana Ruiz\" --out ana.json
     (or --all --out-dir DIR for every level held in a records file, a company one included)
  4. anyone: pace badge verify ana.json --issuer did:key:...   (or any OB 3.0 verifier)
  5. pace certificate --out page.html --badge-key ~/keys/issuer.pem   the page, and its credential beside it

Keep the key secret and backed up: whoever holds it issues in the organisation's name; a new key \
means a new pin, and verifiers then refuse credentials signed with the old one unless given \
--issuer.";

pub const BADGE_KEYGEN: &str = "\
Make the organisation's signing key (Ed25519) and print its did:key.

The private key is written as PKCS#8 PEM with mode 0600 (readable by its owner only). pace never \
overwrites a file, and refuses a folder that its group or everyone can write (they could swap \
the key). The last line printed is the issuer's did:key identifier: the public key itself, so \
verifiers need no registry. Pin it in organisation.json as \"credential_issuer\". A key made \
elsewhere works too: any unencrypted Ed25519 PKCS#8 PEM (openssl genpkey -algorithm ed25519).";

pub const BADGE_ISSUE: &str = "\
Write a signed Open Badges 3.0 credential for a level a learner holds.

The credential is an OpenBadgeCredential (W3C credentials v2 and OB 3.0.3 contexts): the issuer \
is a Profile with the key's did:key and the organisation's name and home page; validFrom is when \
the level was granted and validUntil when it expires; the subject (AchievementSubject) is named \
by the learner's work email or employee id as an OB identifier (an identity hash with \
organisation.json's \"credential_salt\" when it has one; urn:uuid:<learner uuid> when they have \
neither) and their name; the achievement is the level, with its requirements in words as \
criteria. The proof is a Data Integrity proof with the eddsa-rdfc-2022 cryptosuite: JSON-LD \
expansion and RDF canonicalization (RDFC-1.0) over contexts pace embeds, so nothing is fetched.

Without --level the highest level held is used. --all --out-dir DIR writes \
<learner uuid>-<level>.json for every level every learner in the records file holds. A learner \
without the level, an expired level, an unreadable key, or a key whose did:key is not the \
credential_issuer organisation.json pins: exit status 1 and nothing written. With nothing pinned \
the credential is written, with a note on how to pin the issuer.";

pub const BADGE_VERIFY: &str = "\
Check a credential: its signature, its issuer and its dates.

The proof must be an eddsa-rdfc-2022 Data Integrity proof by the did:key the credential names as \
its issuer; that issuer must be the one given with --issuer, else the one organisation.json pins \
(with neither, pace says the key was not checked against anyone). validFrom and validUntil are \
compared with the current time (PACE_NOW when set). A credential whose content changed after \
signing (a name, a level, a date) fails. On success one sentence says what it attests. Exit \
status: 0 valid, 1 not valid (the reason is printed), 2 usage.";
