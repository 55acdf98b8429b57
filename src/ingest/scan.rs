//! A non-recursive JSON structure scanner: finds where a value ends without
//! building it, so a document can be cut into records (each then parsed on its
//! own by serde) and one broken or deeply nested record cannot take the rest of
//! the file with it, nor overflow the stack.

use memchr::memchr2;

/// Why a value could not be delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScanError {
    /// The input ended inside the value.
    Truncated,
    /// An unexpected byte at this offset (mismatched bracket, stray character).
    Unexpected(usize),
}

/// The end (exclusive) of a scanned value and the deepest nesting seen in it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ValueEnd {
    pub end: usize,
    pub depth: usize,
}

/// Index of the first non-whitespace byte at or after `i`.
#[inline]
pub(crate) fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\r' | b'\t') {
        i += 1;
    }
    i
}

/// `b[i]` must be `"`; returns the index just after the closing quote.
#[inline]
pub(crate) fn scan_string(b: &[u8], i: usize) -> Result<usize, ScanError> {
    let mut j = i + 1;
    loop {
        match memchr2(b'"', b'\\', b.get(j..).unwrap_or_default()) {
            None => return Err(ScanError::Truncated),
            Some(k) => {
                let at = j + k;
                if b[at] == b'"' {
                    return Ok(at + 1);
                }
                // Backslash: skip it and the escaped byte.
                j = at + 2;
                if j > b.len() {
                    return Err(ScanError::Truncated);
                }
            }
        }
    }
}

/// Finds the end of the JSON value starting at `b[i]` (which must not be
/// whitespace). Brackets are matched by kind up to 128 levels; deeper levels are
/// only counted (the caller rejects them by `depth`).
pub(crate) fn scan_value(b: &[u8], i: usize) -> Result<ValueEnd, ScanError> {
    let first = *b.get(i).ok_or(ScanError::Truncated)?;
    match first {
        b'"' => return scan_string(b, i).map(|end| ValueEnd { end, depth: 0 }),
        b'{' | b'[' => {}
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t')
            {
                if matches!(b[j], b'{' | b'[' | b'"' | b':') {
                    return Err(ScanError::Unexpected(j));
                }
                j += 1;
            }
            if j == i {
                return Err(ScanError::Unexpected(i));
            }
            return Ok(ValueEnd { end: j, depth: 0 });
        }
    }
    // Bit d of `kinds` says whether nesting level d is an object.
    let mut kinds: u128 = 0;
    let mut depth = 0usize;
    let mut max_depth = 0usize;
    let mut j = i;
    while j < b.len() {
        match b[j] {
            b'"' => {
                j = scan_string(b, j)?;
                continue;
            }
            c @ (b'{' | b'[') => {
                if depth < 128 {
                    let bit = 1u128 << depth;
                    if c == b'{' {
                        kinds |= bit;
                    } else {
                        kinds &= !bit;
                    }
                }
                depth += 1;
                max_depth = max_depth.max(depth);
            }
            c @ (b'}' | b']') => {
                depth -= 1;
                if depth < 128 && ((kinds >> depth) & 1 == 1) != (c == b'}') {
                    return Err(ScanError::Unexpected(j));
                }
                if depth == 0 {
                    return Ok(ValueEnd {
                        end: j + 1,
                        depth: max_depth,
                    });
                }
            }
            _ => {}
        }
        j += 1;
    }
    Err(ScanError::Truncated)
}

/// One member of an object: the key's raw bytes (without quotes) and the range
/// of its value.
pub(crate) struct Member {
    pub key: std::ops::Range<usize>,
    pub value: std::ops::Range<usize>,
}

/// The members of the object starting at `b[i]` (`{`), and the object's end.
pub(crate) fn members(b: &[u8], i: usize) -> Result<(Vec<Member>, usize), ScanError> {
    let mut out = Vec::new();
    let mut j = skip_ws(b, i + 1);
    if b.get(j) == Some(&b'}') {
        return Ok((out, j + 1));
    }
    loop {
        match b.get(j) {
            None => return Err(ScanError::Truncated),
            Some(b'"') => {}
            Some(_) => return Err(ScanError::Unexpected(j)),
        }
        let key_end = scan_string(b, j)?;
        let key = j + 1..key_end - 1;
        j = skip_ws(b, key_end);
        match b.get(j) {
            None => return Err(ScanError::Truncated),
            Some(b':') => {}
            Some(_) => return Err(ScanError::Unexpected(j)),
        }
        j = skip_ws(b, j + 1);
        let v = scan_value(b, j)?;
        out.push(Member {
            key,
            value: j..v.end,
        });
        j = skip_ws(b, v.end);
        match b.get(j) {
            None => return Err(ScanError::Truncated),
            Some(b',') => j = skip_ws(b, j + 1),
            Some(b'}') => return Ok((out, j + 1)),
            Some(_) => return Err(ScanError::Unexpected(j)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let b = br#"{"a":[1,{"b":"x\"}"}],"c":null} tail"#;
        let v = scan_value(b, 0).unwrap();
        assert_eq!(&b[v.end..], b" tail");
        assert_eq!(v.depth, 3);
        assert_eq!(
            scan_value(b"{\"a\":[}", 0).unwrap_err(),
            ScanError::Unexpected(6)
        );
        assert_eq!(
            scan_value(b"{\"a\":[", 0).unwrap_err(),
            ScanError::Truncated
        );
        assert_eq!(scan_value(b"\"abc\\", 0).unwrap_err(), ScanError::Truncated);
        assert_eq!(scan_value(b"true,", 0).unwrap().end, 4);
        let deep = "[".repeat(500) + &"]".repeat(500);
        assert_eq!(scan_value(deep.as_bytes(), 0).unwrap().depth, 500);
        let (m, end) = members(br#"{"x": 1, "y" : {"z":2}}"#, 0).unwrap();
        assert_eq!(m.len(), 2);
        assert_eq!(end, 23);
    }
}
