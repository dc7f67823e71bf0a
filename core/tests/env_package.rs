//! package.json, lockfiles, versions, prisma.config.ts and the release table.

use prisma_audit_core::env::package_json::{
    PackageJson, Version, VersionSpec, lockfile_version, parse_json,
};
use prisma_audit_core::env::prisma_config::{self, ConfigValue};
use prisma_audit_core::env::releases::{self, FeatureChange, feature_status};

#[test]
fn dependencies_with_version_spans() {
    let text = r#"{
  "name": "vet",
  "dependencies": { "@prisma/client": "6.10.1", "next": "15.0.0" },
  "devDependencies": { "prisma": "^6.5.0" },
  "scripts": { "build": "prisma generate && next build" }
}"#;
    let p = PackageJson::parse(text).unwrap();
    let c = p.dependency("@prisma/client").unwrap();
    assert_eq!(&text[c.range.clone()], "\"6.10.1\"");
    let cli = p.dependency("prisma").unwrap();
    assert_eq!(cli.spec, "^6.5.0");
    assert_eq!(p.scripts[0].0, "build");
    assert!(PackageJson::parse("[1]").is_none());
    assert!(PackageJson::parse("{").is_none());
    assert!(parse_json(&"[".repeat(10_000)).is_none());
    let esc = parse_json(r#"{"a\"b": "\u00e9\n"}"#).unwrap();
    assert_eq!(esc.get("a\"b").and_then(|v| v.as_str()), Some("é\n"));
}

#[test]
fn versions_and_specs() {
    assert!(Version::parse("6.10.1").unwrap() > Version::parse("6.9.0").unwrap());
    assert!(Version::parse("7.0.0-dev.1").unwrap() < Version::parse("7.0.0").unwrap());
    assert_eq!(
        VersionSpec::parse("6.5.0"),
        VersionSpec::Exact(Version::new(6, 5, 0))
    );
    assert_eq!(
        VersionSpec::parse("^6.5.0").min(),
        Some(&Version::new(6, 5, 0))
    );
    assert_eq!(
        VersionSpec::parse("~6.10").min(),
        Some(&Version::new(6, 10, 0))
    );
    assert_eq!(
        VersionSpec::parse(">=6.2.0 <7").min(),
        Some(&Version::new(6, 2, 0))
    );
    assert_eq!(
        VersionSpec::parse("6.x").min(),
        Some(&Version::new(6, 0, 0))
    );
    assert_eq!(
        VersionSpec::parse("npm:prisma@6.1.0").min(),
        Some(&Version::new(6, 1, 0))
    );
    assert!(matches!(
        VersionSpec::parse("latest"),
        VersionSpec::Unknown(_)
    ));
    assert!(matches!(
        VersionSpec::parse("workspace:*"),
        VersionSpec::Unknown(_)
    ));
    assert!(matches!(VersionSpec::parse("<7"), VersionSpec::Unknown(_)));
}

#[test]
fn lockfiles() {
    let npm = r#"{"lockfileVersion":3,"packages":{"":{},"node_modules/prisma":{"version":"6.5.0"},"node_modules/@prisma/client":{"version":"6.10.1"}}}"#;
    assert_eq!(
        lockfile_version("package-lock.json", npm, "prisma"),
        Some(Version::new(6, 5, 0))
    );
    assert_eq!(
        lockfile_version("package-lock.json", npm, "@prisma/client"),
        Some(Version::new(6, 10, 1))
    );
    let npm1 = r#"{"lockfileVersion":1,"dependencies":{"prisma":{"version":"5.22.0"}}}"#;
    assert_eq!(
        lockfile_version("package-lock.json", npm1, "prisma"),
        Some(Version::new(5, 22, 0))
    );
    let pnpm9 = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      '@prisma/client':\n        specifier: ^6.10.1\n        version: 6.10.1(prisma@6.5.0(typescript@5.6.3))\n    devDependencies:\n      prisma:\n        specifier: 6.5.0\n        version: 6.5.0(typescript@5.6.3)\npackages:\n  prisma@6.5.0:\n    resolution: {}\n";
    assert_eq!(
        lockfile_version("pnpm-lock.yaml", pnpm9, "prisma"),
        Some(Version::new(6, 5, 0))
    );
    assert_eq!(
        lockfile_version("pnpm-lock.yaml", pnpm9, "@prisma/client"),
        Some(Version::new(6, 10, 1))
    );
    let pnpm5 = "dependencies:\n  prisma: 5.1.0\n";
    assert_eq!(
        lockfile_version("pnpm-lock.yaml", pnpm5, "prisma"),
        Some(Version::new(5, 1, 0))
    );
    let yarn1 = "# yarn lockfile v1\n\n\"@prisma/client@^6.10.1\":\n  version \"6.10.1\"\n\nprisma@6.5.0, prisma@^6.5.0:\n  version \"6.5.0\"\n";
    assert_eq!(
        lockfile_version("yarn.lock", yarn1, "prisma"),
        Some(Version::new(6, 5, 0))
    );
    assert_eq!(
        lockfile_version("yarn.lock", yarn1, "@prisma/client"),
        Some(Version::new(6, 10, 1))
    );
    let berry = "\"prisma@npm:^6.5.0\":\n  version: 6.6.0\n  resolution: \"prisma@npm:6.6.0\"\n";
    assert_eq!(
        lockfile_version("yarn.lock", berry, "prisma"),
        Some(Version::new(6, 6, 0))
    );
    assert_eq!(lockfile_version("yarn.lock", "garbage", "prisma"), None);
}

