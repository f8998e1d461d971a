//! serde_json's pretty printer, byte for byte, written faster: what every JSON data
//! file is printed with.

use serde::Serialize;

pub(super) fn pretty<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    pretty_sized(v, 0)
}

/// [`pretty`] into a buffer of `capacity` bytes, so big files are not copied as they grow.
/// Capacity that is never written costs nothing: a big buffer's untouched pages are
/// never mapped in.
pub(super) fn pretty_sized<T: Serialize + ?Sized>(v: &T, capacity: usize) -> Vec<u8> {
    let mut s = Vec::with_capacity(capacity);
    let _ = v.serialize(&mut serde_json::Serializer::with_formatter(
        &mut s,
        Pretty::default(),
    ));
    s.push(b'\n');
    s
}

/// serde_json's `PrettyFormatter` (two-space indent), byte for byte, writing each line
/// break with its indentation in one piece instead of one write per level: a deep
/// value's lines (most of `spaces.json`) are mostly indentation.
#[derive(Default)]
pub(super) struct Pretty {
    depth: usize,
    has_value: bool,
}

/// `,` then a line break and the indentation of the deepest lines the files have.
const BREAK: &[u8] = b",\n                                ";

impl Pretty {
    /// A line break and the current indentation, after a comma unless `first`.
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W, first: bool) -> std::io::Result<()> {
        let from = usize::from(first);
        match BREAK.get(from..2 + 2 * self.depth) {
            Some(line) => w.write_all(line),
            None => {
                w.write_all(&BREAK[from..2])?;
                (0..self.depth).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    /// An array or object opens: one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// It closes: on a line of its own unless it was empty.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.line(w, true)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.line(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
