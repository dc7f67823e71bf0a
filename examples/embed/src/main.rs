//! Audit a schema held in memory (no filesystem needed) and print one line per finding.
//! Exit status 1 when a critical or high finding exists, like a CI gate would.

use prisma_audit_core::finding::Severity;
use prisma_audit_core::{AuditOptions, Project, audit};

const SCHEMA: &str = r#"
datasource db {
  provider = "postgresql"
}

model Customer {
  id    String @id @default(uuid())
  email String @unique
  pets  Pet[]
}

model Pet {
  id         String   @id @default(uuid())
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])
}
"#;

fn main() {
    // Keep the built-in rules linked (they register themselves through `inventory`).
    let rule_count = prisma_audit_rules::link();
    let project = Project::from_files("embedded", [("prisma/schema.prisma", SCHEMA)]);
    let report = match audit(&project, &AuditOptions::default()) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("audit failed: {e}");
            std::process::exit(2);
        }
    };
    println!(
        "{} rules, verdict: {}",
        rule_count,
        report.summary.verdict.as_str()
    );
    for f in &report.findings {
        let at = f
            .location
            .as_ref()
            .map(|l| format!("{}:{}:{}", l.file, l.start.line, l.start.column))
            .unwrap_or_default();
        println!(
            "{:<8} {:<28} {at}  {}",
            f.severity.as_str(),
            f.rule,
            f.message
        );
    }
    let blocking = report
        .findings
        .iter()
        .any(|f| f.severity.at_least(Severity::High));
    std::process::exit(i32::from(blocking));
}
