//! The words of the index: every listed space's texts split into normalised words
//! ([`super::text`]), numbered, and turned into the term dictionary (in JavaScript's
//! string order) with each term's postings through a primary field (name, locality,
//! region) and through any other (summary, description, amenities, session topics).
//!
//! This is most of the work of building an index, so it is written for speed: blocks of
//! spaces are read in parallel, each into its own open-addressing dictionary
//! ([`WordBlock`]) with no `String` per word; the blocks' numbers are then translated to
//! the sorted dictionary, and postings come out of a counting sort already in id order.
//! It must not make more passes over the spaces than that, nor allocate per word.

use std::collections::HashMap;

use rayon::prelude::*;

use super::fx::{FastMap, FastSet, FxHasher};
use super::spaces::Spaces;
use super::text;

/// The term dictionary and its postings (the `terms`, `tp`, `ts` and `post` of the term
/// shards, before they are split into shards).
#[derive(Default)]
pub(super) struct Words {
    pub(super) terms: Vec<String>,
    pub(super) primary: Vec<Option<u32>>,
    pub(super) secondary: Vec<Option<u32>>,
    pub(super) postings: Vec<Vec<u32>>,
}

/// The words of the listed spaces of `s`: term → (primary ids, secondary ids). Each
/// space's words are found in parallel and numbered (no String per word); the dictionary
/// and the postings are then built from term numbers.
pub(super) fn index_words(s: &Spaces<'_>) -> Words {
    let blocks = word_blocks(s);
    let sorted = dictionary(&blocks);
    postings(&blocks, &sorted)
}

/// Words → numbers in parallel blocks of spaces, each block with its own dictionary.
///
/// Region and amenity texts repeat across thousands of spaces: each block finds their
/// words once. (Texts joined by ASCII spaces have the words of each part.) A space's texts
/// are read in place, part by part, with no joined copy: each part is bounded by ASCII
/// whitespace in the joined text, so alone it has the same words (see
/// `text::normalize_into`), and the order of the parts is free because only each space's
/// set of words is kept.
fn word_blocks(s: &Spaces<'_>) -> Vec<WordBlock> {
    let (site, idx, n) = (s.site, s.idx, s.n);
    let region_of: HashMap<&str, usize> = crate::model::positions(&site.regions, |r| r.id.as_str());
    let amenity_of: HashMap<&str, usize> =
        crate::model::positions(&site.amenities, |a| a.id.as_str());
    let amenity_words: Vec<String> = site
        .amenities
        .iter()
        .map(|a| amenity_text(Some(&a.name), a.id.as_str()))
        .collect();
    let block = n.div_ceil(4 * rayon::current_num_threads()).max(64);
    (0..n.div_ceil(block))
        .into_par_iter()
        .map(|b| {
            let mut words = WordBlock::default();
            let mut region_ids: Vec<Option<Vec<u32>>> = vec![None; site.regions.len()];
            let mut amenity_ids: Vec<Option<Vec<u32>>> = vec![None; site.amenities.len()];
            for (id, &site_i) in s.order.iter().enumerate().skip(b * block).take(block) {
                if s.is_listed(id) {
                    let sp = s.space(id);
                    words.text(PRIMARY, &sp.name);
                    words.text(PRIMARY, &sp.address.locality);
                    match region_of.get(sp.region.as_str()) {
                        Some(&k) => {
                            let ids = region_ids[k]
                                .get_or_insert_with(|| words.numbers(&site.regions[k].name));
                            words.known(PRIMARY, ids);
                        }
                        None => words.text(PRIMARY, sp.region.as_str()),
                    }
                    if let Some(summary) = &sp.summary {
                        words.text(OTHER, summary);
                    }
                    text::markdown_pieces(&sp.body, |piece, _| {
                        words.text(OTHER, piece);
                    });
                    for &si in &idx.space_sessions[site_i] {
                        for t in &site.sessions[si].topics {
                            words.text(OTHER, t);
                        }
                    }
                    for a in &sp.amenities {
                        match amenity_of.get(a.as_str()) {
                            Some(&k) => {
                                let ids = amenity_ids[k]
                                    .get_or_insert_with(|| words.numbers(&amenity_words[k]));
                                words.known(OTHER, ids);
                            }
                            None => {
                                words.text(OTHER, &amenity_text(None, a.as_str()));
                            }
                        }
                    }
                }
                words.end();
            }
            words
        })
        .collect()
}

