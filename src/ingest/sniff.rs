//! Recognising inputs by their bytes and paths: gzip / zip / tar by magic
//! bytes (never by name), digest files by their S3 key, and the account from an
//! `AWSLogs/[o-xxxx/]<account>/CloudTrail/...` path.

/// What a byte stream is, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Magic {
    Gzip,
    Zip,
    Tar,
    /// Anything else: read as a JSON document.
    Plain,
}

/// Enough bytes to recognise every [`Magic`] (tar's `ustar` sits at 257).
pub(crate) const SNIFF_LEN: usize = 512;

pub(crate) fn magic(head: &[u8]) -> Magic {
    if head.starts_with(&[0x1f, 0x8b]) {
        Magic::Gzip
    } else if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        Magic::Zip
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Magic::Tar
    } else {
        Magic::Plain
    }
}

/// True for `CloudTrail-Digest` files (skipped unread; they hold hashes, not events).
pub(crate) fn is_digest_path(path: &str) -> bool {
    path.split(['/', '\\', '!'])
        .any(|seg| seg == "CloudTrail-Digest" || seg.contains("_CloudTrail-Digest_"))
}

/// The account of an S3-layout path: the 12-digit segment after `AWSLogs/`
/// (after an optional organisation `o-…` segment).
pub(crate) fn path_account(path: &str) -> Option<&str> {
    let mut segs = path
        .split(['/', '\\', '!'])
        .skip_while(|s| *s != "AWSLogs")
        .skip(1);
    let mut seg = segs.next()?;
    if seg.starts_with("o-") {
        seg = segs.next()?;
    }
    (seg.len() == 12 && seg.bytes().all(|c| c.is_ascii_digit())).then_some(seg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(
            path_account("x/AWSLogs/123456789012/CloudTrail/us-east-1/a.json.gz"),
            Some("123456789012")
        );
        assert_eq!(
            path_account("AWSLogs/o-abc123/123456789012/CloudTrail/x"),
            Some("123456789012")
        );
        assert_eq!(path_account("logs/a.json"), None);
        assert!(is_digest_path(
            "AWSLogs/1/CloudTrail-Digest/us-east-1/x.json.gz"
        ));
        assert!(is_digest_path(
            "1_CloudTrail-Digest_us-east-1_t_us-east-1_20150817T150131Z.json.gz"
        ));
        assert!(!is_digest_path("AWSLogs/1/CloudTrail/us-east-1/x.json.gz"));
        assert_eq!(magic(&[0x1f, 0x8b, 8]), Magic::Gzip);
        assert_eq!(magic(b"{\"Records\""), Magic::Plain);
    }
}
