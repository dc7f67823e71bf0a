//! Shared detection of the tenant key (`tenantId`, `organizationId`, ...) and of the tenant
//! model, used by every tenancy rule and by the multi-tenant index heuristics.
//!
//! A schema is multi-tenant when a scalar field named like a tenant key is a *required* foreign
//! key to one model (the tenant model) on at least three models that hold data: models a
//! well-known library owns (Better Auth's `member`/`invitation`, ...) and membership or
//! invitation records (`OrganizationMember`, `TeamInvite`) do not count, since every
//! organisation feature has those without scoping any data by tenant. Setting the `tenantKeys`
//! option declares the schema multi-tenant outright. Names match ignoring case and
//! underscores, so `tenantId` also matches `tenant_id` and `TenantID`.
//!
//! `accountId` is not a default key: "account" names a login account (Auth.js), a customer
//! account (CRMs) or a bank account far more often than a tenant. Projects whose tenant is an
//! `Account` configure `tenantKeys = ["accountId"]`.

use prisma_audit_core::model::{Field, FieldId, Model, ModelId, Schema};
use prisma_audit_core::rule::{RuleContext, RuleOptions};
use serde::Deserialize;
use std::collections::HashMap;
use std::rc::Rc;

/// Default tenant key names.
pub(crate) const DEFAULT_TENANT_KEYS: &[&str] = &[
    "tenantId",
    "organizationId",
    "orgId",
    "workspaceId",
    "teamId",
];

/// Models with at least this many data models carrying a required key are multi-tenant.
const MIN_OWNED_MODELS: usize = 3;

/// Words of model names that mark membership and invitation records.
const MEMBERSHIP_WORDS: &[&str] = &[
    "member",
    "members",
    "membership",
    "memberships",
    "invite",
    "invites",
    "invitation",
    "invitations",
];

/// Whether `model` is evidence of tenant-scoped data: not library-owned, not a membership or
/// invitation record.
fn holds_data(model: &Model) -> bool {
    prisma_audit_core::model::third_party::owner(model).is_none()
        && !crate::support::naming::words(&model.name)
            .iter()
            .any(|w| MEMBERSHIP_WORDS.contains(&w.as_str()))
}

/// Options shared by the tenancy rules: `{ "tenantKeys": ["orgId"] }`.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct TenancyOptions {
    /// Tenant key field names; setting it declares the schema multi-tenant.
    pub tenant_keys: Option<Vec<String>>,
}

/// Validate the shared options shape.
impl RuleOptions for TenancyOptions {
    fn check(&self) -> Result<(), String> {
        if self.tenant_keys.as_ref().is_some_and(|k| k.is_empty()) {
            return Err("`tenantKeys` must list at least one field name".into());
        }
        Ok(())
    }
}

/// The detected tenancy of a schema.
#[derive(Debug, Clone)]
pub(crate) struct Tenancy {
    /// Normalized key names (lowercase, no underscores) that mark a tenant key.
    keys: Vec<String>,
    /// The model the tenant keys point to, when known.
    pub tenant_model: Option<ModelId>,
    /// The key name as written on the detected models (e.g. `tenantId`), for messages.
    pub key_name: String,
}

/// `name` without underscores, lower-cased, as an iterator (no allocation).
fn folded(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
}

fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `name` folds (see [`normalize`]) to one of `keys`, which are already normalized.
/// Called for every field by several rules: the name's first letter is found once and rejects
/// nearly every field for every key; no allocation.
fn folds_to_any(keys: &[String], name: &str) -> bool {
    let first = name
        .bytes()
        .find(|&b| b != b'_')
        .filter(u8::is_ascii)
        .map(|b| b.to_ascii_lowercase());
    keys.iter().any(|k| match (first, k.as_bytes().first()) {
        (Some(n0), Some(&k0)) if n0 != k0 => false,
        _ => folds_to(k, name),
    })
}