/// One sorted dictionary of every block's words, in UTF-16 order (JavaScript's).
fn dictionary(blocks: &[WordBlock]) -> Vec<&str> {
    let mut sorted: Vec<&str> = {
        let mut all: FastSet<&str> = FastSet::default();
        for b in blocks {
            all.extend(b.words());
        }
        all.into_iter().collect()
    };
    sorted.par_sort_unstable_by(|a, b| utf16_cmp(a, b));
    sorted
}

/// The blocks' word numbers translated to the dictionary `sorted`, then inverted into
/// postings, shared between terms with the same spaces.
fn postings(blocks: &[WordBlock], sorted: &[&str]) -> Words {
    let term_of: FastMap<&str, u32> = sorted
        .iter()
        .enumerate()
        .map(|(t, w)| (*w, t as u32))
        .collect();
    // Each block's word lists in term numbers, then per space and field group its
    // slice of them.
    let global: Vec<[Vec<u32>; 2]> = blocks
        .par_iter()
        .map(|b| {
            let term: Vec<u32> = b.words().map(|w| term_of[w]).collect();
            b.flat
                .each_ref()
                .map(|f| f.iter().map(|&l| term[l as usize]).collect())
        })
        .collect();
    let per_space = |field: usize| {
        blocks
            .iter()
            .zip(&global)
            .flat_map(move |(b, g)| b.spans(field).map(move |r| &g[field][r]))
    };
    // Postings by counting sort: spaces are visited in id order, so every list comes
    // out sorted.
    let t_count = sorted.len();
    let (p_flat, p_start) = invert(t_count, per_space(PRIMARY));
    let (o_flat, o_start) = invert(t_count, per_space(OTHER));
    let mut postings: Vec<Vec<u32>> = Vec::new();
    let mut seen: FastMap<&[u32], u32> = FastMap::default();
    let mut primary = Vec::with_capacity(t_count);
    let mut secondary = Vec::with_capacity(t_count);
    for t in 0..t_count {
        let p = &p_flat[p_start[t]..p_start[t + 1]];
        primary.push(intern(&mut seen, &mut postings, p));
        let o = &o_flat[o_start[t]..o_start[t + 1]];
        secondary.push(intern(&mut seen, &mut postings, o));
    }
    let terms: Vec<String> = sorted.iter().map(|w| (*w).to_owned()).collect();
    Words {
        terms,
        primary,
        secondary,
        postings,
    }
}

/// What an amenity adds to the words of a space that has it: its name, and its id split
/// and joined ("meeting rooms", "meetingrooms").
fn amenity_text(name: Option<&str>, id: &str) -> String {
    let mut out = String::new();
    if let Some(name) = name {
        out.push_str(name);
        out.push(' ');
    }
    out.push_str(&id.replace('-', " "));
    out.push(' ');
    out.push_str(&id.replace('-', ""));
    out.push(' ');
    out
}

/// Field groups of a space's words: primary (name, locality, region) and other.
pub(super) const PRIMARY: usize = 0;
pub(super) const OTHER: usize = 1;

/// The distinct words of a block of spaces, numbered in order of appearance, and per
/// space the numbers of its distinct words (primary fields, other fields).
///
/// The dictionary is its own open-addressing table over one buffer of the words' bytes:
/// a word is hashed once and compared inline, with no allocation or library call per word.
#[derive(Default)]
pub(super) struct WordBlock {
    /// The words' bytes, one after another.
    bytes: Vec<u8>,
    /// Per word: its hash, and where its bytes start and end in `bytes`.
    entries: Vec<(u64, u32, u32)>,
    /// Word number + 1 at the slot of its hash (or a later one, wrapping), 0 for empty;
    /// a power of two in size, at most half full.
    slots: Vec<u32>,
    /// Per word, the last space (+1) of the block that had it in each field group:
    /// distinct words per space with no sorting.
    last: Vec<[u32; 2]>,
    /// Per field group, the word numbers of every space, one space after another.
    flat: [Vec<u32>; 2],
    /// Per space ended, where its numbers end in `flat` (the next space's begin there).
    ends: Vec<[u32; 2]>,
}

