//! Reading a records file without writing to it, its write-ahead log or its
//! index. A read-only SQLite connection is not enough on its own: on a file
//! in WAL mode it creates the `-wal` and `-shm` files when they are missing,
//! and rebuilds the `-shm` index when no one else has it open. So:
//!
//! - with a `-wal` and a `-shm` beside the file, SQLite reads through the
//!   index without writing it (`readonly_shm=1`): locked as any reader, so a
//!   trainer may go on writing;
//! - with no log, or a log holding no finished write, SQLite reads the file
//!   alone (`immutable=1`), and the file's size and time are compared after:
//!   a trainer that started meanwhile and merged its log into the file makes
//!   the reading void;
//! - a log holding writes but no `-shm` cannot be read without making one:
//!   that is refused, and said.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rusqlite::{Connection, OpenFlags};

use super::{RecordsError, header};

/// A connection that cannot write, and how to tell whether what it read holds.
pub(crate) struct Reader {
    pub conn: Connection,
    /// Pages of finished writes waiting in the write-ahead log.
    pub wal_pages: u64,
    /// The file's size and modification time when SQLite reads it alone.
    pub watched: Option<Watched>,
}

/// The file SQLite reads alone, and its size and time when the reading began.
#[derive(Debug, Clone)]
pub(crate) struct Watched {
    path: PathBuf,
    before: Fingerprint,
}

impl Watched {
    /// An error when the file changed since the reading began.
    pub fn unchanged(&self, shown: &str) -> Result<(), RecordsError> {
        if fingerprint(&self.path).ok() != Some(self.before) {
            return Err(RecordsError::Changed { path: shown.to_string() });
        }
        Ok(())
    }
}

type Fingerprint = (u64, Option<SystemTime>);

fn fingerprint(path: &Path) -> std::io::Result<Fingerprint> {
    let meta = std::fs::metadata(path)?;
    Ok((meta.len(), meta.modified().ok()))
}

impl Reader {
    /// Closes the connection; an error when the file changed under a reading
    /// that could not see changes.
    pub fn finish(self, shown: &str) -> Result<(), RecordsError> {
        drop(self.conn);
        self.watched.map_or(Ok(()), |w| w.unchanged(shown))
    }
}

/// Opens the file at `path` so that SQLite can read it and write nothing.
pub(crate) fn open(path: &Path, shown: &str) -> Result<Reader, RecordsError> {
    let io = |source| RecordsError::Io { path: shown.to_string(), source };
    let wal = header::wal_path(path);
    let shm = PathBuf::from(format!("{}-shm", path.display()));
    let wal_pages = committed_frames(&wal).map_err(io)?;
    let (query, watched) = if wal.exists() && shm.exists() {
        ("mode=ro&readonly_shm=1", None)
    } else if wal_pages > 0 {
        return Err(RecordsError::WalWithoutIndex {
            path: shown.to_string(),
            wal: crate::content::sanitize::clean(&wal.display().to_string()).into_owned(),
            pages: wal_pages,
        });
    } else {
        ("immutable=1", Some(Watched { path: path.to_path_buf(), before: fingerprint(path).map_err(io)? }))
    };
    let uri = uri(path, query).map_err(io)?;
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let sqlite = |source| RecordsError::Sqlite { path: shown.to_string(), source };
    let conn = Connection::open_with_flags(uri, flags).map_err(sqlite)?;
    conn.busy_timeout(std::time::Duration::from_secs(5)).map_err(sqlite)?;
    Ok(Reader { conn, wal_pages, watched })
}

/// A `file:` URI for `path`, every byte but the plainest percent-encoded
/// (SQLite reads `?`, `#` and `%` in a file name as URI syntax).
fn uri(path: &Path, query: &str) -> std::io::Result<String> {
    let absolute = std::path::absolute(path)?;
    let mut out = String::from("file://");
    for &b in path_bytes(&absolute).iter() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if !out[7..].starts_with('/') {
        // A drive path (C:/...) still needs the slash that starts a URI path.
        out.insert(7, '/');
    }
    out.push('?');
    out.push_str(query);
    Ok(out)
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().replace('\\', "/").into_bytes()
}

/// Frames of the write-ahead log up to its last commit: pages of finished
/// writes. Frames of an older generation of the log (other salts) do not count.
pub(crate) fn committed_frames(wal: &Path) -> std::io::Result<u64> {
    let mut file = match File::open(wal) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    let mut header = [0u8; 32];
    if len < 32 {
        return Ok(0);
    }
    file.read_exact(&mut header)?;
    let be32 = |b: &[u8], at: usize| u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    if !matches!(be32(&header, 0), 0x377f_0682 | 0x377f_0683) {
        return Ok(0);
    }
    let page_size = u64::from(be32(&header, 8));
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() {
        return Ok(0);
    }
    let (salt1, salt2) = (be32(&header, 16), be32(&header, 20));
    let (mut frames, mut committed) = (0u64, 0u64);
    let mut frame = [0u8; 24];
    let mut at = 32u64;
    while at + 24 + page_size <= len {
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(&mut frame)?;
        if be32(&frame, 8) != salt1 || be32(&frame, 12) != salt2 {
            break;
        }
        frames += 1;
        if be32(&frame, 4) != 0 {
            committed = frames;
        }
        at += 24 + page_size;
    }
    Ok(committed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uri_escapes_what_sqlite_would_read_as_uri_syntax() {
        let made = uri(Path::new("/tmp/a b/pace?x#1%.sqlite3"), "immutable=1").expect("uri");
        assert_eq!(made, "file:///tmp/a%20b/pace%3Fx%231%25.sqlite3?immutable=1");
    }
}
