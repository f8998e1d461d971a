//! The compact text form of a set of space ids (a "postings list"), used for every term
//! and facet option in `search/index.json`. `search.js` decodes it.
//!
//! A postings list is a strictly increasing list of ids in `0..n`. It is written in
//! whichever of two forms is shorter (the gap form when equal), over the 64-letter
//! alphabet [`ALPHABET`], which needs no escaping in JSON:
//!
//! - **gaps**: for each id, `gap = id − previous − 1` (previous = −1 before the first),
//!   written as base-32 digits, least significant first; a digit `d` of a gap that
//!   continues is written as letter `32 + d`, the last digit as letter `d`. A gap below
//!   32 is one letter, so dense lists cost a letter per id.
//! - **bitmap**: `~` then `⌈n/6⌉` letters; bit `k` (value `1 << k`) of letter `i` is id
//!   `6i + k`. Sets holding more than about a sixth of all spaces use this.
//!
//! Per-space whole numbers (capacities, coordinate differences, …) use the gap form's
//! digits with no gaps: [`numbers`] writes each value as base-32 digits, least
//! significant first, every digit but the last as letter `32 + d`. Against a JSON array
//! this drops the commas and most digits, which gzip cannot fully make up for.

/// The digits of both forms.
pub const ALPHABET: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

/// Encodes sorted, distinct `ids`, all below `n`.
pub fn encode(ids: &[u32], n: usize) -> String {
    debug_assert!(ids.windows(2).all(|w| w[0] < w[1]));
    debug_assert!(ids.last().is_none_or(|&l| (l as usize) < n));
    let mut gaps = String::new();
    let mut prev: i64 = -1;
    for &id in ids {
        let mut g = (i64::from(id) - prev - 1) as u64;
        prev = i64::from(id);
        while g >= 32 {
            gaps.push(ALPHABET[32 + (g & 31) as usize] as char);
            g >>= 5;
        }
        gaps.push(ALPHABET[g as usize] as char);
    }
    let bitmap_len = 1 + n.div_ceil(6);
    if gaps.len() <= bitmap_len {
        return gaps;
    }
    let mut bits = vec![0_u8; n.div_ceil(6)];
    for &id in ids {
        bits[id as usize / 6] |= 1 << (id % 6);
    }
    let mut out = String::with_capacity(bitmap_len);
    out.push('~');
    out.extend(bits.iter().map(|&b| ALPHABET[b as usize] as char));
    out
}

/// Decodes what [`encode`] wrote; `None` if it is not a valid postings list for `n`.
pub fn decode(s: &str, n: usize) -> Option<Vec<u32>> {
    let digit = |c: u8| ALPHABET.iter().position(|&a| a == c);
    let mut ids = Vec::new();
    if let Some(rest) = s.strip_prefix('~') {
        if rest.len() != n.div_ceil(6) {
            return None;
        }
        for (i, c) in rest.bytes().enumerate() {
            let d = digit(c)?;
            for k in 0..6 {
                if d & (1 << k) != 0 {
                    let id = i * 6 + k;
                    if id >= n {
                        return None;
                    }
                    ids.push(id as u32);
                }
            }
        }
        return Some(ids);
    }
    let mut prev: i64 = -1;
    let (mut gap, mut shift) = (0_u64, 0_u32);
    for c in s.bytes() {
        let d = digit(c)? as u64;
        if shift > 30 {
            return None;
        }
        gap |= (d & 31) << shift;
        if d >= 32 {
            shift += 5;
        } else {
            prev += gap as i64 + 1;
            if prev as usize >= n {
                return None;
            }
            ids.push(prev as u32);
            gap = 0;
            shift = 0;
        }
    }
    (shift == 0).then_some(ids)
}

/// Writes unsigned `values` as runs of base-32 digits (see the module documentation).
pub fn numbers(values: impl IntoIterator<Item = u64>) -> String {
    let mut out = String::new();
    for mut v in values {
        while v >= 32 {
            out.push(ALPHABET[32 + (v & 31) as usize] as char);
            v >>= 5;
        }
        out.push(ALPHABET[v as usize] as char);
    }
    out
}

/// Reads what [`numbers`] wrote; `None` on a bad letter, a dangling continuation or a
/// value beyond `u64`.
pub fn read_numbers(s: &str) -> Option<Vec<u64>> {
    let mut out = Vec::new();
    let (mut v, mut shift) = (0_u64, 0_u32);
    for c in s.bytes() {
        let d = ALPHABET.iter().position(|&a| a == c)? as u64;
        if shift > 60 {
            return None;
        }
        v |= (d & 31) << shift;
        if d >= 32 {
            shift += 5;
        } else {
            out.push(v);
            v = 0;
            shift = 0;
        }
    }
    (shift == 0).then_some(out)
}

/// Signed to unsigned with small magnitudes staying small: 0, −1, 1, −2 → 0, 1, 2, 3.
pub fn zigzag(x: i64) -> u64 {
    ((x << 1) ^ (x >> 63)) as u64
}

/// The inverse of [`zigzag`].
pub fn unzigzag(u: u64) -> i64 {
    (u >> 1) as i64 ^ -((u & 1) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_encoding_round_trips() {
        let cases: Vec<(Vec<u32>, usize)> = vec![
            (vec![], 0),
            (vec![], 10),
            (vec![0], 1),
            (vec![5], 10),
            (vec![0, 1, 2, 3], 4),
            (vec![31, 32, 33, 1_000, 1_000_000], 1_000_001),
            ((0..10_000).step_by(2).collect(), 10_000),
            ((0..10_000).step_by(97).collect(), 10_000),
        ];
        for (ids, n) in cases {
            let s = encode(&ids, n);
            assert!(s.bytes().all(|b| b == b'~' || ALPHABET.contains(&b)));
            assert_eq!(decode(&s, n), Some(ids.clone()), "{s}");
        }
    }

    #[test]
    fn search_encoding_known_forms() {
        // Gaps 0, 0, 29 → "00t"; gap 32 → digit 0 continued ("w", letter 32) then 1.
        assert_eq!(encode(&[0, 1, 31], 1_000), "00t");
        assert_eq!(encode(&[32], 1_000), "w1");
        // Half of all ids: the bitmap is shorter. Ids 0, 2, 4 → bits 0b010101 = 21 = 'l'.
        let even: Vec<u32> = (0..12).step_by(2).collect();
        assert_eq!(encode(&even, 12), "~ll");
        assert_eq!(decode("~ll", 12), Some(even));
        // Wrong length, id out of range, dangling continuation, bad letter.
        assert_eq!(decode("~l", 12), None);
        assert_eq!(decode("9", 5), None);
        assert_eq!(decode("w", 1_000), None);
        assert_eq!(decode("0!", 10), None);
    }

    #[test]
    fn search_numbers_round_trip() {
        let values = [0, 1, 31, 32, 1_023, 1_024, 7_200_000, u64::from(u32::MAX)];
        let s = numbers(values);
        assert_eq!(read_numbers(&s), Some(values.to_vec()));
        // 0 and 31 are one letter each; 32 is digit 0 continued ("w") then 1.
        assert_eq!(numbers([0, 31, 32]), "0vw1");
        assert_eq!(read_numbers("w"), None);
        assert_eq!(read_numbers("0!"), None);
        for x in [0, -1, 1, -2, 2, -1_800_000, 3_600_000] {
            assert_eq!(unzigzag(zigzag(x)), x);
        }
        assert_eq!([0, -1, 1, -2].map(zigzag), [0, 1, 2, 3]);
    }
}