#[test]
fn prisma_config_static_read() {
    let text = r#"import 'dotenv/config'
import { defineConfig, env } from "prisma/config";
// schema: 'commented/out.prisma'
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: 'prisma/migrations',
    seed: `tsx prisma/seed.ts`,
  },
  datasource: {
    url: env("DATABASE_URL"),
    shadowDatabaseUrl: process.env.SHADOW_URL!,
    directUrl: process.env["DIRECT_URL"],
  },
  engine: "classic",
  async adapter() { return new PrismaPg({ connectionString: process.env.X }) },
});
"#;
    let c = prisma_config::parse(text);
    assert_eq!(c.schema(), Some("prisma/schema.prisma"));
    assert_eq!(c.migrations_path(), Some("prisma/migrations"));
    let url = c.get("datasource.url").unwrap();
    assert_eq!(url.value, ConfigValue::Env("DATABASE_URL".into()));
    assert_eq!(&text[url.range.clone()], "env(\"DATABASE_URL\")");
    assert_eq!(
        c.get("datasource.shadowDatabaseUrl").unwrap().value,
        ConfigValue::ProcessEnv("SHADOW_URL".into())
    );
    assert_eq!(
        c.get("datasource.directUrl").unwrap().value,
        ConfigValue::ProcessEnv("DIRECT_URL".into())
    );
    assert_eq!(c.str("engine"), Some("classic"));
    assert!(c.has_adapter());
    // Garbage does not panic.
    for t in [
        "",
        "defineConfig({",
        "export default {a: {b: {c: ",
        "`${",
        "/*",
        "{:}",
    ] {
        let _ = prisma_config::parse(t);
    }
}

#[test]
fn release_table() {
    assert_eq!(releases::AS_OF, "2026-11-25");
    assert_eq!(releases::latest(), Version::new(7, 10, 1));
    assert_eq!(releases::latest_in_major(6), Some(Version::new(6, 19, 3)));
    assert_eq!(releases::minors_behind(&Version::new(6, 5, 0)), 14);
    assert!(releases::release_of(&Version::new(7, 0, 0)).is_some());
    let sorted = releases::RELEASES
        .windows(2)
        .all(|w| w[0].line < w[1].line && w[0].date <= w[1].date);
    assert!(sorted);
}

#[test]
fn preview_feature_history() {
    let v = |s: &str| Version::parse(s).unwrap();
    let st =
        |f: &str, ver: &str, p: Option<&str>| feature_status(f, Some(&v(ver)), p).map(|e| e.change);
    assert_eq!(st("driverAdapters", "6.15.0", None), None);
    assert_eq!(
        st("driverAdapters", "6.16.0", None),
        Some(FeatureChange::Ga)
    );
    assert_eq!(
        st("prismaSchemaFolder", "6.7.0", None),
        Some(FeatureChange::Ga)
    );
    assert_eq!(st("multiSchema", "6.12.0", None), None);
    assert_eq!(
        st("metrics", "6.14.0", None),
        Some(FeatureChange::Deprecated)
    );
    assert_eq!(st("metrics", "7.0.0", None), Some(FeatureChange::Removed));
    assert_eq!(
        st("fullTextSearch", "6.0.0", Some("postgresql")),
        Some(FeatureChange::Renamed {
            to: "fullTextSearchPostgres",
            provider: Some("postgresql")
        })
    );
    assert_eq!(
        st("fullTextSearch", "6.0.0", Some("mysql")),
        Some(FeatureChange::Ga)
    );
    assert_eq!(
        st("interactiveTransactions", "5.0.0", None),
        Some(FeatureChange::Ga)
    );
    assert_eq!(st("relationJoins", "7.10.0", None), None);
    assert_eq!(feature_status("omitApi", None, None), None);
}
