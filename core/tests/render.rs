//! Renderers over a realistic hand-built report: snapshots (text, Markdown, GitHub), schema
//! validation (JSON against `schema/report.schema.json`, SARIF against the official SARIF
//! 2.1.0 schema), secret redaction and determinism.

use prisma_audit_core::finding::{
    Category, Confidence, Edit, Finding, Fix, FixSafety, Location, Position, Related, Severity,
};
use prisma_audit_core::project::Project;
use prisma_audit_core::render::{Format, RenderOptions, render};
use prisma_audit_core::report::{ProjectInfo, Report, SCHEMA_VERSION, Summary, ToolInfo};
use prisma_audit_core::rule::RuleMeta;
use serde_json::Value;

const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

generator client {
  provider = "prisma-client-js"
}

model Customer {
  id    String @id @default(uuid())
  email String @unique
  pets  Pet[]
}

model Pet {
  id         String   @id @default(uuid())
  name       String
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])
  weight     Decimal
}
"#;

const INIT_SQL: &str = r#"-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Pet" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "nickname" TEXT,
    "customerId" TEXT NOT NULL,
    "weight" DECIMAL(65,30) NOT NULL,
    CONSTRAINT "Pet_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "Pet" ADD CONSTRAINT "Pet_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
"#;

const DROP_SQL: &str = r#"-- AlterTable
ALTER TABLE "Pet" DROP COLUMN "nickname";
"#;

/// The secrets that must never be printed.
const DB_PASSWORD: &str = "Sup3rS3cretPw";
const SHADOW_PASSWORD: &str = "An0therS3cret";

fn env_file() -> String {
    format!(
        "# Local settings\nDATABASE_URL=\"postgresql://vet:{DB_PASSWORD}@db.internal:5432/vet?schema=public\"\nSHADOW_DATABASE_PASSWORD={SHADOW_PASSWORD}\nNODE_ENV=production\n"
    )
}

const SCHEMA_PATH: &str = "prisma/schema.prisma";
const INIT_PATH: &str = "prisma/migrations/20250101000000_init/migration.sql";
const DROP_PATH: &str = "prisma/migrations/20250201000000_drop_nickname/migration.sql";

fn files() -> Vec<(&'static str, String)> {
    vec![
        (SCHEMA_PATH, SCHEMA.to_string()),
        (INIT_PATH, INIT_SQL.to_string()),
        (DROP_PATH, DROP_SQL.to_string()),
        (".env", env_file()),
    ]
}

fn project() -> Project {
    Project::from_files("vet-clinic", files())
}

fn text_of(path: &str) -> String {
    files()
        .into_iter()
        .find(|(p, _)| *p == path)
        .map(|(_, t)| t)
        .unwrap()
}

/// Line/column (1-based, columns in characters) of a byte offset.
fn position(text: &str, offset: usize) -> Position {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Position {
        line,
        column: text[line_start..offset].chars().count() as u32 + 1,
    }
}

/// Byte range of the first occurrence of `needle` in `path`.
fn range(path: &str, needle: &str) -> (usize, usize) {
    let text = text_of(path);
    let start = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {path}"));
    (start, start + needle.len())
}

fn loc(path: &str, needle: &str) -> Location {
    let text = text_of(path);
    let (s, e) = range(path, needle);
    Location {
        file: path.to_string(),
        start: position(&text, s),
        end: position(&text, e),
    }
}

/// Replace `needle` in `path` with `replacement`.
fn edit(path: &str, needle: &str, replacement: &str) -> Edit {
    let text = text_of(path);
    let (s, e) = range(path, needle);
    Edit {
        file: path.to_string(),
        start: position(&text, s),
        end: position(&text, e),
        start_offset: s as u32,
        end_offset: e as u32,
        replacement: replacement.to_string(),
    }
}

/// Insert `inserted` just before the last occurrence of `needle` in `path`.
fn insert_before_last(path: &str, needle: &str, inserted: &str) -> Edit {
    let text = text_of(path);
    let s = text.rfind(needle).unwrap();
    Edit {
        file: path.to_string(),
        start: position(&text, s),
        end: position(&text, s),
        start_offset: s as u32,
        end_offset: s as u32,
        replacement: inserted.to_string(),
    }
}

