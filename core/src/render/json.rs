//! JSON: the report itself, pretty-printed (the public contract, `schema/report.schema.json`).

use crate::report::Report;
use serde::Serialize;
use serde_json::ser::Formatter;
use std::io;

/// Pretty-printed JSON with a trailing newline. Struct fields serialise in declaration order
/// and the report holds no maps, so identical reports give identical bytes.
pub(crate) fn render(report: &Report) -> String {
    // Serialised straight from the structs into one buffer sized for the usual ~1 KiB per
    // finding, so a large report is not copied again and again while the buffer grows.
    let mut buf = Vec::with_capacity(1024 + report.findings.len() * 1280);
    let mut serializer = serde_json::Serializer::with_formatter(&mut buf, Pretty::default());
    let out = match report.serialize(&mut serializer) {
        // serde_json writes valid UTF-8 only.
        Ok(()) => String::from_utf8(buf).ok(),
        Err(_) => None,
    };
    // Serialising plain structs of strings and integers cannot fail; stay total anyway.
    let mut out = out.unwrap_or_else(|| match serde_json::to_string_pretty(report) {
        Ok(s) => s,
        Err(e) => {
            serde_json::json!({ "error": format!("cannot serialise the report: {e}") }).to_string()
        }
    });
    out.push('\n');
    out
}

/// The output of serde_json's `PrettyFormatter` (two-space indent), but each line break goes
/// out with its comma and indentation in one write: the stock formatter writes the indent two
/// bytes at a time, hundreds of thousands of tiny writes for a report of 2,000 findings.
#[derive(Default)]
struct Pretty {
    depth: usize,
    has_value: bool,
}

/// A comma, a line break and the indentation of the 32 shallowest levels.
const LINE: &[u8] = b",\n                                                                ";

/// Write `,\n` (or `\n`) and the indentation of `depth`.
fn line_break<W: ?Sized + io::Write>(w: &mut W, comma: bool, depth: usize) -> io::Result<()> {
    let start = usize::from(!comma);
    match LINE.get(start..2 + 2 * depth) {
        Some(line) => w.write_all(line),
        None => {
            w.write_all(&LINE[start..2])?;
            (0..depth).try_for_each(|_| w.write_all(b"  "))
        }
    }
}

impl Pretty {
    /// `[` or `{`: one level deeper, no member yet.
    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }
    /// `]` or `}`, on its own line after a non-empty array or object.
    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            line_break(w, false, self.depth)?;
        }
        w.write_all(bracket)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        line_break(w, !first, self.depth)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        line_break(w, !first, self.depth)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Same bytes as serde_json's own pretty printer, at every depth (also past [`LINE`]).
    #[test]
    fn matches_serde_json_pretty() {
        let mut deep = serde_json::json!({ "leaf": [1, "x\"y", null, {}, []] });
        for i in 0..40 {
            deep = serde_json::json!({ "level": i, "empty": {}, "list": [deep, [], true] });
        }
        let mut ours = Vec::new();
        let mut serializer = serde_json::Serializer::with_formatter(&mut ours, Pretty::default());
        deep.serialize(&mut serializer).unwrap();
        let theirs = serde_json::to_vec_pretty(&deep).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }
}