/// Whether `name` folds to `key` (normalized), bytewise for ASCII names.
fn folds_to(key: &str, name: &str) -> bool {
    if !name.is_ascii() {
        return key.chars().eq(folded(name));
    }
    let mut k = key.bytes();
    for b in name.bytes() {
        if b == b'_' {
            continue;
        }
        if k.next() != Some(b.to_ascii_lowercase()) {
            return false;
        }
    }
    k.next().is_none()
}

impl Tenancy {
    /// Whether `name` is a tenant key name.
    pub(crate) fn is_key_name(&self, name: &str) -> bool {
        folds_to_any(&self.keys, name)
    }
    /// The tenant key field of `model` (a scalar field named like a tenant key), if any.
    pub(crate) fn key_field<'a>(&self, model: &'a Model) -> Option<&'a Field> {
        if Some(model.id) == self.tenant_model {
            return None;
        }
        model
            .fields
            .iter()
            .find(|f| f.is_scalar() && !f.is_list() && self.is_key_name(&f.name))
    }
    /// Whether `model` is the tenant model.
    pub(crate) fn is_tenant_model(&self, model: &Model) -> bool {
        Some(model.id) == self.tenant_model
    }
}

/// Detect tenancy with the rule's options; `None` when the schema is not multi-tenant.
/// Four rules ask six times per audit: the detection runs once per configured key list.
pub(crate) fn tenancy(ctx: &RuleContext<'_>) -> Option<Rc<Tenancy>> {
    let options: TenancyOptions = ctx.options();
    tenancy_for(ctx, options.tenant_keys)
}

/// [`tenancy`] for rules whose options hold `tenantKeys` among others.
pub(crate) fn tenancy_for(ctx: &RuleContext<'_>, keys: Option<Vec<String>>) -> Option<Rc<Tenancy>> {
    let fact = ctx.shared.get_or_compute(&format!("tenancy {keys:?}"), || {
        detect(ctx.schema, keys.as_deref()).map(Rc::new)
    });
    Option::clone(&fact)
}