static DESTRUCTIVE: RuleMeta = RuleMeta {
    id: "destructive-migration",
    summary: "Migrations that drop columns or tables",
    category: Category::MigrationIntegrity,
    default_severity: Severity::Critical,
    docs: " ## What it does\n Flags `DROP TABLE` and `DROP COLUMN` in migrations.\n\n ## Why is this bad?\n The data is gone once the migration runs.\n",
    fixable: false,
    default_enabled: true,
};
static ENV_SECRET: RuleMeta = RuleMeta {
    id: "committed-env-secret",
    summary: "Database credentials in committed .env files",
    category: Category::Security,
    default_severity: Severity::Critical,
    docs: " ## What it does\n Finds passwords in `.env` files that are tracked.\n",
    fixable: false,
    default_enabled: true,
};
static ON_DELETE: RuleMeta = RuleMeta {
    id: "implicit-on-delete",
    summary: "Relations without an explicit onDelete",
    category: Category::DataIntegrity,
    default_severity: Severity::High,
    docs: " ## What it does\n Flags relations that rely on the default referential action.\n",
    fixable: true,
    default_enabled: true,
};
static FK_INDEX: RuleMeta = RuleMeta {
    id: "missing-fk-index",
    summary: "Foreign-key columns without an index",
    category: Category::Performance,
    default_severity: Severity::Medium,
    docs: " ## What it does\n Flags relation scalar fields that no index starts with.\n",
    fixable: true,
    default_enabled: true,
};
static DECIMAL: RuleMeta = RuleMeta {
    id: "decimal-precision",
    summary: "Decimal fields without explicit precision",
    category: Category::DataIntegrity,
    default_severity: Severity::Low,
    docs: " ## What it does\n Flags `Decimal` fields without `@db.Decimal(p, s)`.\n",
    fixable: true,
    default_enabled: true,
};
static RAW_QUERY: RuleMeta = RuleMeta {
    id: "unsafe-raw-query",
    summary: "String-built raw SQL",
    category: Category::TypeSafety,
    default_severity: Severity::High,
    docs: " ## What it does\n Flags `$queryRawUnsafe` with interpolated strings.\n",
    fixable: false,
    default_enabled: true,
};

/// Rule metadata handed to the renderers; `connection-limit` (used by a finding) is missing on
/// purpose, as an engine-level rule would be.
fn rules() -> Vec<&'static RuleMeta> {
    vec![
        &ENV_SECRET,
        &DECIMAL,
        &DESTRUCTIVE,
        &ON_DELETE,
        &FK_INDEX,
        &RAW_QUERY,
    ]
}

