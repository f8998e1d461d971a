//! Text normalisation, tokenising and one-typo matching, exactly as `search.js` does them.
//!
//! The browser script repeats every function here; `tests/it/search.rs` runs both on the
//! same table of inputs, so a query typed in the browser meets the terms the build wrote.
//!
//! - [`normalize`]: Unicode NFD, drop every combining mark (General_Category = Mark, the
//!   JavaScript `\p{M}`), lowercase (default Unicode case mapping, as `toLowerCase`), then
//!   fold the few letters that carry no decomposable mark ([`FOLD`]: `ø` → `o`, `ß` →
//!   `ss`, …). So "Montréal" and "MONTREAL" both become "montreal".
//! - [`tokenize`]: split a normalised string into runs of Alphabetic or Numeric characters
//!   (Rust `char::is_alphanumeric`, JavaScript `[\p{Alphabetic}\p{N}]`).
//! - [`within_one_edit`]: optimal-string-alignment distance ≤ 1 (one insertion, deletion,
//!   substitution or swap of two neighbours), counted in UTF-16 code units because that
//!   is what JavaScript strings index; [`typo_len_ok`] says when a word is long enough to
//!   be tolerated a typo at all ([`TYPO_MIN_LEN`]).

use icu_normalizer::DecomposingNormalizerBorrowed;
use icu_properties::CodePointMapData;
use icu_properties::props::{GeneralCategory, GeneralCategoryGroup};

/// Letters that keep their accent-like stroke after NFD, folded to plain Latin letters.
/// `search.js` has the same table.
pub const FOLD: &[(char, &str)] = &[
    ('æ', "ae"),
    ('đ', "d"),
    ('ð', "d"),
    ('ħ', "h"),
    ('ı', "i"),
    ('ŀ', "l"),
    ('ł', "l"),
    ('ø', "o"),
    ('œ', "oe"),
    ('ß', "ss"),
    ('þ', "th"),
    ('ŧ', "t"),
];

/// Words shorter than this (in UTF-16 code units) must be typed without a typo.
pub const TYPO_MIN_LEN: usize = 5;

/// NFD, strip combining marks, lowercase, fold (see the module documentation).
pub fn normalize(s: &str) -> String {
    // Plain ASCII has no marks to strip and nothing to fold: lowercase is all it needs.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`], appended to `out`.
pub fn normalize_into(s: &str, out: &mut String) {
    // Long texts (descriptions) are mostly ASCII: only their non-ASCII pieces need the
    // full treatment. Cutting at ASCII whitespace changes nothing: whitespace is a
    // starter (NFD never reorders across it) and ends the context of the final-sigma
    // rule of lowercasing (it is neither cased nor case-ignorable).
    let bytes = s.as_bytes();
    let mut ascii_from = 0; // start of the ASCII text not yet copied
    let mut piece = 0; // start of the current piece (after the last whitespace)
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_whitespace() {
            piece = i + 1;
            i += 1;
        } else if b.is_ascii() {
            i += 1;
        } else {
            // A piece with something else: copy the ASCII before it, then the piece.
            push_lower(out, &s[ascii_from..piece]);
            let end = bytes[i..]
                .iter()
                .position(u8::is_ascii_whitespace)
                .map_or(bytes.len(), |k| i + k);
            out.push_str(&normalize_piece(&s[piece..end]));
            ascii_from = end;
            piece = end;
            i = end;
        }
    }
    push_lower(out, &s[ascii_from..]);
}

fn push_lower(out: &mut String, ascii: &str) {
    let start = out.len();
    out.push_str(ascii);
    out[start..].make_ascii_lowercase();
}

/// [`normalize`] of a text in one piece.
fn normalize_piece(s: &str) -> String {
    let nfd = DecomposingNormalizerBorrowed::new_nfd().normalize(s);
    let gc = CodePointMapData::<GeneralCategory>::new();
    let stripped: String = nfd
        .chars()
        .filter(|&c| !GeneralCategoryGroup::Mark.contains(gc.get(c)))
        .collect();
    let lower = stripped.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        match FOLD.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => out.push_str(to),
            None => out.push(c),
        }
    }
    out
}

