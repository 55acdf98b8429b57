//! `Read + Seek` over a browser `File`, reading it in slices with
//! `FileReaderSync` (dedicated workers only), so a large file is never loaded
//! whole: each read is `File.slice(start, end)` of at most [`CHUNK`] bytes
//! at a 64-bit offset (an f64, exact below 2^53), so a file of any size,
//! past 4 GiB too, is read piece by piece. Every read reports the bytes
//! consumed (and the time it took) to a progress callback.

use std::io::{self, Read, Seek, SeekFrom};
use wasm_bindgen::JsCast;

/// Size of one slice read from the file. Large enough that the per-call
/// overhead of `FileReaderSync` is negligible, small enough to stay light.
pub const CHUNK: u64 = 4 << 20;

/// The `slice()` arguments of the read at `pos`: at most `chunk` bytes, not
/// past `size` (f64 offsets, exact for every size a browser can hold).
pub fn slice_range(pos: u64, chunk: u64, size: u64) -> (f64, f64) {
    let end = pos.saturating_add(chunk.max(1)).min(size);
    (pos as f64, end as f64)
}

pub struct FileSource {
    file: web_sys::File,
    reader: web_sys::FileReaderSync,
    size: u64,
    /// Most bytes one `slice()` read fetches.
    chunk: u64,
    /// Logical read position.
    pos: u64,
    /// The slice currently held: `buf` covers `buf_start..buf_start + buf.len()`.
    buf: Vec<u8>,
    buf_start: u64,
    /// Called with the number of new bytes fetched from the file and the
    /// milliseconds the fetch took.
    on_fetch: Option<Box<dyn FnMut(u64, f64)>>,
}

impl FileSource {
    pub fn new(file: web_sys::File) -> io::Result<FileSource> {
        FileSource::with_chunk(file, CHUNK)
    }

    /// A reader whose slices hold at most `chunk` bytes (tests use tiny ones).
    pub fn with_chunk(file: web_sys::File, chunk: u64) -> io::Result<FileSource> {
        let reader =
            web_sys::FileReaderSync::new().map_err(|e| io::Error::other(format!("{e:?}")))?;
        let size = file.size() as u64;
        Ok(FileSource {
            file,
            reader,
            size,
            chunk: chunk.max(1),
            pos: 0,
            buf: Vec::new(),
            buf_start: 0,
            on_fetch: None,
        })
    }

    /// Reports every slice fetched from the file to `f` (bytes, milliseconds).
    pub fn on_fetch(mut self, f: impl FnMut(u64, f64) + 'static) -> FileSource {
        self.on_fetch = Some(Box::new(f));
        self
    }

    fn fill(&mut self) -> io::Result<()> {
        let started = super::now_ms();
        let start = self.pos;
        let (from, to) = slice_range(start, self.chunk, self.size);
        let blob = self
            .file
            .slice_with_f64_and_f64(from, to)
            .map_err(|e| io::Error::other(format!("cannot slice the file: {e:?}")))?;
        let buffer = self
            .reader
            .read_as_array_buffer(&blob)
            .map_err(|e| io::Error::other(format!("cannot read the file: {e:?}")))?;
        let array = js_sys::Uint8Array::new(buffer.unchecked_ref());
        self.buf.resize(array.length() as usize, 0);
        array.copy_to(&mut self.buf);
        self.buf_start = start;
        if let Some(f) = self.on_fetch.as_mut() {
            f(self.buf.len() as u64, super::now_ms() - started);
        }
        Ok(())
    }
}

impl Read for FileSource {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.size || out.is_empty() {
            return Ok(0);
        }
        let buf_end = self.buf_start + self.buf.len() as u64;
        if self.pos < self.buf_start || self.pos >= buf_end {
            self.fill()?;
        }
        let at = (self.pos - self.buf_start) as usize;
        let available = self.buf.get(at..).unwrap_or(&[]);
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for FileSource {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.size.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        let target = target
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        self.pos = target;
        Ok(target)
    }
}