fn findings() -> Vec<Finding> {
    vec![
        Finding {
            rule: "committed-env-secret".into(),
            severity: Severity::Critical,
            category: Category::Security,
            confidence: Confidence::Certain,
            message: "`.env` holds the password of `DATABASE_URL` (postgresql://vet:****@db.internal:5432/vet)".into(),
            help: Some("Anyone with read access to the repository can log in to the database. Remove the file from version control, rotate the password and load it from a secret manager.".into()),
            location: Some(loc(".env", &format!("vet:{DB_PASSWORD}"))),
            related: vec![Related {
                message: "the datasource reads it here".into(),
                location: loc(SCHEMA_PATH, "env(\"DATABASE_URL\")"),
            }],
            fix: None,
            fingerprint: "6f2c1d0a9b8e7f60".into(),
        },
        Finding {
            rule: "destructive-migration".into(),
            severity: Severity::Critical,
            category: Category::MigrationIntegrity,
            confidence: Confidence::Certain,
            message: "Migration `20250201000000_drop_nickname` drops column `Pet.nickname` and its data".into(),
            help: Some("Copy the data elsewhere first, or split the change: stop writing the column, deploy, then drop it in a later release.".into()),
            location: Some(loc(DROP_PATH, "DROP COLUMN \"nickname\"")),
            related: vec![Related {
                message: "the column is created here".into(),
                location: loc(INIT_PATH, "\"nickname\" TEXT"),
            }],
            fix: None,
            fingerprint: "0d1e2f3a4b5c6d7e".into(),
        },
        Finding {
            rule: "implicit-on-delete".into(),
            severity: Severity::High,
            category: Category::DataIntegrity,
            confidence: Confidence::Certain,
            message: "`Pet.customer` has no `onDelete`: deleting a `Customer` with pets fails (Restrict)".into(),
            help: Some("Say what should happen to a customer's pets: `Cascade` deletes them, `SetNull` keeps them (with an optional `customerId`).".into()),
            location: Some(loc(SCHEMA_PATH, "customer   Customer @relation(fields: [customerId], references: [id])")),
            related: vec![
                Related {
                    message: "`Customer` is defined here".into(),
                    location: loc(SCHEMA_PATH, "model Customer"),
                },
                Related {
                    message: "the foreign key is created with ON DELETE RESTRICT".into(),
                    location: loc(INIT_PATH, "ON DELETE RESTRICT"),
                },
            ],
            fix: Some(Fix {
                title: "Add `onDelete: Cascade` to `Pet.customer`".into(),
                safety: FixSafety::Unsafe,
                edits: vec![edit(SCHEMA_PATH, "references: [id])\n  weight", "references: [id], onDelete: Cascade)\n  weight")],
                sql: Some("ALTER TABLE \"Pet\" DROP CONSTRAINT \"Pet_customerId_fkey\";\nALTER TABLE \"Pet\" ADD CONSTRAINT \"Pet_customerId_fkey\" FOREIGN KEY (\"customerId\") REFERENCES \"Customer\"(\"id\") ON DELETE CASCADE ON UPDATE CASCADE;".into()),
            }),
            fingerprint: "a1b2c3d4e5f60718".into(),
        },
        Finding {
            rule: "missing-fk-index".into(),
            severity: Severity::Medium,
            category: Category::Performance,
            confidence: Confidence::Certain,
            message: "`Pet.customerId` is a foreign key without an index".into(),
            help: Some("PostgreSQL does not index foreign keys: every `customer.pets` lookup and every `Customer` delete scans `Pet`.".into()),
            location: Some(loc(SCHEMA_PATH, "customerId String")),
            related: vec![],
            fix: Some(Fix {
                title: "Add `@@index([customerId])` to `Pet`".into(),
                safety: FixSafety::Safe,
                edits: vec![insert_before_last(SCHEMA_PATH, "}", "\n  @@index([customerId])\n")],
                sql: Some("CREATE INDEX \"Pet_customerId_idx\" ON \"Pet\"(\"customerId\");".into()),
            }),
            fingerprint: "1122334455667788".into(),
        },
        Finding {
            rule: "decimal-precision".into(),
            severity: Severity::Low,
            category: Category::DataIntegrity,
            confidence: Confidence::Heuristic,
            message: "`Pet.weight` is a `Decimal` without precision (defaults to `DECIMAL(65,30)`)".into(),
            help: None,
            location: Some(loc(SCHEMA_PATH, "Decimal")),
            related: vec![],
            fix: Some(Fix {
                title: "Declare `@db.Decimal(6, 2)` on `Pet.weight`".into(),
                safety: FixSafety::Unsafe,
                edits: vec![edit(SCHEMA_PATH, "Decimal\n", "Decimal @db.Decimal(6, 2)\n")],
                sql: None,
            }),
            fingerprint: "99aabbccddeeff00".into(),
        },
        Finding {
            rule: "connection-limit".into(),
            severity: Severity::Info,
            category: Category::ScalabilityAndOperations,
            confidence: Confidence::Certain,
            message: "`DATABASE_URL` sets no `connection_limit`; Prisma defaults to `num_cpus * 2 + 1` per instance".into(),
            help: Some("On serverless platforms, set `connection_limit=1` or use a pooler such as PgBouncer.".into()),
            location: None,
            related: vec![],
            fix: None,
            fingerprint: "ffeeddccbbaa9988".into(),
        },
    ]
}

fn report() -> Report {
    let findings = findings();
    let mut summary = Summary::of(&findings);
    summary.suppressed = 1;
    Report {
        schema_version: SCHEMA_VERSION.into(),
        tool: ToolInfo {
            name: "prisma-audit".into(),
            version: "0.1.0".into(),
        },
        project: ProjectInfo {
            root: "vet-clinic".into(),
            provider: Some("postgresql".into()),
            prisma_version: Some("6.5.0".into()),
            schema_files: vec![SCHEMA_PATH.into()],
            migrations: 2,
            models: 2,
            enums: 0,
            views: 0,
            rules_run: 7,
            excluded_models: vec!["Account (owned by Auth.js)".into()],
            migration_scope: None,
        },
        summary,
        findings,
        strengths: vec![
            "Every model has a primary key".into(),
            "Migrations are applied in timestamp order".into(),
        ],
    }
}

fn out(format: Format) -> String {
    render(
        &report(),
        Some(&project()),
        &rules(),
        format,
        &RenderOptions::default(),
    )
}

#[test]
fn text_snapshot() {
    insta::assert_snapshot!(out(Format::Text));
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!(out(Format::Markdown));
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!(out(Format::Github));
}

