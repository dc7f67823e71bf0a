//! `ProjectEnv`: env() indirections, tracked env files, versions and deployment signs.

use prisma_audit_core::Project;
use prisma_audit_core::env::{ProjectEnv, UrlOrigin, UrlRole};
use prisma_audit_core::rule::SchemaFile;
use prisma_audit_core::syntax;

fn analyse(files: &[(&str, &str)], f: impl FnOnce(&ProjectEnv<'_>)) {
    let project = Project::from_files(
        "p",
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())),
    );
    let schema_files: Vec<SchemaFile> = project
        .files()
        .filter(|(_, file)| file.path().ends_with(".prisma"))
        .map(|(id, file)| SchemaFile {
            file: id,
            parse: syntax::parse(file.text().unwrap_or("")),
        })
        .collect();
    let env = ProjectEnv::new(&project, &schema_files);
    f(&env);
}

const SCHEMA6: &str = "datasource db {\n  provider  = \"postgresql\"\n  url       = env(\"DATABASE_URL\")\n  directUrl = env(\"DIRECT_URL\")\n}\n\ngenerator client {\n  provider        = \"prisma-client-js\"\n  previewFeatures = [\"driverAdapters\", \"metrics\"]\n  binaryTargets   = [\"native\", \"rhel-openssl-3.0.x\"]\n}\n";

#[test]
fn schema_env_indirection_resolves_from_every_env_file() {
    analyse(
        &[
            ("prisma/schema.prisma", SCHEMA6),
            (
                ".env",
                "DATABASE_URL=\"postgresql://postgres:pw1@152.53.89.138:5435/vet\"\n",
            ),
            (
                ".env.production",
                "DATABASE_URL=postgresql://app:pw2@db.example.com/vet?sslmode=require\nDIRECT_URL=postgresql://app:pw2@db.example.com:5432/vet\n",
            ),
            (
                ".env.example",
                "DATABASE_URL=postgresql://user:password@localhost/db\n",
            ),
            (".gitignore", ".env.production\n"),
            (
                "package.json",
                r#"{"devDependencies":{"prisma":"6.5.0"},"dependencies":{"@prisma/client":"6.10.1"}}"#,
            ),
        ],
        |env| {
            let url = env.url(UrlRole::Url).expect("url declared");
            assert_eq!(url.origin, UrlOrigin::Schema);
            assert_eq!(url.env_var.as_deref(), Some("DATABASE_URL"));
            // Both real env files, not the template.
            assert_eq!(url.values.len(), 2);
            let first = &url.values[0];
            let ef = env.env_file(first.env_file).unwrap();
            assert_eq!(ef.path, ".env");
            assert!(!ef.ignored);
            assert_eq!(first.url.as_ref().unwrap().host, "152.53.89.138");
            assert_eq!(env.describe_span(first.span), ".env:1");
            let prod = env.env_file(url.values[1].env_file).unwrap();
            assert!(prod.ignored);
            let direct = env.url(UrlRole::DirectUrl).unwrap();
            assert_eq!(direct.values.len(), 1);
            let g = &env.generators[0];
            assert_eq!(g.provider_name(), "prisma-client-js");
            assert_eq!(g.preview_features.len(), 2);
            assert_eq!(g.binary_targets[1].0, "rhel-openssl-3.0.x");
            assert_eq!(env.provider(), Some("postgresql"));
        },
    );
}

#[test]
fn config_env_indirection_and_prisma7() {
    analyse(
        &[
            (
                "prisma/schema.prisma",
                "datasource db {\n  provider = \"postgresql\"\n}\n",
            ),
            (
                "prisma.config.ts",
                "import { defineConfig, env } from 'prisma/config'\nexport default defineConfig({\n  schema: 'prisma/schema.prisma',\n  datasource: { url: env('DATABASE_URL'), shadowDatabaseUrl: process.env.SHADOW },\n})\n",
            ),
            (
                ".env",
                "export DATABASE_URL='postgres://u:secret@localhost:5432/app'\nSHADOW=postgres://u:secret@localhost:5432/app_shadow\n",
            ),
            (
                "package.json",
                r#"{"devDependencies":{"prisma":"^7.1.0"},"dependencies":{"@prisma/client":"^7.1.0","@prisma/adapter-pg":"^7.1.0"}}"#,
            ),
            (
                "package-lock.json",
                r#"{"packages":{"node_modules/prisma":{"version":"7.2.0"}}}"#,
            ),
        ],
        |env| {
            assert!(env.is_prisma7());
            assert_eq!(env.prisma_version().unwrap().to_string(), "7.2.0");
            assert!(env.uses_driver_adapters());
            assert_eq!(env.adapter_dependency(), Some("@prisma/adapter-pg"));
            let url = env.url(UrlRole::Url).unwrap();
            assert_eq!(url.origin, UrlOrigin::Config);
            let u = url.values[0].url.as_ref().unwrap();
            assert_eq!(u.database.as_deref(), Some("app"));
            let shadow = env.url(UrlRole::ShadowDatabaseUrl).unwrap();
            assert_eq!(shadow.env_var.as_deref(), Some("SHADOW"));
            assert_eq!(
                shadow.values[0].url.as_ref().unwrap().database.as_deref(),
                Some("app_shadow")
            );
            assert!(
                env.cli
                    .as_ref()
                    .unwrap()
                    .describe()
                    .contains("locked at 7.2.0")
            );
        },
    );
}

#[test]
fn monorepo_uses_the_package_owning_the_schema() {
    analyse(
        &[
            (
                "packages/db/prisma/schema.prisma",
                "datasource db {\n  provider = \"postgresql\"\n}\n",
            ),
            (
                "packages/db/package.json",
                r#"{"dependencies":{"@prisma/client":"6.19.0"},"devDependencies":{"prisma":"6.19.0"}}"#,
            ),
            (
                "package.json",
                r#"{"workspaces":["packages/*"],"devDependencies":{"prisma":"6.1.0"}}"#,
            ),
            (
                "packages/db/.env",
                "DATABASE_URL=postgres://x@localhost/db\n",
            ),
            ("apps/web/vercel.json", "{}"),
            ("vercel.json", "{}"),
        ],
        |env| {
            assert_eq!(env.packages.len(), 2);
            assert_eq!(env.packages[0].path, "packages/db/package.json");
            assert_eq!(env.cli.as_ref().unwrap().dep.spec, "6.19.0");
            assert_eq!(env.env_files.len(), 1);
            assert_eq!(env.serverless_signs(), ["`vercel.json`"]);
        },
    );
}
