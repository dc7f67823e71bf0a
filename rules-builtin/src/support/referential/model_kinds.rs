//! What a model *is*, guessed from its name and its relations, for the referential-action
//! rules: whether deleting a parent should take a child with it (an owned child), must never
//! erase it (history), and which models are people or tenants.
//!
//! The classification is a heuristic on names (split into words: `AdminAuditLog` → `admin`,
//! `audit`, `log`; `sale_item` → `sale`, `item`; plurals accepted) and, for ownership, on the
//! shape of the relations:
//!
//! - **History** (financial, clinical or audit records that must outlive the people they
//!   mention, by their *head noun*, the last word of the name):
//!   - financial documents: sale, order, invoice, payment, transaction, receipt, refund,
//!     ledger, charge, chargeback, payout, purchase, withdrawal, deposit, settlement
//!     (`Sale`, `CashTransaction`, `EbookPurchase`);
//!   - their parts: an item, line, row, entry, detail or event of one of those (`SaleItem`,
//!     `OrderLine`, `PaymentEvent`);
//!   - clinical records: prescription, diagnosis, and a medical or clinical history, record,
//!     order, note or report (`MedicalHistory`, `MedicalOrder`);
//!   - audit trails: an audit log, event, trail, entry or record (`AdminAuditLog`).
//!
//!   Transactions of points, experience, karma or reputation are not money
//!   (`SpacePointTransaction`). A qualifier alone is not enough: `PaymentMethod` (a stored
//!   card), `OrderStatus`, `UserPaymentConfiguration`, `AuditSession` (an inventory audit)
//!   and generic logs and histories (`LoginLog`, `DownloadHistory`, `ReviewLog`: personal
//!   data that goes with the person) are not history records.
//! - **Owned** (dependent), only with evidence in the schema (see [`classify`]): a child
//!   whose name starts with its parent's name (`SaleItem` of `Sale`, `OrderLine` of `Order`,
//!   `UserRole` of `User`) is owned by that parent even when it is a
//!   history record for other parents (a `SaleItem` belongs to its `Sale` but is sales
//!   history for the `InventoryItem` it sold); so is a child identified by the parent (the
//!   foreign key in its primary key or a unique constraint), a leaf whose only required
//!   relation is the parent, and the content of a tenant (through its tenant key).
//! - **Reference**: every other child (a book pointing at its category, an author at its role,
//!   a customer's pet with records of its own): whether it goes with the parent is the
//!   project's call, so no `Cascade` is proposed.
//! - **Attribution**: a relation field named like `createdBy`, `openedBy`, `approvedByUser`,
//!   `author`… records *who* did something; the child is not owned by that person, so it is
//!   treated like history for that relation (deleting an employee must not delete the cash
//!   drawers they opened).
//! - **Person**: the last word is user, customer, client, person, people, patient, employee,
//!   staff, contact, owner, guest, buyer, seller or student (not `OauthClient`, `ApiClient`:
//!   a client preceded by oauth, api, http, sdk, app, web, mobile, grpc or rpc is software).
//! - **Tenant**: named tenant, organization/organisation, org, workspace, account, team or
//!   company, or referenced by a field named `tenantId`, `organizationId`, `orgId`,
//!   `workspaceId`, `teamId`, `accountId` or `companyId`.

use prisma_audit_core::model::{Field, Model, Relation, ScalarType, Schema};

/// Financial documents, as head nouns.
const FINANCIAL_WORDS: &[&str] = &[
    "sale",
    "order",
    "invoice",
    "payment",
    "transaction",
    "receipt",
    "refund",
    "ledger",
    "charge",
    "chargeback",
    "payout",
    "purchase",
    "withdrawal",
    "deposit",
    "settlement",
];

/// Virtual scores whose transactions are not financial records.
const VIRTUAL_WORDS: &[&str] = &["point", "xp", "karma", "reputation", "experience"];

/// Parts of a financial document (`SaleItem`, `OrderLine`).
const PART_WORDS: &[&str] = &["item", "line", "row", "entry", "detail", "event"];

/// Clinical records, as head nouns.
const CLINICAL_WORDS: &[&str] = &["prescription", "diagnosis", "diagnoses"];

/// What a medical or clinical record is called (`MedicalHistory`, `ClinicalNote`).
const RECORD_WORDS: &[&str] = &[
    "history",
    "histories",
    "record",
    "order",
    "note",
    "report",
    "entry",
    "entries",
];

/// What an audit trail is called (`AuditLog`, `AuditEvent`).
const AUDIT_WORDS: &[&str] = &["log", "event", "trail", "entry", "entries", "record"];

/// Words before `client` that make it software, not a person.
const SOFTWARE_CLIENT: &[&str] = &[
    "oauth", "oauth2", "api", "http", "sdk", "app", "web", "mobile", "grpc", "rpc",
];