#[test]
fn text_colour_only_when_asked() {
    let plain = out(Format::Text);
    assert!(!plain.contains('\x1b'));
    let coloured = render(
        &report(),
        Some(&project()),
        &rules(),
        Format::Text,
        &RenderOptions { color: true },
    );
    assert!(coloured.contains("\x1b["));
}

#[test]
fn text_without_project_has_no_frames() {
    let text = render(
        &report(),
        None,
        &rules(),
        Format::Text,
        &RenderOptions::default(),
    );
    assert!(text.contains("--> prisma/schema.prisma:20:3"), "{text}");
    // No source line of the schema is shown.
    assert!(!text.contains("@relation(fields"), "{text}");
    assert!(text.contains("Verdict: Not ready"));
}

fn validator_of(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap()
}

fn validator(schema_text: &str) -> jsonschema::Validator {
    validator_of(&serde_json::from_str(schema_text).unwrap())
}

/// The official SARIF 2.1.0 schema's `language` pattern has a stray `]` (a known erratum of
/// the published schema) that regex engines refuse to compile.
const BROKEN_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
/// What the erratum meant: `en` or `en-US`.
const LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$";

/// Replace the broken pattern (in memory only; the committed file stays verbatim).
fn patch_language_pattern(value: &mut Value) -> usize {
    match value {
        Value::Object(map) => {
            let mut n = 0;
            for (key, v) in map.iter_mut() {
                if key == "pattern" && v == BROKEN_LANGUAGE_PATTERN {
                    *v = Value::from(LANGUAGE_PATTERN);
                    n += 1;
                } else {
                    n += patch_language_pattern(v);
                }
            }
            n
        }
        Value::Array(items) => items.iter_mut().map(patch_language_pattern).sum(),
        _ => 0,
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let mut schema: Value =
        serde_json::from_str(include_str!("data/sarif-2.1.0.schema.json")).unwrap();
    // `run.language` and `toolComponent.language`: if this changes, the file was replaced.
    assert_eq!(patch_language_pattern(&mut schema), 2);
    validator_of(&schema)
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "schema violations:\n{}",
        errors.join("\n")
    );
}

#[test]
fn json_validates_against_the_report_schema_and_round_trips() {
    let json = out(Format::Json);
    assert!(json.ends_with("}\n"));
    let schema = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/report.schema.json"),
    )
    .unwrap();
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_valid(&validator(&schema), &value);
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report());
    // A broken report is rejected, so the validation above means something.
    let mut broken = value.clone();
    broken["summary"]["verdict"] = Value::from("maybe");
    assert!(!validator(&schema).is_valid(&broken));
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let sarif: Value = serde_json::from_str(&out(Format::Sarif)).unwrap();
    let validator = sarif_validator();
    assert_valid(&validator, &sarif);
    // The schema is strict enough to catch a malformed log.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("critical");
    assert!(!validator.is_valid(&broken));
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_results_rules_and_levels() {
    let sarif: Value = serde_json::from_str(&out(Format::Sarif)).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "prisma-audit");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // Every given rule, in the given order, then the rule without metadata.
    assert_eq!(
        ids,
        [
            "committed-env-secret",
            "decimal-precision",
            "destructive-migration",
            "implicit-on-delete",
            "missing-fk-index",
            "unsafe-raw-query",
            "connection-limit",
        ]
    );
    assert_eq!(rules[0]["properties"]["security-severity"], "9.5");
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    assert_eq!(
        rules[2]["fullDescription"]["text"],
        "Flags `DROP TABLE` and `DROP COLUMN` in migrations."
    );
    let results = run["results"].as_array().unwrap();
    let expected = [
        ("committed-env-secret", "error", "critical"),
        ("destructive-migration", "error", "critical"),
        ("implicit-on-delete", "error", "high"),
        ("missing-fk-index", "warning", "medium"),
        ("decimal-precision", "note", "low"),
        ("connection-limit", "note", "info"),
    ];
    assert_eq!(results.len(), expected.len());
    for (r, (rule, level, severity)) in results.iter().zip(expected) {
        assert_eq!(r["ruleId"], rule);
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], rule, "ruleIndex of {rule}");
        assert_eq!(r["level"], level);
        assert_eq!(r["properties"]["severity"], severity);
        assert!(r["partialFingerprints"]["prismaAudit/v1"].is_string());
        // GitHub needs a location on every result, project-wide ones included.
        let phys = &r["locations"][0]["physicalLocation"];
        assert_eq!(phys["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(phys["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    let on_delete = &results[2];
    assert_eq!(
        on_delete["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": 20, "startColumn": 3, "endLine": 20, "endColumn": 72})
    );
    assert_eq!(
        on_delete["relatedLocations"][1]["physicalLocation"]["artifactLocation"]["uri"],
        INIT_PATH
    );
    let replacement = &on_delete["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(
        replacement["insertedContent"]["text"],
        "references: [id], onDelete: Cascade)\n  weight"
    );
    assert_eq!(replacement["deletedRegion"]["startLine"], 20);
    assert!(results[0].get("fixes").is_none());
}

