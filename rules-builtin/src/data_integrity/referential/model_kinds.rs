//! What a model *is*, guessed from its name and its relations, for the referential-action
//! rules: whether deleting a parent should take a child with it (an owned child), must never
//! erase it (history), and which models are people or tenants.
//!
//! The classification is a heuristic on names (split into words: `AdminAuditLog` → `admin`,
//! `audit`, `log`; `sale_item` → `sale`, `item`; plurals accepted):
//!
//! - **History** (financial, clinical or audit records that must outlive the people they
//!   mention): a word among sale, order, invoice, payment, transaction, receipt, refund,
//!   ledger, journal, charge, payout, purchase, cash, audit, log, history, prescription,
//!   movement (stock movements are an inventory ledger), consent. `SaleItem`, `CashDrawer`,
//!   `MedicalOrder`, `InventoryMovement` are history.
//! - **Owned** (dependent): a child whose name starts or ends with its parent's name
//!   (`SaleItem` of `Sale`, `OrderLine` of `Order`, `UserRole` of `User` and of `Role`) is
//!   owned by that parent even when it is a history record for other parents (a `SaleItem`
//!   belongs to its `Sale` but is sales history for the `InventoryItem` it sold). Every other
//!   child that is not history is owned too: `Pet` of `Customer`, memberships, settings.
//!   `Appointment` is owned on purpose: it is scheduling data that depends on its customer and
//!   pet; the clinical record lives in `MedicalHistory` and the money in `Sale`, so cascading
//!   appointments loses no history (the vet-clinic schema already cascades them from `Pet`).
//! - **Attribution**: a relation field named like `createdBy`, `openedBy`, `approvedBy`,
//!   `author`… records *who* did something; the child is not owned by that person, so it is
//!   treated like history for that relation (deleting an employee must not delete the cash
//!   drawers they opened).
//! - **Person**: the last word is user, customer, client, person, people, patient, employee,
//!   staff, contact, owner, guest, buyer, seller or student.
//! - **Tenant**: named tenant, organization/organisation, org, workspace, account, team or
//!   company, or referenced by a field named `tenantId`, `organizationId`, `orgId`,
//!   `workspaceId`, `teamId`, `accountId` or `companyId`.

use prisma_audit_core::model::{Field, Model, Schema};

const HISTORY_WORDS: &[&str] = &[
    "sale",
    "order",
    "invoice",
    "payment",
    "transaction",
    "receipt",
    "refund",
    "ledger",
    "journal",
    "charge",
    "payout",
    "purchase",
    "cash",
    "audit",
    "log",
    "history",
    "histories",
    "prescription",
    "movement",
    "consent",
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

pub(crate) use crate::naming::words;

/// `word` is `base` or a plural of it.
fn is_word(word: &str, base: &str) -> bool {
    word == base
        || word
            .strip_prefix(base)
            .is_some_and(|rest| rest == "s" || rest == "es")
}

/// A financial, clinical or audit record, by its name alone.
pub fn is_history_name(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| HISTORY_WORDS.iter().any(|h| is_word(w, h)))
}

/// A model representing a person (user, customer, patient, employee, ...).
pub fn is_person(model: &Model) -> bool {
    words(&model.name)
        .last()
        .is_some_and(|w| PERSON_WORDS.iter().any(|p| is_word(w, p)))
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
    ws.len() >= 2 && ws.last().is_some_and(|w| w == "by")
        || matches!(
            name,
            "author" | "actor" | "creator" | "approver" | "performer" | "operator" | "cashier"
        )
}

/// How a child relates to the parent whose deletion it blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildKind {
    /// Belongs to the parent: deleting the parent should delete it (`onDelete: Cascade`).
    Owned,
    /// A record that must outlive the parent (financial, clinical, audit, attribution).
    History,
}

/// Classify `child` relative to `parent`, `field` being the child's relation field.
pub fn classify(parent: &Model, child: &Model, field: &Field) -> ChildKind {
    if is_attribution(field) {
        return ChildKind::History;
    }
    let (p, c) = (parent.name.to_lowercase(), child.name.to_lowercase());
    if c.len() > p.len() && (c.starts_with(&p) || c.ends_with(&p)) {
        return ChildKind::Owned;
    }
    if is_history_name(&child.name) {
        ChildKind::History
    } else {
        ChildKind::Owned
    }
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
            "CashDrawer",
            "AdminAuditLog",
            "MedicalHistory",
            "Prescription",
            "OrderLine",
            "InventoryMovement",
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
        ] {
            assert!(!is_history_name(n), "{n}");
        }
    }
}