const PERSON_WORDS: &[&str] = &[
    "user", "customer", "client", "person", "people", "patient", "employee", "staff", "contact",
    "owner", "guest", "buyer", "seller", "student",
];

const TENANT_NAMES: &[&str] = &[
    "tenant",
    "organization",
    "organisation",
    "org",
    "workspace",
    "account",
    "team",
    "company",
];

const TENANT_KEYS: &[&str] = &[
    "tenantid",
    "organizationid",
    "organisationid",
    "orgid",
    "workspaceid",
    "teamid",
    "accountid",
    "companyid",
];

use crate::support::naming::words;

/// `word` is `base` or a plural of it.
fn is_word(word: &str, base: &str) -> bool {
    word == base
        || word
            .strip_prefix(base)
            .is_some_and(|rest| rest == "s" || rest == "es")
}

/// A financial, clinical or audit record, by its name alone (see the module docs).
pub fn is_history_name(name: &str) -> bool {
    let ws = words(name);
    let Some((head, before)) = ws.split_last() else {
        return false;
    };
    let any = |list: &[&str], w: &str| list.iter().any(|x| is_word(w, x));
    // Points, experience and karma are not money (`SpacePointTransaction`).
    if before.iter().any(|w| any(VIRTUAL_WORDS, w)) {
        return false;
    }
    any(FINANCIAL_WORDS, head)
        || any(CLINICAL_WORDS, head)
        || (any(PART_WORDS, head) && before.iter().any(|w| any(FINANCIAL_WORDS, w)))
        || (any(RECORD_WORDS, head) && before.iter().any(|w| w == "medical" || w == "clinical"))
        || (any(AUDIT_WORDS, head) && before.iter().any(|w| w == "audit"))
}

/// A model representing a person (user, customer, patient, employee, ...).
pub fn is_person(model: &Model) -> bool {
    let ws = words(&model.name);
    let Some((last, before)) = ws.split_last() else {
        return false;
    };
    PERSON_WORDS.iter().any(|p| is_word(last, p))
        && !(is_word(last, "client")
            && before
                .last()
                .is_some_and(|w| SOFTWARE_CLIENT.contains(&w.as_str())))
}

/// A tenant model: named like one, or referenced by a tenant-key field (`tenantId`, ...).
pub fn is_tenant(schema: &Schema, model: &Model) -> bool {
    let lower = model.name.to_lowercase();
    if TENANT_NAMES.iter().any(|t| is_word(&lower, t)) {
        return true;
    }
    schema.relations().iter().any(|r| {
        r.referenced_model == model.id
            && r.fields.iter().any(|f| {
                schema
                    .field(*f)
                    .is_some_and(|f| TENANT_KEYS.contains(&f.name.to_lowercase().as_str()))
            })
    })
}

/// A relation field that records who did something (`createdBy`, `openedBy`, `author`...).
pub fn is_attribution(field: &Field) -> bool {
    let name = field.name.as_str();
    let ws = words(name);
    ws.iter().skip(1).any(|w| w == "by")
        || matches!(
            name,
            "author" | "actor" | "creator" | "approver" | "performer" | "operator" | "cashier"
        )
}

/// How a child relates to the parent whose deletion it blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildKind {
    /// Belongs to the parent, with evidence in the schema: deleting the parent should delete
    /// it (`onDelete: Cascade`).
    Owned,
    /// A record that must outlive the parent (financial, clinical, audit, attribution).
    History,
    /// Neither is evident: a reference to the parent (a book's category, a user's role) or a
    /// dependent row the schema does not show as one. Only the project can decide.
    Reference,
}

