//! Terminal output: one annotate-snippets diagnostic per finding (code frame at the location,
//! related places as context annotations, `help:`, the fix as a patch), then a summary.

use super::{RenderOptions, SourceFile, Sources, display_end, file_pos, verdict_explanation};
use crate::finding::{Confidence, Edit, Finding, FixSafety, Location, Severity};
use crate::redact::redact_urls;
use crate::report::{Report, Verdict};
use crate::rule::RuleMeta;
use annotate_snippets::{
    Annotation, AnnotationKind, Group, Level, Patch, Renderer, Snippet, renderer::DecorStyle,
};
use std::fmt::Write;

fn level(severity: Severity) -> Level<'static> {
    let base = match severity {
        Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium => Level::WARNING,
        Severity::Low => Level::INFO,
        Severity::Info => Level::NOTE,
    };
    base.with_name(Some(severity.as_str()))
}

/// A window of whole lines of `src` covering `locs`, and the byte offset it starts at.
fn window(src: &SourceFile, locs: &[&Location]) -> (String, usize, u32) {
    let first = locs.iter().map(|l| l.start.line).min().unwrap_or(1).max(1);
    let last = locs
        .iter()
        .map(|l| display_end(l.start, l.end).line)
        .max()
        .unwrap_or(first)
        .max(first);
    let range = src.lines_range(first, last);
    (src.text()[range.clone()].to_string(), range.start, first)
}

/// Byte span of `loc` inside a window starting at `base` of length `len`.
fn span_in(src: &SourceFile, loc: &Location, base: usize, len: usize) -> std::ops::Range<usize> {
    let start = src.offset(loc.start).saturating_sub(base).min(len);
    let end = src
        .end_offset(display_end(loc.start, loc.end))
        .saturating_sub(base)
        .clamp(start, len);
    start..end
}