impl WordBlock {
    /// Adds the next space, given its primary and other texts (not yet normalised).
    #[cfg(test)]
    fn add(&mut self, primary: &str, other: &str) {
        self.text(PRIMARY, primary);
        self.text(OTHER, other);
        self.end();
    }

    /// Ends the current space: the words marked since the previous `end` are its own.
    fn end(&mut self) {
        self.ends.push(self.flat.each_ref().map(|f| f.len() as u32));
    }

    /// Per space, the range of its numbers in `flat[field]`.
    fn spans(&self, field: usize) -> impl Iterator<Item = std::ops::Range<usize>> + Clone {
        let mut start = 0;
        self.ends.iter().map(move |e| {
            let end = e[field] as usize;
            let r = start..end;
            start = end;
            r
        })
    }

    /// The word numbers of a (not yet normalised) text, in order, repeats kept: a text
    /// many spaces share, to add with [`Self::known`].
    fn numbers(&mut self, raw: &str) -> Vec<u32> {
        let mut out = Vec::new();
        text::for_each_word_bytes(raw, |w| out.push(self.number(w)));
        out
    }

    /// Adds the words of a (not yet normalised) text to a field group of the current space.
    fn text(&mut self, field: usize, raw: &str) {
        text::for_each_word_bytes(raw, |w| {
            let id = self.number(w);
            self.mark(field, id);
        });
    }

    /// Adds words by number ([`Self::numbers`]) to a field group of the current space.
    fn known(&mut self, field: usize, ids: &[u32]) {
        for &id in ids {
            self.mark(field, id);
        }
    }

    fn mark(&mut self, field: usize, id: u32) {
        let stamp = self.ends.len() as u32 + 1;
        let seen = &mut self.last[id as usize][field];
        if *seen != stamp {
            *seen = stamp;
            self.flat[field].push(id);
        }
    }

    /// The words, by number.
    fn words(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|&(_, start, end)| {
            std::str::from_utf8(&self.bytes[start as usize..end as usize]).expect("words are text")
        })
    }

    /// The number of a (normalised) word, numbering it if it is new.
    fn number(&mut self, w: &[u8]) -> u32 {
        let h = word_hash(w);
        if self.slots.len() < 2 * (self.entries.len() + 1) {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = slot_of(h, mask);
        loop {
            let s = self.slots[i];
            if s == 0 {
                break;
            }
            let (eh, start, end) = self.entries[s as usize - 1];
            if eh == h && same_bytes(&self.bytes[start as usize..end as usize], w) {
                return s - 1;
            }
            i = (i + 1) & mask;
        }
        let id = self.entries.len() as u32;
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(w);
        self.entries.push((h, start, self.bytes.len() as u32));
        self.last.push([0, 0]);
        self.slots[i] = id + 1;
        id
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let mask = size - 1;
        let mut slots = vec![0_u32; size];
        for (id, &(h, _, _)) in self.entries.iter().enumerate() {
            let mut i = slot_of(h, mask);
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = id as u32 + 1;
        }
        self.slots = slots;
    }
}

/// The hash of a word in [`WordBlock`]: [`FxHasher`]'s step over 8 bytes at a time.
fn word_hash(w: &[u8]) -> u64 {
    let mut h = FxHasher(w.len() as u64);
    let mut chunks = w.chunks_exact(8);
    for c in &mut chunks {
        h.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
    }
    let mut last = 0_u64;
    for (k, &b) in chunks.remainder().iter().enumerate() {
        last |= u64::from(b) << (8 * k);
    }
    h.add(last);
    h.0
}