/// Classify the child of relation `r` relative to its parent. A child is owned when the
/// schema shows it:
/// - its name starts with the parent's (`SaleItem` of `Sale`, `UserRole` of `User`; not a
///   name that merely ends with it: a `BizEvent` is an occurrence of an `Event`, not a part);
/// - the foreign key is part of its primary key or of a unique constraint (a 1:1 extension
///   such as `Profile.userId @unique`, a membership row `@@id([userId, teamId])`, a
///   `@@unique([userId, postId])` favorite);
/// - it is a leaf whose only required relation is this one (a user's tokens, a site's opening
///   hours): nothing else holds it and nothing points at it;
/// - the parent is a tenant and the foreign key is its tenant key (a workspace's content goes
///   with the workspace), unless the child is a tenant or a person itself.
///
/// History records and attribution relations are history; everything else is a reference.
pub fn classify(schema: &Schema, r: &Relation) -> ChildKind {
    let (Some(parent), Some(child), Some(field)) = (
        schema.model_by_id(r.referenced_model),
        schema.model_by_id(r.referencing_model),
        schema.field(r.referencing),
    ) else {
        return ChildKind::Reference;
    };
    if is_attribution(field) {
        return ChildKind::History;
    }
    let (p, c) = (parent.name.to_lowercase(), child.name.to_lowercase());
    if c.len() > p.len() && c.starts_with(&p) {
        return ChildKind::Owned;
    }
    if is_history_name(&child.name) {
        return ChildKind::History;
    }
    if r.is_self {
        return ChildKind::Reference;
    }
    let identifying = child.index_refs().any(|i| {
        i.is_unique()
            && !r.fields.is_empty()
            && r.fields.iter().all(|f| i.field_ids().any(|x| x == *f))
    });
    if identifying {
        return ChildKind::Owned;
    }
    let required_relations = schema
        .relations()
        .iter()
        .filter(|o| {
            o.referencing_model == child.id
                && !o.fields.is_empty()
                && o.fields
                    .iter()
                    .any(|f| schema.field(*f).is_some_and(|f| f.is_required()))
        })
        .count();
    let referenced = schema
        .relations()
        .iter()
        .any(|o| o.referenced_model == child.id && !o.fields.is_empty());
    if required_relations == 1 && !referenced {
        return ChildKind::Owned;
    }
    if is_tenant(schema, parent)
        && !is_tenant(schema, child)
        && !is_person(child)
        && is_tenant_key(schema, parent, r)
    {
        return ChildKind::Owned;
    }
    ChildKind::Reference
}

/// The foreign key of `r` is a tenant key of `parent`: `tenantId`-like, or the parent's name
/// followed by `Id` (`workspaceId` for `Workspace`).
fn is_tenant_key(schema: &Schema, parent: &Model, r: &Relation) -> bool {
    let own = format!("{}id", parent.name.to_lowercase().replace('_', ""));
    matches!(r.fields.as_slice(), [f] if schema.field(*f).is_some_and(|f| {
        let name = f.name.to_lowercase().replace('_', "");
        TENANT_KEYS.contains(&name.as_str()) || name == own
    }))
}

/// A model whose rows are soft-deleted: it has a `deletedAt`, `isDeleted`, `archivedAt`...
/// column (a `DateTime` or `Boolean` named with deleted, archived, removed or trashed).
pub fn is_soft_deleted(model: &Model) -> bool {
    model.scalar_fields().any(|f| {
        matches!(
            f.ty.as_scalar(),
            Some(ScalarType::DateTime | ScalarType::Boolean)
        ) && words(&f.name)
            .iter()
            .any(|w| matches!(w.as_str(), "deleted" | "archived" | "removed" | "trashed"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words() {
        assert_eq!(words("AdminAuditLog"), ["admin", "audit", "log"]);
        assert_eq!(words("sale_item"), ["sale", "item"]);
        assert_eq!(words("HTTPLog"), ["http", "log"]);
        assert_eq!(words("openedById"), ["opened", "by", "id"]);
    }

    #[test]
    fn history_names() {
        for n in [
            "Sale",
            "Sales",
            "SaleItem",
            "Invoice",
            "Payment",
            "CashTransaction",
            "CashWithdrawal",
            "AdminAuditLog",
            "AuditEvent",
            "MedicalHistory",
            "MedicalOrder",
            "Prescription",
            "OrderLine",
            "order_items",
            "PaymentEvent",
            "EbookPurchase",
            "PartnerStarPurchase",
        ] {
            assert!(is_history_name(n), "{n}");
        }
        for n in [
            "Pet",
            "Appointment",
            "Customer",
            "UserRole",
            "Logo",
            "Catalog",
            "Ordering",
            "PaymentMethod",
            "UserPaymentConfiguration",
            "OrderStatus",
            "AuditSession",
            "AuditAsset",
            "LoginLog",
            "DownloadHistory",
            "ReviewLog",
            "OauthConsent",
            "CashDrawer",
            "ForumPostHistory",
            "SaleFavorite",
            "SpacePointTransaction",
            "XpTransaction",
            "",
        ] {
            assert!(!is_history_name(n), "{n}");
        }
    }

    #[test]
    fn people() {
        use prisma_audit_core::Project;
        use prisma_audit_core::audit::analyze;
        let names = [
            "User",
            "Customer",
            "Client",
            "shopping_customers",
            "OauthClient",
            "ApiClient",
            "Post",
        ];
        let text: String = names
            .iter()
            .map(|n| format!("model {n} {{\n  id Int @id\n}}\n"))
            .collect();
        let p = Project::from_files("t", [("schema.prisma".to_string(), text.into_bytes())]);
        let schema = analyze(&p, None).unwrap().schema;
        let people: Vec<&str> = schema
            .models()
            .filter(|m| is_person(m))
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(people, ["User", "Customer", "Client", "shopping_customers"]);
    }
}
