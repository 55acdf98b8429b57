//! Finding where a run of plain JSON string text ends: the next `"`, `\` or
//! control character. The fast record reader ([`fast_record`](super::fast_record)) spends most of its
//! time here (CloudTrail values are short strings), so it is vectorised:
//! sixteen bytes at a time with SSE2 on x86_64 and with wasm SIMD (`simd128`,
//! enabled in `.cargo/config.toml`) in the browser, eight at a time in a
//! `u64` elsewhere.

/// Index of the first byte at or after `from` that ends a plain run of
/// string text: `"`, `\` or a control character (< 0x20).
#[inline]
pub(crate) fn find_special(bytes: &[u8], from: usize) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    {
        find_special_sse2(bytes, from)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        find_special_simd128(bytes, from)
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    {
        find_special_swar(bytes, from)
    }
}

/// [`find_special`] sixteen bytes at a time with wasm SIMD (the parse
/// workers; Chromium 91+, Firefox 89+, Safari 16.4+ run it).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline]
fn find_special_simd128(bytes: &[u8], mut at: usize) -> Option<usize> {
    use std::arch::wasm32::{
        u8x16_bitmask, u8x16_eq, u8x16_le, u8x16_splat, v128, v128_load, v128_or,
    };
    let quote = u8x16_splat(b'"');
    let backslash = u8x16_splat(b'\\');
    let below_space = u8x16_splat(0x1f);
    while at.checked_add(16)? <= bytes.len() {
        // SAFETY: the 16 bytes at `at` lie inside `bytes` (the loop
        // condition), and `v128_load` reads unaligned.
        let chunk = unsafe { v128_load(bytes.as_ptr().add(at).cast::<v128>()) };
        let special = v128_or(
            v128_or(u8x16_eq(chunk, quote), u8x16_eq(chunk, backslash)),
            u8x16_le(chunk, below_space),
        );
        let mask = u8x16_bitmask(special);
        if mask != 0 {
            return Some(at + mask.trailing_zeros() as usize);
        }
        at += 16;
    }
    find_special_scalar(bytes, at)
}

/// [`find_special`] sixteen bytes at a time with SSE2, which every x86_64
/// CPU has (no runtime detection needed).
#[cfg(target_arch = "x86_64")]
#[inline]
fn find_special_sse2(bytes: &[u8], mut at: usize) -> Option<usize> {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline, so its intrinsics are
    // always available; each load reads the 16 bytes at `at`, which lie inside
    // `bytes` (checked by the loop condition), and `_mm_loadu_si128` has no
    // alignment requirement.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        let below_space = _mm_set1_epi8(0x1f);
        while at.checked_add(16)? <= bytes.len() {
            let chunk = _mm_loadu_si128(bytes.as_ptr().add(at).cast());
            let special = _mm_or_si128(
                _mm_or_si128(
                    _mm_cmpeq_epi8(chunk, quote),
                    _mm_cmpeq_epi8(chunk, backslash),
                ),
                // byte <= 0x1f (unsigned) exactly when min(byte, 0x1f) == byte.
                _mm_cmpeq_epi8(_mm_min_epu8(chunk, below_space), chunk),
            );
            let mask = _mm_movemask_epi8(special) as u32;
            if mask != 0 {
                return Some(at + mask.trailing_zeros() as usize);
            }
            at += 16;
        }
    }
    find_special_scalar(bytes, at)
}

/// [`find_special`] eight bytes at a time in a `u64` (for wasm32 and other
/// targets without SSE2). Each test flags a byte by its top bit; borrows only
/// ever flag bytes after a real match, so the lowest flag is exact.
#[cfg(any(
    not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )),
    test
))]
fn find_special_swar(bytes: &[u8], mut at: usize) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const TOPS: u64 = u64::from_ne_bytes([0x80; 8]);
    let zero_byte = |v: u64| v.wrapping_sub(ONES) & !v;
    while let Some(chunk) = bytes.get(at..at.checked_add(8)?) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_le_bytes(word);
        let flags = (zero_byte(v ^ (ONES * u64::from(b'"')))
            | zero_byte(v ^ (ONES * u64::from(b'\\')))
            | (v.wrapping_sub(ONES * 0x20) & !v))
            & TOPS;
        if flags != 0 {
            return Some(at + (flags.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    find_special_scalar(bytes, at)
}

fn find_special_scalar(bytes: &[u8], from: usize) -> Option<usize> {
    let tail = bytes.get(from..)?;
    tail.iter()
        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        .map(|k| from + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanners_agree_on_every_position() {
        let mut text = Vec::new();
        for i in 0..600u32 {
            text.push(match i % 97 {
                3 => b'"',
                40 => b'\\',
                77 => 0x1f,
                90 => 0xc3,
                _ => b'a' + (i % 26) as u8,
            });
        }
        for from in 0..text.len() {
            let expected = find_special_scalar(&text, from);
            assert_eq!(find_special_swar(&text, from), expected, "{from}");
            assert_eq!(find_special(&text, from), expected, "{from}");
        }
        assert_eq!(find_special(b"abc", 3), None);
        assert_eq!(find_special(b"abc", 9), None);
    }
}