/// The slot a hash picks: its high bits, which the last multiplication mixes best.
fn slot_of(h: u64, mask: usize) -> usize {
    (h >> 32) as usize & mask
}

/// Byte equality, inline (words are short: a call to `memcmp` costs more than the work).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut ca, mut cb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in (&mut ca).zip(&mut cb) {
        let word = |c: &[u8]| u64::from_ne_bytes(c.try_into().expect("8 bytes"));
        if word(x) != word(y) {
            return false;
        }
    }
    ca.remainder()
        .iter()
        .zip(cb.remainder())
        .all(|(x, y)| x == y)
}

/// JavaScript's string order (UTF-16 code units), which differs from Rust's (code
/// points) only beyond the Basic Multilingual Plane.
fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        a.cmp(b)
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// Per term, the spaces (positions in `lists`) whose list holds it: one flat array and
/// where each term's ids start in it (a counting sort, so each run is ascending).
fn invert<'a>(
    terms: usize,
    lists: impl Iterator<Item = &'a [u32]> + Clone,
) -> (Vec<u32>, Vec<usize>) {
    let mut start = vec![0_usize; terms + 1];
    for l in lists.clone() {
        for &t in l {
            start[t as usize + 1] += 1;
        }
    }
    for t in 0..terms {
        start[t + 1] += start[t];
    }
    let mut fill = start.clone();
    let mut flat = vec![0_u32; start[terms]];
    for (id, l) in lists.enumerate() {
        for &t in l {
            flat[fill[t as usize]] = id as u32;
            fill[t as usize] += 1;
        }
    }
    (flat, start)
}

/// The number of a postings list, shared by every term with the same spaces.
fn intern<'a>(
    seen: &mut FastMap<&'a [u32], u32>,
    postings: &mut Vec<Vec<u32>>,
    ids: &'a [u32],
) -> Option<u32> {
    if ids.is_empty() {
        return None;
    }
    Some(*seen.entry(ids).or_insert_with(|| {
        postings.push(ids.to_vec());
        (postings.len() - 1) as u32
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_word_numbers_survive_the_table_growing() {
        // Thousands of words (the table starts at 1,024 slots and doubles), some of them
        // sharing their first 8 bytes, each numbered once and found again.
        let words: Vec<String> = (0..5_000)
            .map(|k| format!("{}{k}", ["w", "abcdefgh", "zzzzzzzzzzzzzzzz"][k % 3]))
            .collect();
        let mut b = WordBlock::default();
        for (k, w) in words.iter().enumerate() {
            assert_eq!(b.number(w.as_bytes()), k as u32);
        }
        for (k, w) in words.iter().enumerate().rev() {
            assert_eq!(b.number(w.as_bytes()), k as u32, "{w}");
        }
        assert_eq!(b.words().collect::<Vec<_>>(), words);
        assert!(same_bytes(b"abcdefghij", b"abcdefghij"));
        assert!(!same_bytes(b"abcdefghij", b"abcdefghik"));
        assert!(!same_bytes(b"abcdefgh", b"abcdefgx"));
        assert!(!same_bytes(b"abc", b"abcd"));
    }

    #[test]
    fn search_words_are_numbered_once_per_space_and_field() {
        let mut b = WordBlock::default();
        b.add("Café Montréal the CAFE, the café", "Ærø the");
        b.add("", "Ærø, ærø");
        assert_eq!(
            b.words().collect::<Vec<_>>(),
            ["cafe", "montreal", "the", "aero"]
        );
        let lists = |field| {
            b.spans(field)
                .map(|r| b.flat[field][r].to_vec())
                .collect::<Vec<_>>()
        };
        assert_eq!(lists(PRIMARY), [vec![0, 1, 2], vec![]]);
        assert_eq!(lists(OTHER), [vec![3, 2], vec![3]]);
        assert_eq!(
            utf16_cmp("\u{ffff}", "\u{10000}"),
            std::cmp::Ordering::Greater
        );
        assert_eq!(utf16_cmp("abc", "abd"), std::cmp::Ordering::Less);
    }
}
