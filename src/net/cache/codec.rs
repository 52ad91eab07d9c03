//! A small binary encoding for cache payloads: numbers as bytes (no float text to parse back),
//! lengths and counts as LEB128 varints, text as UTF-8 with its length. Decoding a cached table
//! is then a copy, not a parse, and a truncated or foreign payload is an error, never a panic.
//! Callers write and read their fields in the same order; the entry header (`entry.rs`) ties a
//! payload to the app version that wrote it. Text that repeats across records (names, dates,
//! models) can go through a [`Strings`] table: written once, then referred to by number.

use std::fmt;

use crate::hash::FastMap;

/// A payload that cannot be read (cut off, or not what the reader expects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError(pub String);

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable cache entry: {}", self.0)
    }
}

impl std::error::Error for CodecError {}

#[derive(Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    pub fn finish(self) -> Vec<u8> {
        self.buf
    }

    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }

    pub fn u64(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(byte);
                return;
            }
            self.buf.push(byte | 0x80);
        }
    }

    pub fn i64(&mut self, v: i64) {
        self.u64(((v << 1) ^ (v >> 63)) as u64);
    }

    pub fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }

    /// An optional value: a presence byte, then the value.
    pub fn opt<T>(&mut self, v: Option<T>, write: impl FnOnce(&mut Writer, T)) {
        self.bool(v.is_some());
        if let Some(v) = v {
            write(self, v);
        }
    }

    /// A list: its length, then each item.
    pub fn list<T>(&mut self, items: &[T], mut write: impl FnMut(&mut Writer, &T)) {
        self.u64(items.len() as u64);
        for item in items {
            write(self, item);
        }
    }

    /// What `other` wrote, after what this one wrote.
    pub fn append(&mut self, other: Writer) {
        self.buf.extend_from_slice(&other.buf);
    }
}

/// Text written once and referred to by its number: see [`Strings::write`] and
/// [`Reader::strings`].
#[derive(Default)]
pub struct Strings<'a> {
    index: FastMap<&'a str, u64>,
    list: Vec<&'a str>,
}

impl<'a> Strings<'a> {
    /// Writes a reference to `s` (adding it to the table).
    pub fn put(&mut self, w: &mut Writer, s: &'a str) {
        let n = match self.index.get(s) {
            Some(n) => *n,
            None => {
                let n = self.list.len() as u64;
                self.index.insert(s, n);
                self.list.push(s);
                n
            }
        };
        w.u64(n);
    }

    /// The table, to be written before the references (the reader needs it first).
    pub fn write(&self, w: &mut Writer) {
        w.list(&self.list, |w, s| w.str(s));
    }
}

pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Bytes of table text that references may still copy: a one-byte reference copies a whole
    /// string, so a crafted payload could otherwise decode into far more memory than its size.
    text_budget: usize,
}

/// Table text a payload may decode into, per byte of payload (real entries stay near 2).
const TEXT_PER_BYTE: usize = 16;