/// The words a reader sees in Markdown, fast: link and image targets (`](…)`), autolinks
/// and HTML tags (`<…>`) and link reference definitions (`[x]: …`) are dropped;
/// punctuation is left for [`tokenize`] to skip. (A full parse is the renderer's job;
/// search only needs the words.)
pub fn markdown_words(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    markdown_words_into(md, &mut out);
    out
}

/// [`markdown_words`], appended to `out`.
pub fn markdown_words_into(md: &str, out: &mut String) {
    markdown_pieces(md, |piece, end| {
        out.push_str(piece);
        out.push(end);
    });
}

/// What [`markdown_words`] keeps, as the pieces it joins: `f(piece, c)` appends `piece`
/// and then `c`, an ASCII whitespace. So the words of the pieces, found one piece at a
/// time, are the words of [`markdown_words`] with no text built.
pub fn markdown_pieces(md: &str, mut f: impl FnMut(&str, char)) {
    for line in md.lines() {
        let t = line.trim_start();
        if t.starts_with('[') && t.contains("]:") && !t.contains("](") {
            continue;
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut start = 0;
        while i < bytes.len() {
            match bytes[i] {
                b']' if bytes.get(i + 1) == Some(&b'(') => {
                    let close = line[i..].find(')').map_or(bytes.len(), |k| i + k + 1);
                    f(&line[start..i], ' ');
                    i = close;
                    start = close;
                }
                b'<' => {
                    let close = line[i..].find('>').map_or(bytes.len(), |k| i + k + 1);
                    f(&line[start..i], ' ');
                    i = close;
                    start = close;
                }
                _ => i += 1,
            }
        }
        f(&line[start.min(line.len())..], '\n');
    }
}

/// Calls `f` with each word of `tokenize(&normalize(raw))`, in order, without building
/// the normalised text: ASCII pieces (between ASCII whitespace, see [`normalize_into`])
/// are lowercased word by word in a small buffer; only other pieces are normalised.
pub fn for_each_word(raw: &str, mut f: impl FnMut(&str)) {
    for_each_word_bytes(raw, |w| f(std::str::from_utf8(w).expect("a word is text")));
}

/// [`for_each_word`], each word given as its UTF-8 bytes (for dictionaries of bytes,
/// which need no check that they are text).
pub fn for_each_word_bytes(raw: &str, mut f: impl FnMut(&[u8])) {
    let bytes = raw.as_bytes();
    let mut word: Vec<u8> = Vec::with_capacity(32);
    // Most texts are ASCII throughout: ASCII whitespace is not alphanumeric, so the
    // pieces need not be found at all, and one pass splits and lowercases.
    if bytes.is_ascii() {
        ascii_words(bytes, &mut word, &mut f);
        return;
    }
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let end = bytes[i..]
            .iter()
            .position(u8::is_ascii_whitespace)
            .map_or(bytes.len(), |k| i + k);
        let piece = &bytes[i..end];
        if piece.is_ascii() {
            ascii_words(piece, &mut word, &mut f);
        } else {
            let norm = normalize_piece(&raw[i..end]);
            for w in tokenize(&norm) {
                f(w.as_bytes());
            }
        }
        i = end;
    }
}

