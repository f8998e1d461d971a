//! The neutral order's random numbers: the seed of a text (FNV-1a) and the generator
//! (splitmix32 seeding sfc32), exactly as the module documentation of [`crate::neutral`]
//! specifies them and `neutral.js` repeats them in the browser.
//!
//! This is also the crate's one FNV-1a: the search index's content hashes and the
//! calendars' `SEQUENCE` use [`fnv1a32`] too. It is a leaf: it imports nothing from the
//! crate, so anything may call it without making a circle.

use jiff::civil::Date;

/// 32-bit FNV-1a hash of `bytes`: `h = 0x811c9dc5`, then `h = (h ^ b) * 0x01000193` for
/// each byte. Shuffle seeds, the search index's content hashes and calendar sequence
/// numbers are all this one function.
pub(crate) fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// 32-bit FNV-1a hash of the UTF-8 bytes of `s`, used as a shuffle seed.
pub fn seed_from_str(s: &str) -> u32 {
    fnv1a32(s.as_bytes())
}

/// The build-time seed for `date`: [`seed_from_str`] of `hotdesk:YYYY-MM-DD`.
pub fn seed_for_date(date: Date) -> u32 {
    seed_from_str(&format!("hotdesk:{date}"))
}

/// One step of splitmix32; advances `state` and returns the next output.
fn splitmix32(state: &mut u32) -> u32 {
    *state = state.wrapping_add(0x9e37_79b9);
    let mut z = *state;
    z = (z ^ (z >> 16)).wrapping_mul(0x21f0_aaad);
    z = (z ^ (z >> 15)).wrapping_mul(0x735a_2d97);
    z ^ (z >> 15)
}

/// The sfc32 generator, seeded from a `u32` by splitmix32 expansion (see the
/// module documentation for the exact definition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sfc32 {
    a: u32,
    b: u32,
    c: u32,
    d: u32,
}

impl Sfc32 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u32) -> Self {
        let mut s = seed;
        let a = splitmix32(&mut s);
        let b = splitmix32(&mut s);
        let c = splitmix32(&mut s);
        let mut rng = Sfc32 { a, b, c, d: 1 };
        for _ in 0..12 {
            rng.next_u32();
        }
        rng
    }

    /// The next 32-bit output.
    pub fn next_u32(&mut self) -> u32 {
        let t = self.a.wrapping_add(self.b).wrapping_add(self.d);
        self.d = self.d.wrapping_add(1);
        self.a = self.b ^ (self.b >> 9);
        self.b = self.c.wrapping_add(self.c << 3);
        self.c = self.c.rotate_left(21).wrapping_add(t);
        t
    }
}

/// An unbiased integer in `[0, n)` by rejection sampling: outputs below
/// `(2³² − n) mod n` are rejected, so the accepted range is a whole multiple
/// of `n` and `r mod n` is uniform.
///
/// # Panics
///
/// Panics if `n == 0`.
pub fn bounded(rng: &mut Sfc32, n: u32) -> u32 {
    assert!(n > 0, "bounded: n must be at least 1");
    let threshold = n.wrapping_neg() % n;
    loop {
        let r = rng.next_u32();
        if r >= threshold {
            return r % n;
        }
    }
}
