//! Reads what pace needs to know about a records file from its bytes, before
//! SQLite touches it: whose file it is, its records version, and whether it
//! is whole. The newest copy of the first page may sit in the write-ahead log
//! (`-wal`), so committed frames there count too. Nothing here writes.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::{RecordsError, Result};

const MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// The file header plus the first page's b-tree header (the schema table's cell count).
const PREFIX: usize = 108;

/// The facts pace reads from a file's first page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub user_version: i64,
    pub application_id: i32,
    /// Tables, indexes and triggers in the schema (cells on the first page).
    pub schema_cells: u16,
    /// In write-ahead-log mode already (read and write versions 2).
    pub wal: bool,
}

impl Header {
    /// A SQLite file with nothing in it, as `sqlite3 new.db` leaves one.
    pub fn is_blank(&self) -> bool {
        self.user_version == 0 && self.application_id == 0 && self.schema_cells == 0
    }

    fn parse(page: &[u8; PREFIX]) -> Header {
        let be32 = |at: usize| u32::from_be_bytes([page[at], page[at + 1], page[at + 2], page[at + 3]]);
        Header {
            user_version: i64::from(be32(60) as i32),
            application_id: be32(68) as i32,
            schema_cells: u16::from_be_bytes([page[103], page[104]]),
            wal: page[18] == 2 && page[19] == 2,
        }
    }
}

/// `Ok(None)` for a missing or zero-byte file.
pub(crate) fn inspect(path: &Path, shown: &str) -> Result<Option<Header>> {
    let io = |source| RecordsError::Io { path: shown.to_string(), source };
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(RecordsError::NotSqlite { path: shown.to_string() });
    }
    let len = meta.len();
    if len == 0 {
        return Ok(None);
    }
    let mut page = [0u8; PREFIX];
    let n = read_up_to(&mut file, &mut page).map_err(io)?;
    if n < MAGIC.len() || &page[..MAGIC.len()] != MAGIC {
        return Err(RecordsError::NotSqlite { path: shown.to_string() });
    }
    let damaged = |detail: String| RecordsError::Damaged { path: shown.to_string(), detail };
    if n < PREFIX {
        return Err(damaged(format!("it is {len} bytes long, shorter than its own header")));
    }
    let page_size = match u16::from_be_bytes([page[16], page[17]]) {
        1 => 65_536,
        s => u64::from(s),
    };
    // Sixteen bytes of "SQLite format 3" do not make a SQLite file: SQLite
    // writes a power-of-two page size and fixed payload fractions (64, 32, 32).
    if !(512..=65_536).contains(&page_size) || !page_size.is_power_of_two() || page[21..24] != [64, 32, 32] {
        return Err(RecordsError::NotSqlite { path: shown.to_string() });
    }

    let wal = wal_page_one(&wal_path(path), page_size).map_err(io)?;
    let parsed = Header::parse(wal.as_ref().unwrap_or(&page));
    // Another program's file is not a damaged pace file, cut short or not.
    if parsed.application_id != super::APPLICATION_ID && !parsed.is_blank() {
        return Err(RecordsError::Foreign { path: shown.to_string() });
    }
    if wal.is_none() {
        let pages = u64::from(u32::from_be_bytes([page[28], page[29], page[30], page[31]]));
        if page_size < 512 || len < pages.saturating_mul(page_size) {
            return Err(damaged(format!(
                "it is {len} bytes long but says it holds {pages} pages of {page_size} bytes: it was cut short"
            )));
        }
    }
    Ok(Some(parsed))
}

pub(crate) fn wal_path(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}-wal", path.display()))
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// The start of the newest committed copy of page 1 in the write-ahead log.
fn wal_page_one(wal: &Path, db_page_size: u64) -> std::io::Result<Option<[u8; PREFIX]>> {
    let mut file = match File::open(wal) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let len = file.metadata()?.len();
    let mut header = [0u8; 32];
    if len < 32 || read_up_to(&mut file, &mut header)? < 32 {
        return Ok(None);
    }
    let be32 = |b: &[u8], at: usize| u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    if !matches!(be32(&header, 0), 0x377f_0682 | 0x377f_0683) {
        return Ok(None);
    }
    let page_size = match be32(&header, 8) {
        0 => db_page_size,
        s => u64::from(s),
    };
    let (salt1, salt2) = (be32(&header, 16), be32(&header, 20));
    let mut committed = None;
    let mut pending = None;
    let mut at = 32u64;
    let mut frame = [0u8; 24];
    while at + 24 + page_size <= len {
        file.seek(SeekFrom::Start(at))?;
        if read_up_to(&mut file, &mut frame)? < 24 || be32(&frame, 8) != salt1 || be32(&frame, 12) != salt2 {
            break;
        }
        if be32(&frame, 0) == 1 {
            let mut page = [0u8; PREFIX];
            if read_up_to(&mut file, &mut page)? == PREFIX {
                pending = Some(page);
            }
        }
        if be32(&frame, 4) != 0 {
            // A commit frame: everything up to here is part of the database.
            if pending.is_some() {
                committed = pending.take();
            }
        }
        at += 24 + page_size;
    }
    Ok(committed)
}