/// The words of ASCII text, lowercased in `word`: its runs of ASCII letters and digits
/// (what [`tokenize`] finds in ASCII, lowercasing being all [`normalize`] does to it).
fn ascii_words(ascii: &[u8], word: &mut Vec<u8>, f: &mut impl FnMut(&[u8])) {
    let mut start = None;
    for (i, &b) in ascii.iter().enumerate() {
        match (b.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                emit_ascii(&ascii[s..i], word, f);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        emit_ascii(&ascii[s..], word, f);
    }
}

fn emit_ascii(w: &[u8], word: &mut Vec<u8>, f: &mut impl FnMut(&[u8])) {
    word.clear();
    word.extend(w.iter().map(u8::to_ascii_lowercase));
    f(word);
}

/// Is `c` part of a word? (Alphabetic or Numeric.)
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The words of an already normalised string, in order (duplicates kept).
pub fn tokenize(normalized: &str) -> Vec<&str> {
    normalized
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .collect()
}

/// Length in UTF-16 code units, the unit of JavaScript's `String.length`.
pub fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// May a typo be tolerated in this (normalised) query word?
pub fn typo_len_ok(word: &str) -> bool {
    utf16_len(word) >= TYPO_MIN_LEN
}

/// Optimal-string-alignment distance between `a` and `b` is at most 1.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<u16> = a.encode_utf16().collect();
    let b: Vec<u16> = b.encode_utf16().collect();
    within_one_edit_units(&a, &b)
}

/// [`within_one_edit`] on UTF-16 code units.
pub fn within_one_edit_units(a: &[u16], b: &[u16]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    // Skip the common prefix; what is left must differ by one edit.
    let mut i = 0;
    while i < la && i < lb && a[i] == b[i] {
        i += 1;
    }
    if i == la && i == lb {
        return true;
    }
    if la == lb {
        // Substitution at i, or a swap of i and i+1.
        if a[i + 1..] == b[i + 1..] {
            return true;
        }
        return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..];
    }
    if la > lb {
        a[i + 1..] == b[i..]
    } else {
        a[i..] == b[i + 1..]
    }
}

