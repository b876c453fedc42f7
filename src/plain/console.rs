//! Plain mode's input and output: lines in, lines out. Every line printed
//! passes the sanitiser, so nothing from a module, a name or the keyboard
//! puts a control character on the terminal; the prompt is flushed before
//! each read, so a screen reader or a script sees it at once.

use std::io::{self, BufRead, Write};

use crate::content::sanitize;

/// The longest line read; the rest of a longer one is dropped.
const MAX_LINE_BYTES: usize = 4096;

pub struct Console<'io> {
    input: Box<dyn BufRead + 'io>,
    output: Box<dyn Write + 'io>,
    /// Print each line read after its prompt (input from a pipe, which no
    /// terminal echoes), so a transcript shows what was answered.
    echo: bool,
}

impl<'io> Console<'io> {
    pub fn new(input: Box<dyn BufRead + 'io>, output: Box<dyn Write + 'io>, echo: bool) -> Console<'io> {
        Console { input, output, echo }
    }

    /// Prints `text` (cleaned) and ends the line.
    pub fn say(&mut self, text: &str) -> io::Result<()> {
        self.output.write_all(sanitize::clean(text).as_bytes())?;
        self.output.write_all(b"\n")
    }

    pub fn blank(&mut self) -> io::Result<()> {
        self.output.write_all(b"\n")
    }

    /// Prints how to answer and the prompt, then reads one line: trimmed and
    /// cleaned, or None at the end of input.
    pub fn ask(&mut self, how: &str) -> io::Result<Option<String>> {
        if !how.is_empty() {
            self.say(how)?;
        }
        self.output.write_all(b"> ")?;
        self.output.flush()?;
        let mut buf = Vec::new();
        let read = io::Read::take(&mut self.input, MAX_LINE_BYTES as u64).read_until(b'\n', &mut buf)?;
        if read == 0 {
            self.output.write_all(b"\n")?;
            self.output.flush()?;
            return Ok(None);
        }
        if buf.len() == MAX_LINE_BYTES && buf.last() != Some(&b'\n') {
            self.skip_rest_of_line()?;
        }
        let line = sanitize::clean(&String::from_utf8_lossy(&buf)).trim().to_string();
        if self.echo {
            self.say(&line)?;
        }
        Ok(Some(line))
    }

    fn skip_rest_of_line(&mut self) -> io::Result<()> {
        let mut rest = Vec::new();
        loop {
            rest.clear();
            let read = io::Read::take(&mut self.input, MAX_LINE_BYTES as u64).read_until(b'\n', &mut rest)?;
            if read == 0 || rest.last() == Some(&b'\n') {
                return Ok(());
            }
        }
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.output.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_clean_lines_and_echoes_them_for_a_transcript() {
        let mut out = Vec::new();
        {
            let input = io::Cursor::new(b"  2 \n\x1b[31mred\x1b[0m\r\n".to_vec());
            let mut c = Console::new(Box::new(input), Box::new(&mut out), true);
            assert_eq!(c.ask("Type a number.").ok().flatten().as_deref(), Some("2"));
            assert_eq!(c.ask("").ok().flatten().as_deref(), Some("red"));
            assert_eq!(c.ask("").ok().flatten(), None);
            c.say("a \u{7}bell and \u{1b}]0;title\u{7}an OSC").ok();
        }
        let text = String::from_utf8(out).unwrap_or_default();
        assert_eq!(text, "Type a number.\n> 2\n> red\n> \na bell and an OSC\n");
    }

    #[test]
    fn a_very_long_line_is_cut_not_carried_into_the_next_answer() {
        let mut long = vec![b'x'; MAX_LINE_BYTES * 3];
        long.extend_from_slice(b"\n1\n");
        let mut out = Vec::new();
        let mut c = Console::new(Box::new(io::Cursor::new(long)), Box::new(&mut out), false);
        assert_eq!(c.ask("").ok().flatten().map(|l| l.len()), Some(MAX_LINE_BYTES));
        assert_eq!(c.ask("").ok().flatten().as_deref(), Some("1"));
    }
}
