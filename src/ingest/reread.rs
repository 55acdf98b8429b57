//! Re-reading one event's original JSON text from its input, by its
//! [`Origin`] (input, archive entry, byte offset, length): the record tab and
//! the JSON export show what the user's file holds, not a re-serialisation.

use super::error::EventReadError;
use super::input::{peek, rewind_and_peek};
use super::sniff::{self, Magic};
use super::Limits;
use crate::model::Origin;
use flate2::read::MultiGzDecoder;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};

/// Re-reads the original JSON text of one event from its input.
pub(crate) fn read_event<R: Read + Seek>(
    mut reader: R,
    name: &str,
    origin: &Origin,
    limits: &Limits,
) -> Result<String, EventReadError> {
    let head = rewind_and_peek(&mut reader).map_err(|e| EventReadError::input(name, e))?;
    let bytes = match sniff::magic(&head) {
        Magic::Zip => {
            let mut zip =
                zip::ZipArchive::new(reader).map_err(|e| EventReadError::input(name, e))?;
            let entry = zip
                .by_index(origin.entry as usize)
                .map_err(|e| EventReadError::input(name, e))?;
            slice_of_entry(entry, origin, limits)?
        }
        Magic::Tar => slice_of_tar(reader, origin, limits)?,
        Magic::Gzip => {
            let mut gz = MultiGzDecoder::new(BufReader::new(reader));
            let inner = peek(&mut gz).map_err(|e| EventReadError::input(name, e))?;
            if sniff::magic(&inner) == Magic::Tar {
                slice_of_tar(Cursor::new(inner).chain(gz), origin, limits)?
            } else {
                take_range(Cursor::new(inner).chain(gz), origin, limits)?
            }
        }
        Magic::Plain => {
            reader.seek(SeekFrom::Start(origin.offset))?;
            take_range(
                BufReader::new(reader),
                &Origin {
                    offset: 0,
                    ..*origin
                },
                limits,
            )?
        }
    };
    finish_text(bytes, origin)
}

fn slice_of_tar<R: Read>(
    reader: R,
    origin: &Origin,
    limits: &Limits,
) -> Result<Vec<u8>, EventReadError> {
    let mut archive = tar::Archive::new(reader);
    for (i, entry) in archive.entries()?.enumerate() {
        let entry = entry?;
        if i == origin.entry as usize {
            return slice_of_entry(entry, origin, limits);
        }
    }
    Err(EventReadError::EntryNotFound(origin.entry))
}

/// The event's bytes inside one archive entry (gunzipping it when needed);
/// `limits` bounds an event of unknown length ([`take_range`]).
fn slice_of_entry<R: Read>(
    mut entry: R,
    origin: &Origin,
    limits: &Limits,
) -> Result<Vec<u8>, EventReadError> {
    let head = peek(&mut entry)?;
    let stream = Cursor::new(head.clone()).chain(entry);
    if sniff::magic(&head) == Magic::Gzip {
        take_range(MultiGzDecoder::new(stream), origin, limits)
    } else {
        take_range(stream, origin, limits)
    }
}

/// Skips to `origin.offset` in a stream and reads `origin.len` bytes, or,
/// when the length is not known (`len == 0`: a stored event's origin, see
/// [`crate::model::event_store`]), the one JSON value that starts there.
fn take_range<R: Read>(
    mut r: R,
    origin: &Origin,
    limits: &Limits,
) -> Result<Vec<u8>, EventReadError> {
    let skipped = io::copy(&mut (&mut r).take(origin.offset), &mut io::sink())?;
    if skipped < origin.offset {
        return Err(EventReadError::BeyondEnd);
    }
    if origin.len == 0 {
        // An embedded event is a JSON string: escapes can make it up to six
        // times its text.
        let cap = if origin.embedded {
            limits.max_record_bytes.saturating_mul(6).saturating_add(2)
        } else {
            limits.max_record_bytes
        };
        return super::value_end::read_value(r, cap);
    }
    let mut out = Vec::with_capacity(origin.len as usize);
    r.take(origin.len as u64).read_to_end(&mut out)?;
    if out.len() < origin.len as usize {
        return Err(EventReadError::BeyondEnd);
    }
    Ok(out)
}

fn finish_text(bytes: Vec<u8>, origin: &Origin) -> Result<String, EventReadError> {
    if origin.embedded {
        serde_json::from_slice::<String>(&bytes).map_err(EventReadError::Embedded)
    } else {
        String::from_utf8(bytes).map_err(EventReadError::NotUtf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::gunzip::tests::gz;

    fn tar(name: &str, bytes: &[u8]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        let mut h = tar::Header::new_gnu();
        h.set_size(bytes.len() as u64);
        h.set_cksum();
        b.append_data(&mut h, name, bytes).unwrap();
        b.into_inner().unwrap()
    }

    /// A stored event (length unknown) inside an archive entry is read no
    /// further than the record limit, gzipped entry or not.
    #[test]
    fn an_entry_is_read_within_the_record_limit() {
        let record = br#"{"eventName":"GetObject","pad":"xxxxxxxxxxxxxxxx"}"#;
        let at = Origin {
            input: 0,
            entry: 0,
            offset: 2,
            len: 0,
            embedded: false,
        };
        let doc = [b"  ".as_slice(), record, b"\n"].concat();
        let tight = Limits {
            max_record_bytes: 20,
            ..Limits::default()
        };
        for input in [tar("a.json", &doc), tar("a.json.gz", &gz(&doc))] {
            let text = read_event(Cursor::new(&input), "x.tar", &at, &Limits::default());
            assert_eq!(text.unwrap().as_bytes(), record);
            let long = read_event(Cursor::new(&input), "x.tar", &at, &tight).unwrap_err();
            assert!(matches!(long, EventReadError::TooLong(20)), "{long}");
        }
        let missing = Origin { entry: 3, ..at };
        let input = tar("a.json", &doc);
        let err = read_event(Cursor::new(&input), "x.tar", &missing, &Limits::default());
        assert_eq!(err.unwrap_err().to_string(), "archive entry 3 not found");
    }
}
