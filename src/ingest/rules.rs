//! The field rules, each documented in README.md ("Field rules"): `eventTime` formats,
//! `readOnly` inference from the verb, category inference for old records,
//! the assumed-role identity rule, and 128-bit event keys.

use crate::model::Category;

/// `arn:aws:sts::123:assumed-role/Role/session` → `arn:aws:sts::123:assumed-role/Role`.
pub(crate) fn strip_session(arn: &str) -> &str {
    // The resource part follows the fifth ':' (arn:partition:service:region:account:).
    // A byte loop: `match_indices` set up a searcher per call, which showed in profiles.
    let Some(colon) = arn
        .bytes()
        .enumerate()
        .filter(|&(_, c)| c == b':')
        .map(|(i, _)| i)
        .nth(4)
    else {
        return arn;
    };
    let resource = &arn[colon + 1..];
    if let Some(rest) = resource.strip_prefix("assumed-role/") {
        if let Some(slash) = rest.bytes().position(|c| c == b'/') {
            return &arn[..colon + 1 + "assumed-role/".len() + slash];
        }
    }
    arn
}

/// Verb prefixes of read-only APIs (used when `readOnly` is missing).
pub(crate) const READ_PREFIXES: &[&str] = &[
    "Describe", "Get", "List", "Head", "Lookup", "Search", "BatchGet", "Select",
];
pub(crate) const READ_EXACT: &[&str] = &["Query", "Scan"];

/// `readOnly` inference from the action's verb: `Describe*`, `Get*`, `List*`,
/// `Head*`, `Lookup*`, `Search*`, `BatchGet*`, `Select*`, `Query`, `Scan` are
/// read; everything else is write.
pub fn infer_read_only(name: &str) -> bool {
    if READ_EXACT.contains(&name) {
        return true;
    }
    READ_PREFIXES.iter().any(|p| {
        name.strip_prefix(p).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())
        })
    })
}

/// S3 object-level and Lambda/DynamoDB item-level APIs: data events when a record
/// predates `managementEvent`/`eventCategory`.
pub(crate) const S3_DATA: &[&str] = &[
    "GetObject",
    "PutObject",
    "DeleteObject",
    "DeleteObjects",
    "HeadObject",
    "CopyObject",
    "GetObjectAcl",
    "PutObjectAcl",
    "GetObjectTagging",
    "PutObjectTagging",
    "DeleteObjectTagging",
    "CreateMultipartUpload",
    "UploadPart",
    "UploadPartCopy",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
    "ListParts",
    "RestoreObject",
    "SelectObjectContent",
    "GetObjectAttributes",
    "GetObjectRetention",
    "PutObjectRetention",
    "GetObjectLegalHold",
    "PutObjectLegalHold",
    "GetObjectTorrent",
];
pub(crate) const DYNAMODB_DATA: &[&str] = &[
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchGetItem",
    "BatchWriteItem",
    "Query",
    "Scan",
    "TransactGetItems",
    "TransactWriteItems",
];

/// Category of a record that carries neither `eventCategory` nor `managementEvent`.
pub fn infer_category(source: &str, name: &str, event_type: &str) -> Category {
    if event_type == "AwsVpceEvent" {
        return Category::Other;
    }
    let data = match source {
        "s3.amazonaws.com" => S3_DATA.contains(&name),
        "lambda.amazonaws.com" => name == "Invoke" || name.starts_with("Invoke"),
        "dynamodb.amazonaws.com" => DYNAMODB_DATA.contains(&name),
        _ => false,
    };
    if data {
        Category::Data
    } else {
        Category::Management
    }
}

/// 128-bit key of an `eventID`: the UUID's bits, or a hash of any other text.
pub fn event_key(id: &str) -> u128 {
    parse_uuid(id).unwrap_or_else(|| hash128(b"id:", id.as_bytes()))
}

/// Hex digit values; 0xff marks a non-digit.
const HEX: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

fn parse_uuid(s: &str) -> Option<u128> {
    let b = s.as_bytes();
    if b.len() != 36 || b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    let mut v: u128 = 0;
    let mut bad = 0u8;
    for &c in b {
        if c == b'-' {
            continue;
        }
        let d = HEX[c as usize];
        bad |= d;
        v = (v << 4) | (d & 0xf) as u128;
    }
    // A non-digit sets the high bits of `bad`; a stray '-' elsewhere shortens the count.
    (bad & 0xf0 == 0 && b.iter().filter(|&&c| c == b'-').count() == 4).then_some(v)
}

/// FNV-1a, 128-bit: stable across platforms and releases (unlike std's hasher).
pub(crate) fn hash128(domain: &[u8], bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut h = OFFSET;
    for &b in domain.iter().chain(bytes) {
        h ^= b as u128;
        h = h.wrapping_mul(PRIME);
    }
    h
}

/// Parses `eventTime`: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, also with a space
/// instead of `T` and with no zone (taken as UTC). Returns ms since the epoch.
pub fn parse_time(s: &str) -> Option<i64> {
    let b = s.trim().as_bytes();
    if b.len() < 19 {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let mut v = 0i64;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + (c - b'0') as i64;
        }
        Some(v)
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't' | b' ')
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 3 {
                millis = millis * 10 + (b[i] - b'0') as i64;
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..3 {
            millis *= 10;
        }
    }
    let offset_min = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let rest = &b[i + 1..];
            let (h, m) = match rest.len() {
                5 if rest[2] == b':' => (num(i + 1..i + 3)?, num(i + 4..i + 6)?),
                4 => (num(i + 1..i + 3)?, num(i + 3..i + 5)?),
                2 => (num(i + 1..i + 3)?, 0),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let off = h * 60 + m;
            if sign == b'+' {
                off
            } else {
                -off
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_min * 60;
    Some(secs * 1000 + millis)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