/// Does some prefix of `term` lie within one edit of `word` (the word being typed)?
/// Only prefixes of length `len(word) − 1 ..= len(word) + 1` can.
pub fn prefix_within_one_edit(term: &[u16], word: &[u16]) -> bool {
    let n = word.len();
    (n.saturating_sub(1)..=n + 1)
        .filter(|&k| k <= term.len())
        .any(|k| within_one_edit_units(&term[..k], word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_normalize_strips_accents_and_case() {
        for (input, want) in [
            ("Montréal", "montreal"),
            ("MONTRÉAL", "montreal"),
            ("café", "cafe"),
            ("Cafe\u{301}", "cafe"),
            ("Évangéline", "evangeline"),
            ("Ærøskøbing", "aeroskobing"),
            ("Straße", "strasse"),
            ("Łódź", "lodz"),
            ("İstanbul", "istanbul"),
            ("São Paulo", "sao paulo"),
            ("Zürich", "zurich"),
            ("Ōtautahi", "otautahi"),
            ("Wi-Fi 24/7", "wi-fi 24/7"),
            ("ΣΟΦΙΑ", "σοφια"),
            ("ΟΔΟΣ ΟΔΟΣ\tΟΔΟΣa aΣ Σ", "οδος οδος\tοδοσa aς σ"),
            (
                "Long text, café\nCafe\u{301} — Ærø.  ok",
                "long text, cafe\ncafe — aero.  ok",
            ),
            ("", ""),
        ] {
            assert_eq!(normalize(input), want, "{input:?}");
            assert_eq!(normalize(input), normalize_piece(input), "{input:?}");
            let mut words = Vec::new();
            for_each_word(input, |w| words.push(w.to_owned()));
            assert_eq!(words, tokenize(want), "{input:?}");
        }
    }

    #[test]
    fn search_for_each_word_is_tokenize_of_normalize() {
        let samples = [
            "Anchor Base opened in 2024 in a converted townhouse close to Market.",
            "## What's included\n\n- **Registered business address**: bookable online\n",
            "L'Atelier de l'Évangéline — 24/7, Wi-Fi! rock'n'roll x-ray 3D-printing",
            "MiXeD CaSe_with_underscores and   tabs\tand\r\nCRLF; \"quotes\" (parens) [br] {x}",
            "a1b2c3 123abc 0xFF 3.14 1,000 -42 +7 #tag @user ~tilde `code` ^caret",
            "Straße, Ærø, ΟΔΟΣ Σ, İstanbul, 東京 coworking, naïve café\u{301}",
            "mixed:café,ASCII;next ünïcödé-word's end",
            "\u{1F600}emoji\u{1F600} a\u{a0}b\u{2009}c d\u{85}e",
            "  leading and trailing spaces  ",
            "",
            "!!!",
        ];
        // Every sample, and every prefix of the concatenation at a char boundary
        // (cuts inside words, pieces and punctuation runs).
        let all = samples.join(" ");
        let cuts = all.char_indices().map(|(i, _)| &all[..i]);
        for raw in samples.into_iter().chain(cuts) {
            let mut words = Vec::new();
            for_each_word(raw, |w| words.push(w.to_owned()));
            assert_eq!(words, tokenize(&normalize(raw)), "{raw:?}");
        }
    }

    #[test]
    fn search_tokenize_splits_on_everything_but_letters_and_digits() {
        assert_eq!(
            tokenize(&normalize("L'Atelier de l'Évangéline — 24/7, Wi-Fi!")),
            [
                "l",
                "atelier",
                "de",
                "l",
                "evangeline",
                "24",
                "7",
                "wi",
                "fi"
            ]
        );
        assert_eq!(tokenize("  "), Vec::<&str>::new());
        assert_eq!(tokenize("東京 coworking"), ["東京", "coworking"]);
    }

    #[test]
    fn search_markdown_pieces_have_the_words_of_markdown_words() {
        let md = "## What's included\n\n- **Wi-Fi**: [map](https://x.example/a) <b>b</b>x\n\
                  [ref]: https://ref.example.org/\r\nÉté <i>ΟΔΟΣ</i>Σ [a](b\n<unclosed and [c](d";
        let mut pieces = Vec::new();
        markdown_pieces(md, |p, _| for_each_word(p, |w| pieces.push(w.to_owned())));
        assert_eq!(pieces, tokenize(&normalize(&markdown_words(md))));
    }

    #[test]
    fn search_markdown_words_drop_link_targets_and_tags() {
        let md = "## About\n\nSee the [transit map](https://transit.example.org/x) or \
                  <https://auto.example.org> and <b>bold</b> ![a photo](img/p.svg \"t\").\n\
                  [ref]: https://ref.example.org/\n- **Wi-Fi**: `fast`";
        let words = tokenize(&normalize(&markdown_words(md))).join(" ");
        assert_eq!(
            words,
            "about see the transit map or and bold a photo wi fi fast"
        );
    }

    #[test]
    fn search_one_typo() {
        // Substitution, insertion, deletion, transposition, identity.
        assert!(within_one_edit("montreal", "montrael"));
        assert!(within_one_edit("montreal", "montreaal"));
        assert!(within_one_edit("montreal", "montral"));
        assert!(within_one_edit("montreal", "montroal"));
        assert!(within_one_edit("montreal", "montreal"));
        assert!(within_one_edit("ab", "ba"));
        // Two edits are too many.
        assert!(!within_one_edit("montreal", "motnrael"));
        assert!(!within_one_edit("montreal", "montre"));
        assert!(!within_one_edit("abcd", "badc"));
        assert!(typo_len_ok("hello") && !typo_len_ok("cafe"));
        // Prefix with a typo while typing: "harbu" is one edit from "harbo(ur)".
        let units = |s: &str| s.encode_utf16().collect::<Vec<_>>();
        assert!(prefix_within_one_edit(
            &units("harbourside"),
            &units("harbu")
        ));
        assert!(prefix_within_one_edit(
            &units("harbourside"),
            &units("hrabo")
        ));
        assert!(!prefix_within_one_edit(
            &units("harbourside"),
            &units("hxrbu")
        ));
        assert!(!prefix_within_one_edit(&units("har"), &units("harbou")));
    }
}