/// A code frame of `file` with `(location, label, primary)` annotations.
fn frame<'a>(
    file: &'a str,
    src: &SourceFile,
    marks: &[(&Location, Option<&'a str>, bool)],
) -> Snippet<'a, Annotation<'a>> {
    let locs: Vec<&Location> = marks.iter().map(|m| m.0).collect();
    let (text, base, first) = window(src, &locs);
    let len = text.len();
    let annotations: Vec<Annotation<'a>> = marks
        .iter()
        .map(|(loc, label, primary)| {
            let kind = if *primary {
                AnnotationKind::Primary
            } else {
                AnnotationKind::Context
            };
            kind.span(span_in(src, loc, base, len)).label(*label)
        })
        .collect();
    Snippet::source(text)
        .line_start(first as usize)
        .path(file)
        .annotations(annotations)
}

/// A patch snippet for the edits of one file, or `None` without source text.
fn patch<'a>(file: &'a str, src: &SourceFile, edits: &[&'a Edit]) -> Snippet<'a, Patch<'a>> {
    let locs: Vec<Location> = edits
        .iter()
        .map(|e| Location {
            file: e.file.clone(),
            start: e.start,
            end: e.end,
        })
        .collect();
    let refs: Vec<&Location> = locs.iter().collect();
    let (text, base, first) = window(src, &refs);
    let len = text.len();
    let mut spans: Vec<(std::ops::Range<usize>, &str)> = locs
        .iter()
        .zip(edits)
        .map(|(loc, e)| {
            let start = src.offset(loc.start).saturating_sub(base).min(len);
            let end = src
                .end_offset(loc.end)
                .saturating_sub(base)
                .clamp(start, len);
            (start..end, e.replacement.as_str())
        })
        .collect();
    spans.sort_by_key(|(r, _)| (r.start, r.end));
    // Edits of a fix do not overlap; if a stale report says otherwise, show the first only.
    let mut patches: Vec<Patch<'a>> = Vec::new();
    let mut last: Option<std::ops::Range<usize>> = None;
    for (range, replacement) in spans {
        if let Some(prev) = &last
            && (range.start < prev.end || range.start == prev.start)
        {
            continue;
        }
        last = Some(range.clone());
        patches.push(Patch::new(range, redact_urls(replacement)));
    }
    Snippet::source(text)
        .line_start(first as usize)
        .path(file)
        .patches(patches)
}

fn finding_groups<'a>(
    f: &'a Finding,
    sources: &'a Sources<'_>,
    rules: &[&'static RuleMeta],
) -> Vec<Group<'a>> {
    let summary = rules.iter().find(|m| m.id == f.rule).map(|m| m.summary);
    let mut group = Group::with_title(
        level(f.severity)
            .primary_title(f.message.as_str())
            .id(f.rule.as_str()),
    );
    let mut notes: Vec<String> = Vec::new();
    match &f.location {
        Some(loc) => match sources.peek(&loc.file) {
            Some(src) => {
                let mut marks = vec![(loc, summary, true)];
                let mut other_files: Vec<&str> = Vec::new();
                for rel in &f.related {
                    if rel.location.file == loc.file {
                        marks.push((&rel.location, Some(rel.message.as_str()), false));
                    } else if !other_files.contains(&rel.location.file.as_str()) {
                        other_files.push(&rel.location.file);
                    }
                }
                group = group.element(frame(&loc.file, src, &marks));
                for other in other_files {
                    let rels = f.related.iter().filter(|r| r.location.file == other);
                    match sources.peek(other) {
                        Some(osrc) => {
                            let marks: Vec<_> = rels
                                .map(|r| (&r.location, Some(r.message.as_str()), false))
                                .collect();
                            group = group.element(frame(other, osrc, &marks));
                        }
                        None => notes.extend(rels.map(|r| {
                            format!("{}: {}", file_pos(other, r.location.start), r.message)
                        })),
                    }
                }
            }
            None => {
                group = group.element(
                    annotate_snippets::Origin::path(loc.file.as_str())
                        .line(loc.start.line as usize)
                        .char_column(loc.start.column as usize),
                );
                notes.extend(f.related.iter().map(|r| {
                    format!(
                        "{}: {}",
                        file_pos(&r.location.file, r.location.start),
                        r.message
                    )
                }));
            }
        },
        None => notes.extend(f.related.iter().map(|r| {
            format!(
                "{}: {}",
                file_pos(&r.location.file, r.location.start),
                r.message
            )
        })),
    }
    if f.confidence == Confidence::Heuristic {
        notes.push(
            "heuristic: inferred from names or conventions; check that it applies \
             (`min-confidence = \"certain\"` hides such findings)"
                .to_string(),
        );
    }
    for note in notes {
        group = group.element(Level::NOTE.message(note));
    }
    if let Some(help) = &f.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let mut groups = vec![group];
    if let Some(fix) = &f.fix {
        let safety = match fix.safety {
            FixSafety::Safe => "safe fix",
            FixSafety::Unsafe => "unsafe fix, review before applying",
        };
        let mut fix_group =
            Group::with_title(Level::HELP.secondary_title(format!("{} ({safety})", fix.title)));
        let mut files: Vec<&str> = Vec::new();
        for e in &fix.edits {
            if !files.contains(&e.file.as_str()) {
                files.push(&e.file);
            }
        }
        for file in files {
            let edits: Vec<&Edit> = fix.edits.iter().filter(|e| e.file == file).collect();
            match sources.peek(file) {
                Some(src) => fix_group = fix_group.element(patch(file, src, &edits)),
                None => {
                    for e in edits {
                        fix_group = fix_group.element(Level::NOTE.message(format!(
                            "{}: replace with `{}`",
                            file_pos(file, e.start),
                            redact_urls(&e.replacement)
                        )));
                    }
                }
            }
        }
        if let Some(sql) = &fix.sql {
            fix_group = fix_group.element(
                Level::NOTE.message(format!("migration SQL:\n{}", redact_urls(sql.trim_end()))),
            );
        }
        groups.push(fix_group);
    }
    groups
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";

pub(crate) fn render(
    report: &Report,
    project: Option<&crate::project::Project>,
    rules: &[&'static RuleMeta],
    opts: &RenderOptions,
) -> String {
    let mut sources = Sources::new(project);
    for f in &report.findings {
        let files = f
            .location
            .iter()
            .map(|l| l.file.as_str())
            .chain(f.related.iter().map(|r| r.location.file.as_str()))
            .chain(
                f.fix
                    .iter()
                    .flat_map(|x| x.edits.iter().map(|e| e.file.as_str())),
            );
        for file in files {
            sources.get(file);
        }
    }
    let renderer = if opts.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for f in &report.findings {
        let groups = finding_groups(f, &sources, rules);
        out.push_str(renderer.render(&groups).trim_end());
        out.push_str("\n\n");
    }
    if report.findings.is_empty() {
        out.push_str("No findings.\n\n");
    }
    let c = &report.summary.counts;
    let (b, r) = if opts.color { (BOLD, RESET) } else { ("", "") };
    let _ = write!(
        out,
        "{b}Summary{r}: {} finding{}: {} critical, {} high, {} medium, {} low, {} info",
        c.total(),
        if c.total() == 1 { "" } else { "s" },
        c.critical,
        c.high,
        c.medium,
        c.low,
        c.info
    );
    let mut hidden = Vec::new();
    if report.summary.suppressed > 0 {
        hidden.push(format!("{} suppressed", report.summary.suppressed));
    }
    if report.summary.baselined > 0 {
        hidden.push(format!("{} baselined", report.summary.baselined));
    }
    if report.summary.ignored_models > 0 {
        hidden.push(format!(
            "{} in {} left-out models",
            report.summary.ignored_models,
            report.project.excluded_models.len()
        ));
    }
    if report.summary.below_min_confidence > 0 {
        hidden.push(format!(
            "{} below min-confidence",
            report.summary.below_min_confidence
        ));
    }
    if !hidden.is_empty() {
        let _ = write!(out, " ({})", hidden.join(", "));
    }
    out.push('\n');
    let verdict = report.summary.verdict;
    let colour = match verdict {
        Verdict::NotReady => "\x1b[1;31m",
        Verdict::ReadyWithFixes => "\x1b[1;33m",
        Verdict::Ready => "\x1b[1;32m",
    };
    let (v, r) = if opts.color {
        (colour, RESET)
    } else {
        ("", "")
    };
    let _ = writeln!(
        out,
        "{b}Verdict{}: {v}{}{r}: {}",
        if opts.color { RESET } else { "" },
        verdict.title(),
        verdict_explanation(verdict)
    );
    out
}
