//! The application-code rules on `examples/vet-clinic`: every problem its TypeScript
//! reconstructs (the README's items 25–34) is reported at its line, the look-alikes the README
//! lists as fine are not, and a suppression comment in the code silences its call.

use prisma_audit_core::config::RuleConfig;
use prisma_audit_core::finding::Finding;
use prisma_audit_core::load::{LoadLimits, load_dir};
use prisma_audit_core::{AuditOptions, Project, audit};
use std::path::Path;

use prisma_audit_rules::APPLICATION_CODE_RULES as RULES;

fn example() -> Project {
    prisma_audit_rules::link();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/vet-clinic");
    load_dir(&root, &LoadLimits::default()).expect("load vet-clinic")
}

fn findings(project: &Project) -> Vec<Finding> {
    let mut options = AuditOptions::default();
    for id in RULES {
        options.config.rules.insert(
            id.to_string(),
            RuleConfig {
                enabled: Some(true),
                ..Default::default()
            },
        );
    }
    audit(project, &options).expect("audit").findings
}

/// `(file, line)` of each finding of `rule`, sorted.
fn sites(findings: &[Finding], rule: &str) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = findings
        .iter()
        .filter(|f| f.rule == rule)
        .filter_map(|f| f.location.as_ref())
        .map(|l| (l.file.clone(), l.start.line))
        .collect();
    v.sort();
    v
}

fn at(list: &[(&str, u32)]) -> Vec<(String, u32)> {
    list.iter().map(|(f, l)| (f.to_string(), *l)).collect()
}

#[test]
fn each_reconstructed_problem_is_reported_at_its_line() {
    let f = findings(&example());
    assert_eq!(
        sites(&f, "raw-sql-injection"),
        at(&[("src/lib/pets.ts", 13)])
    );
    // The pet page reads by an id from the URL; the sale's stock update trusts the line's
    // item id (any tenant's item).
    assert_eq!(
        sites(&f, "tenant-unscoped-query"),
        at(&[("src/lib/pets.ts", 5), ("src/lib/sales.ts", 68)])
    );
    assert_eq!(
        sites(&f, "n-plus-one-query"),
        at(&[("src/lib/pets.ts", 29)])
    );
    assert_eq!(
        sites(&f, "deep-include"),
        at(&[("src/lib/customers.ts", 71)])
    );
    // The admin user list (README item 27) pages with `skip` too: back-office, not reported.
    assert_eq!(
        sites(&f, "offset-pagination"),
        at(&[("src/lib/customers.ts", 54), ("src/lib/sales.ts", 112)])
    );
    assert_eq!(
        sites(&f, "float-money-arithmetic"),
        at(&[("src/lib/reports.ts", 19)])
    );
    assert_eq!(
        sites(&f, "check-then-write-race"),
        at(&[("src/lib/inventory.ts", 10)])
    );
    assert_eq!(
        sites(&f, "interactive-transaction-io"),
        at(&[("src/lib/billing.ts", 10)])
    );
    // The over-fetching include of the dashboard (both lists) and the unpaged appointment
    // history of the customer profile.
    let unbounded = sites(&f, "unbounded-find-many");
    for site in at(&[
        ("src/lib/dashboard.ts", 17),
        ("src/lib/customers.ts", 86),
        ("src/lib/reports.ts", 8),
    ]) {
        assert!(
            unbounded.contains(&site),
            "{site:?} missing from {unbounded:?}"
        );
    }
    let dashboard_17 = unbounded
        .iter()
        .filter(|s| *s == &("src/lib/dashboard.ts".to_string(), 17))
        .count();
    assert_eq!(dashboard_17, 2, "appointments and medicalHistories");
}

#[test]
fn fine_code_stays_silent() {
    let f = findings(&example());
    let in_file = |file: &str, rule: &str| {
        f.iter()
            .filter(|x| x.rule == rule)
            .filter(|x| x.location.as_ref().is_some_and(|l| l.file == file))
            .count()
    };
    // Tagged `$queryRaw` templates are parameterised.
    assert_eq!(
        in_file("src/app/api/health/route.ts", "raw-sql-injection"),
        0
    );
    assert_eq!(in_file("src/lib/admin.ts", "raw-sql-injection"), 0);
    // The stock update after a tenant-scoped read of the same item.
    assert_eq!(in_file("src/lib/inventory.ts", "tenant-unscoped-query"), 0);
    // The sale's atomic `decrement`, and sale lines created (not read) per loop iteration.
    assert_eq!(in_file("src/lib/sales.ts", "check-then-write-race"), 0);
    assert_eq!(in_file("src/lib/sales.ts", "n-plus-one-query"), 0);
    // Back-office code and scripts.
    assert_eq!(
        in_file("src/lib/admin/users.ts", "tenant-unscoped-query"),
        0
    );
    assert_eq!(in_file("scripts/seed.ts", "unbounded-find-many"), 0);
}

#[test]
fn a_suppression_in_the_code_silences_its_call() {
    let project = example();
    let files: Vec<(String, Vec<u8>)> = project
        .files()
        .map(|(_, f)| {
            let mut bytes = f.bytes().to_vec();
            if f.path() == "src/lib/pets.ts" {
                let text = String::from_utf8(bytes).expect("utf-8");
                bytes = text
                    .replacen(
                        "  return prisma.pet.findUnique({",
                        "  // prisma-audit-ignore tenant-unscoped-query -- the page checks the tenant\n  return prisma.pet.findUnique({",
                        1,
                    )
                    .into_bytes();
            }
            (f.path().to_string(), bytes)
        })
        .collect();
    let edited = Project::from_files("vet-clinic", files);
    let f = findings(&edited);
    assert_eq!(
        sites(&f, "tenant-unscoped-query"),
        at(&[("src/lib/sales.ts", 68)])
    );
    assert!(f.iter().all(|x| x.rule != "unused-suppression"), "{f:#?}");
}