#[test]
fn no_format_prints_an_env_password() {
    for format in Format::ALL {
        for project in [Some(project()), None] {
            let text = render(
                &report(),
                project.as_ref(),
                &rules(),
                format,
                &RenderOptions { color: true },
            );
            for secret in [DB_PASSWORD, SHADOW_PASSWORD] {
                assert!(
                    !text.contains(secret),
                    "{format} output shows a password:\n{text}"
                );
            }
        }
    }
    // The frame of the .env finding is there, just masked.
    let text = out(Format::Text);
    assert!(
        text.contains("DATABASE_URL=\"postgresql://vet:****@db.internal"),
        "{text}"
    );
    let md = out(Format::Markdown);
    assert!(md.contains("```env\n"), "{md}");
}

#[test]
fn rendering_is_deterministic() {
    for format in Format::ALL {
        assert_eq!(out(format), out(format), "{format}");
        assert!(out(format).ends_with('\n'), "{format}");
    }
}

/// Locations and edits that do not fit the files (stale report, wrong project, overlapping
/// edits, multi-byte text) must not panic any renderer.
#[test]
fn bad_positions_do_not_panic() {
    let p = |line, column| Position { line, column };
    let at = |file: &str, start: Position, end: Position| Location {
        file: file.to_string(),
        start,
        end,
    };
    let edit = |start: Position, end: Position, text: &str| Edit {
        file: "u.prisma".into(),
        start,
        end,
        start_offset: 0,
        end_offset: 0,
        replacement: text.into(),
    };
    let cases = [
        at("u.prisma", p(999, 999), p(1000, 1)),
        at("u.prisma", p(2, 5), p(1, 1)),
        at("u.prisma", p(0, 0), p(0, 0)),
        at("u.prisma", p(1, 3), p(3, 1)),
        at("empty.prisma", p(1, 1), p(1, 1)),
        at("missing.prisma", p(3, 3), p(4, 4)),
        at(".env", p(1, 20), p(1, 200)),
    ];
    let project = Project::from_files(
        "p",
        [
            (
                "u.prisma",
                "model Ü {\n  ñame String // é\n}".as_bytes().to_vec(),
            ),
            ("empty.prisma", Vec::new()),
            (".env", b"DB_PASSWORD=\"h\xc3\xa9llo\"\n".to_vec()),
        ],
    );
    let findings: Vec<Finding> = cases
        .iter()
        .map(|l| Finding {
            rule: "r".into(),
            severity: Severity::High,
            category: Category::Performance,
            confidence: Confidence::Certain,
            message: "m".into(),
            help: None,
            location: Some(l.clone()),
            related: cases
                .iter()
                .map(|r| Related {
                    message: "r".into(),
                    location: r.clone(),
                })
                .collect(),
            fix: Some(Fix {
                title: "t".into(),
                safety: FixSafety::Safe,
                edits: vec![
                    edit(p(2, 3), p(2, 8), "x"),
                    edit(p(2, 5), p(9, 9), "overlapping"),
                    edit(p(2, 4), p(2, 4), "ü"),
                    edit(p(0, 0), p(0, 0), "zero"),
                ],
                sql: None,
            }),
            fingerprint: "f".into(),
        })
        .collect();
    let mut report = report();
    report.summary = Summary::of(&findings);
    report.findings = findings;
    for format in Format::ALL {
        let text = render(
            &report,
            Some(&project),
            &rules(),
            format,
            &RenderOptions::default(),
        );
        assert!(!text.contains("héllo"), "{format}");
    }
    let sarif: Value = serde_json::from_str(&render(
        &report,
        Some(&project),
        &rules(),
        Format::Sarif,
        &RenderOptions::default(),
    ))
    .unwrap();
    assert_valid(&sarif_validator(), &sarif);
}