fn cut() -> CodecError {
    CodecError("cut off".into())
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader {
            buf,
            pos: 0,
            text_budget: buf.len().saturating_mul(TEXT_PER_BYTE),
        }
    }

    /// Fails unless every byte was read.
    pub fn finish(self) -> Result<(), CodecError> {
        if self.pos == self.buf.len() {
            Ok(())
        } else {
            Err(CodecError(format!(
                "{} bytes left over",
                self.buf.len() - self.pos
            )))
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], CodecError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.buf.len())
            .ok_or_else(cut)?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    pub fn u8(&mut self) -> Result<u8, CodecError> {
        Ok(self.take(1)?[0])
    }

    pub fn bool(&mut self) -> Result<bool, CodecError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(CodecError(format!("{b} is not a flag"))),
        }
    }

    pub fn u64(&mut self) -> Result<u64, CodecError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(CodecError("a number runs on".into()))
    }

    pub fn usize(&mut self) -> Result<usize, CodecError> {
        usize::try_from(self.u64()?).map_err(|_| CodecError("a count is too large".into()))
    }

    pub fn i64(&mut self) -> Result<i64, CodecError> {
        let z = self.u64()?;
        Ok((z >> 1) as i64 ^ -((z & 1) as i64))
    }

    pub fn f64(&mut self) -> Result<f64, CodecError> {
        let b = self.take(8)?;
        Ok(f64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }

    /// A table written by [`Strings::write`].
    pub fn strings(&mut self) -> Result<Vec<String>, CodecError> {
        self.list(|r| r.string())
    }

    /// Text written by [`Strings::put`], from its `table`.
    pub fn interned(&mut self, table: &[String]) -> Result<String, CodecError> {
        let n = self.usize()?;
        let text = table
            .get(n)
            .ok_or_else(|| CodecError(format!("text number {n} is not in the table")))?;
        self.text_budget = self.text_budget.checked_sub(text.len()).ok_or_else(|| {
            CodecError("the text it refers to is far larger than the entry".into())
        })?;
        Ok(text.clone())
    }

    pub fn string(&mut self) -> Result<String, CodecError> {
        let n = self.usize()?;
        let bytes = self.take(n)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| CodecError("text is not UTF-8".into()))
    }

    pub fn opt<T>(
        &mut self,
        read: impl FnOnce(&mut Reader<'a>) -> Result<T, CodecError>,
    ) -> Result<Option<T>, CodecError> {
        if self.bool()? {
            read(self).map(Some)
        } else {
            Ok(None)
        }
    }

    pub fn list<T>(
        &mut self,
        mut read: impl FnMut(&mut Reader<'a>) -> Result<T, CodecError>,
    ) -> Result<Vec<T>, CodecError> {
        let n = self.usize()?;
        // Every item takes at least a byte: a corrupt length cannot allocate beyond the data.
        if n > self.buf.len() - self.pos {
            return Err(cut());
        }
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push(read(self)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip() {
        let mut w = Writer::new();
        w.u8(7);
        w.bool(true);
        for v in [0, 1, 127, 128, 300, u64::MAX] {
            w.u64(v);
        }
        for v in [0, -1, 1, i64::MIN, i64::MAX] {
            w.i64(v);
        }
        for v in [0.0, -2.5, f64::NAN, f64::INFINITY, 1e-300] {
            w.f64(v);
        }
        w.str("héllo");
        w.opt(Some(3u64), |w, v| w.u64(v));
        w.opt(None::<u64>, |w, v| w.u64(v));
        w.list(&["a", "", "c"], |w, s| w.str(s));
        let bytes = w.finish();
        let mut r = Reader::new(&bytes);
        assert_eq!(r.u8(), Ok(7));
        assert_eq!(r.bool(), Ok(true));
        for v in [0, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.u64(), Ok(v));
        }
        for v in [0, -1, 1, i64::MIN, i64::MAX] {
            assert_eq!(r.i64(), Ok(v));
        }
        for v in [0.0, -2.5, f64::NAN, f64::INFINITY, 1e-300] {
            let got = r.f64().unwrap();
            assert!(got == v || (got.is_nan() && v.is_nan()));
        }
        assert_eq!(r.string().as_deref(), Ok("héllo"));
        assert_eq!(r.opt(|r| r.u64()), Ok(Some(3)));
        assert_eq!(r.opt(|r| r.u64()), Ok(None));
        assert_eq!(
            r.list(|r| r.string()),
            Ok(vec!["a".into(), "".into(), "c".into()])
        );
        assert_eq!(r.finish(), Ok(()));
    }

    #[test]
    fn repeated_text_is_written_once() {
        let mut strings = Strings::default();
        let mut body = Writer::new();
        for s in ["model A", "model B", "model A", "model A", ""] {
            strings.put(&mut body, s);
        }
        let mut w = Writer::new();
        strings.write(&mut w);
        w.append(body);
        let bytes = w.finish();
        assert_eq!(bytes.iter().filter(|b| **b == b'A').count(), 1);
        let mut r = Reader::new(&bytes);
        let table = r.strings().unwrap();
        let got: Vec<String> = (0..5).map(|_| r.interned(&table).unwrap()).collect();
        assert_eq!(got, ["model A", "model B", "model A", "model A", ""]);
        assert_eq!(r.finish(), Ok(()));
        // A reference beyond the table is an error.
        assert!(Reader::new(&[3]).interned(&table).is_err());
        // References that would copy far more text than the payload holds are refused.
        let big = vec!["x".repeat(1000)];
        let refs = vec![0u8; 100];
        let mut r = Reader::new(&refs);
        let copied = (0..100).take_while(|_| r.interned(&big).is_ok()).count();
        assert_eq!(copied, 100 * TEXT_PER_BYTE / 1000);
    }

    #[test]
    fn damaged_payloads_are_errors_not_panics() {
        let mut w = Writer::new();
        w.list(&["abc", "defg"], |w, s| w.str(s));
        w.f64(1.5);
        let bytes = w.finish();
        for n in 0..bytes.len() {
            let mut r = Reader::new(&bytes[..n]);
            let ok = r.list(|r| r.string()).and_then(|_| r.f64());
            assert!(ok.is_err(), "prefix of {n} bytes");
        }
        assert!(Reader::new(&[2]).bool().is_err());
        assert!(Reader::new(&[0xff; 11]).u64().is_err());
        assert!(Reader::new(&[2, 0xff, 0xfe]).string().is_err());
        // A huge count with little data behind it.
        assert!(Reader::new(&[0xff, 0xff, 0xff, 0x7f])
            .list(|r| r.u8())
            .is_err());
        let mut extra = bytes.clone();
        extra.push(0);
        let mut r = Reader::new(&extra);
        r.list(|r| r.string()).unwrap();
        r.f64().unwrap();
        assert!(r.finish().is_err());
    }
}