/// Detect tenancy: `configured` keys (the option) or the defaults.
pub(crate) fn detect(schema: &Schema, configured: Option<&[String]>) -> Option<Tenancy> {
    let keys: Vec<String> = match configured {
        Some(k) => k.iter().map(|k| normalize(k)).collect(),
        None => DEFAULT_TENANT_KEYS.iter().map(|k| normalize(k)).collect(),
    };
    // (normalized key, target model) -> data models whose required key field is a FK to target.
    let mut counts: HashMap<(String, ModelId), Vec<ModelId>> = HashMap::new();
    let mut written: HashMap<String, String> = HashMap::new();
    // Fields named like a tenant key (most schemas have few or none: then nothing else runs).
    let candidates: Vec<(ModelId, &Field)> = schema
        .models()
        .filter(|m| !m.is_ignored() && !m.is_view)
        .flat_map(|m| m.scalar_fields().map(move |f| (m, f)))
        .filter(|(m, f)| {
            folds_to_any(&keys, &f.name)
                && (configured.is_some() || (f.is_required() && holds_data(m)))
        })
        .map(|(m, f)| (m.id, f))
        .collect();
    // Single-column foreign keys → the models they point to (one pass over the relations).
    let mut fk_targets: HashMap<FieldId, Vec<ModelId>> = HashMap::new();
    if !candidates.is_empty() {
        for r in schema.relations() {
            if let [f] = r.fields.as_slice() {
                fk_targets.entry(*f).or_default().push(r.referenced_model);
            }
        }
    }
    for (model_id, f) in candidates {
        let n = normalize(&f.name);
        for &target in fk_targets.get(&f.id).into_iter().flatten() {
            if target != model_id {
                written
                    .entry(n.clone())
                    .or_insert_with(|| f.name.to_string());
                let e = counts.entry((n.clone(), target)).or_default();
                if !e.contains(&model_id) {
                    e.push(model_id);
                }
            }
        }
    }
    let best = counts
        .into_iter()
        .max_by_key(|((_, m), v)| (v.len(), std::cmp::Reverse(*m)));
    let fallback = || {
        configured
            .and_then(|k| k.first().cloned())
            .unwrap_or_else(|| DEFAULT_TENANT_KEYS[0].to_string())
    };
    match best {
        Some(((key, target), v)) if v.len() >= MIN_OWNED_MODELS || configured.is_some() => {
            Some(Tenancy {
                keys,
                tenant_model: Some(target),
                key_name: written.get(&key).cloned().unwrap_or_else(fallback),
            })
        }
        _ if configured.is_some() => Some(Tenancy {
            keys,
            tenant_model: None,
            key_name: fallback(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prisma_audit_core::Project;

    fn schema(text: &str) -> Schema {
        let p = Project::from_files(
            "t",
            [("schema.prisma".to_string(), text.as_bytes().to_vec())],
        );
        prisma_audit_core::audit::analyze(&p, None)
            .expect("schema")
            .schema
    }

    #[test]
    fn key_names_fold_case_and_underscores() {
        let keys = [normalize("tenantId"), normalize("ÄrgerId")];
        for name in [
            "tenantId",
            "tenant_id",
            "TenantID",
            "__tenantId",
            "Ärger_Id",
            "ärgerID",
        ] {
            assert!(folds_to_any(&keys, name), "{name}");
        }
        for name in ["tenantIdx", "orgId", "", "_", "t", "Ärger"] {
            assert!(!folds_to_any(&keys, name), "{name}");
        }
    }

    #[test]
    fn detects_tenant_model_and_snake_case() {
        let s = schema(&three_owned("org_id", "String"));
        let t = detect(&s, None).expect("multi-tenant");
        assert_eq!(s.model_by_id(t.tenant_model.unwrap()).unwrap().name, "Org");
        assert!(t.key_field(s.model("A").unwrap()).is_some());
        assert!(t.key_field(s.model("Org").unwrap()).is_none());
    }

    /// An `Org` model and three models `A`, `B`, `C` with a foreign key `key` of type `ty`.
    fn three_owned(key: &str, ty: &str) -> String {
        let mut s = "datasource db {\n  provider = \"postgresql\"\n}\nmodel Org {\n  id String @id\n  a A[]\n  b B[]\n  c C[]\n}\n".to_string();
        for m in ["A", "B", "C"] {
            s.push_str(&format!(
                "model {m} {{\n  id String @id\n  {key} {ty}\n  org Org{opt} @relation(fields: [{key}], references: [id])\n}}\n",
                opt = if ty.ends_with('?') { "?" } else { "" }
            ));
        }
        s
    }

    #[test]
    fn needs_three_data_models_with_a_required_key() {
        assert!(detect(&schema(&three_owned("orgId", "String")), None).is_some());
        // Optional keys mark global-or-tenant rows, not tenant-owned data.
        assert!(detect(&schema(&three_owned("orgId", "String?")), None).is_none());
        // Membership and invitation records come with every organisation feature.
        let members = three_owned("orgId", "String")
            .replace("model B {", "model OrgMember {")
            .replace("b B[]", "b OrgMember[]");
        assert!(detect(&schema(&members), None).is_none());
        // `accountId` is not a default key (login, customer or bank accounts).
        assert!(detect(&schema(&three_owned("accountId", "String")), None).is_none());
        assert!(
            detect(
                &schema(&three_owned("accountId", "String")),
                Some(&["accountId".to_string()])
            )
            .is_some()
        );
    }

    #[test]
    fn one_model_is_not_multi_tenant_unless_configured() {
        let s = "datasource db {\n  provider = \"postgresql\"\n}\nmodel Team {\n  id String @id\n  a A[]\n}\nmodel A {\n  id String @id\n  teamId String\n  team Team @relation(fields: [teamId], references: [id])\n}\n";
        let s = schema(s);
        assert!(detect(&s, None).is_none());
        let t = detect(&s, Some(&["teamId".to_string()])).expect("configured");
        assert!(t.key_field(s.model("A").unwrap()).is_some());
    }
}
