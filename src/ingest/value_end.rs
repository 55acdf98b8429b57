//! Finding where one JSON value ends in a stream, so an event can be re-read
//! from its offset alone: stored events do not keep their length
//! ([`crate::model::event_store`]). The bytes are returned exactly as they are in the
//! input; whether they are valid JSON is the reader's concern, only strings
//! and nesting are tracked.

use super::error::EventReadError;
use std::io::{BufRead, BufReader, Read};

/// The bytes of the JSON value (object, array, string or scalar) that starts
/// at the stream's current position, at most `cap` of them.
pub(crate) fn read_value<R: Read>(r: R, cap: usize) -> Result<Vec<u8>, EventReadError> {
    let mut r = BufReader::with_capacity(64 << 10, r);
    let mut out = Vec::new();
    let mut scan = Scan::default();
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Err(EventReadError::BeyondEnd);
        }
        let (used, done) = scan.feed(buf);
        if out.len() + used > cap {
            return Err(EventReadError::TooLong(cap));
        }
        out.extend_from_slice(&buf[..used]);
        r.consume(used);
        if done {
            return Ok(out);
        }
    }
}

/// Where the scan is: inside a string (and after a backslash), how deep.
#[derive(Default)]
struct Scan {
    started: bool,
    scalar: bool,
    in_string: bool,
    escaped: bool,
    depth: usize,
}

impl Scan {
    /// Consumes bytes of `buf`: how many belong to the value, and whether it
    /// ended there.
    fn feed(&mut self, buf: &[u8]) -> (usize, bool) {
        for (i, &b) in buf.iter().enumerate() {
            if !self.started {
                self.started = true;
                match b {
                    b'"' => {
                        self.in_string = true;
                        continue;
                    }
                    b'{' | b'[' => {
                        self.depth = 1;
                        continue;
                    }
                    _ => self.scalar = true,
                }
            }
            if self.scalar {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                    return (i, true);
                }
                continue;
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                    if self.depth == 0 {
                        return (i + 1, true);
                    }
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return (i + 1, true);
                    }
                }
                _ => {}
            }
        }
        (buf.len(), false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_end_of_each_kind_of_value() {
        let cases: [(&str, &str); 6] = [
            (
                r#"{"a":"}\"{","b":[1,{"c":2}]},{"x":1}"#,
                r#"{"a":"}\"{","b":[1,{"c":2}]}"#,
            ),
            (r#""say \"hi\" \\"]"#, r#""say \"hi\" \\""#),
            ("[1,[2,3]] tail", "[1,[2,3]]"),
            ("12.5,", "12.5"),
            ("{}", "{}"),
            (r#"{"k":"\\"}}"#, r#"{"k":"\\"}"#),
        ];
        for (input, want) in cases {
            let got = read_value(input.as_bytes(), 1 << 20).unwrap();
            assert_eq!(String::from_utf8(got).unwrap(), want, "{input}");
        }
        // Across buffer refills: a value far longer than one read.
        let long = format!(r#"{{"s":"{}"}}"#, "x\\\"".repeat(100_000));
        let input = format!("{long},{{}}");
        assert_eq!(
            read_value(input.as_bytes(), 1 << 20).unwrap(),
            long.as_bytes()
        );
    }

    #[test]
    fn an_unterminated_or_too_long_value_is_an_error() {
        let cut = read_value(&b"{\"a\":1"[..], 100).unwrap_err();
        assert!(matches!(cut, EventReadError::BeyondEnd), "{cut}");
        let long = read_value(&b"{\"a\":12345}"[..], 5).unwrap_err();
        assert_eq!(long.to_string(), "event is longer than 5 bytes");
        assert!(read_value(&b""[..], 5).is_err());
    }
}
