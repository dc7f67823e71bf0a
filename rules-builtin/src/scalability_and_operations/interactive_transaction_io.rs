use prisma_audit_core::application::{FileRole, span_of};
use prisma_audit_core::declare_rule;
use prisma_audit_core::rule::{RawFinding, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Reports network calls awaited inside an interactive transaction
    /// (`prisma.$transaction(async (tx) => { ... })`): `fetch`, HTTP clients (`axios`, `got`,
    /// `ky`), and the SDKs of payment, e-mail, messaging, storage and AI services (`stripe.*`,
    /// `resend.*`, `twilio.*`, `s3.send`, `openai.*`, ...), and helpers named for sending
    /// (`sendEmail`, `sendSms`, `sendWebhook`, `uploadFile`).
    ///
    /// ## Why is this bad?
    /// The transaction holds a database connection and every row lock it took until the
    /// callback returns. A slow API call (seconds, or a timeout) keeps them: other requests
    /// queue for the locked rows and the pool runs dry. Prisma aborts interactive transactions
    /// after 5 s by default, so a slow service also fails the database work. And the external
    /// effect cannot be rolled back: a charge made inside a transaction that then fails stays
    /// made.
    ///
    /// ## Example
    /// ```ts
    /// await prisma.$transaction(async (tx) => {
    ///   const order = await tx.order.create({ data });
    ///   await stripe.paymentIntents.create({ amount: order.total });
    /// });
    /// ```
    ///
    /// ## Fix
    /// Call the service before the transaction (and pass its result in) or after it commits
    /// (an outbox row written in the transaction, sent by a job, when the call must not be
    /// lost). Not fixed automatically.
    ///
    /// Off by default: it reported one finding on the corpus of real projects (useful), too few to
    /// measure.
    ///
    /// ## References
    /// - https://www.prisma.io/docs/orm/prisma-client/queries/transactions#interactive-transactions
    pub struct InteractiveTransactionIo;
    id = "interactive-transaction-io",
    summary = "Network I/O awaited inside an interactive transaction",
    category = ScalabilityAndOperations,
    severity = Medium,
    fixable = false,
    enabled = false,
}

/// Callees that are HTTP requests on their own.
const HTTP_FUNCTIONS: &[&str] = &[
    "fetch",
    "axios",
    "got",
    "ky",
    "ofetch",
    "$fetch",
    "superagent",
];

/// Objects whose methods call a network service (compared lower-case, after `this.`).
const SERVICE_OBJECTS: &[&str] = &[
    "axios",
    "got",
    "ky",
    "http",
    "httpservice",
    "httpclient",
    "stripe",
    "resend",
    "sendgrid",
    "sgmail",
    "mailgun",
    "postmark",
    "mailchimp",
    "nodemailer",
    "transporter",
    "mailer",
    "twilio",
    "slack",
    "discord",
    "octokit",
    "openai",
    "anthropic",
    "s3",
    "s3client",
    "ses",
    "sns",
    "sqs",
    "pusher",
    "algolia",
    "cloudinary",
    "paypal",
    "plaid",
    "shopify",
    "razorpay",
    "paddle",
    "lemonsqueezy",
    "novu",
    "knock",
    "qstash",
    "webhook",
    "webhooks",
];

/// Prefixes of helper names that send something over the network.
const SENDING_PREFIXES: &[&str] = &[
    "sendemail",
    "sendmail",
    "sendsms",
    "sendtext",
    "sendwebhook",
    "sendpush",
    "sendslack",
    "postwebhook",
    "uploadfile",
    "uploadtos3",
    "uploadimage",
    "callwebhook",
    "triggerwebhook",
];

/// What kind of network call `callee` is, if any.
fn network_call(callee: &str) -> Option<&'static str> {
    let callee = callee.strip_prefix("this.").unwrap_or(callee);
    let callee = callee.replace("?.", ".");
    let segments: Vec<&str> = callee.split('.').collect();
    let first = segments.first()?.to_ascii_lowercase();
    let last = segments.last()?.to_ascii_lowercase();
    if segments.len() == 1 && HTTP_FUNCTIONS.contains(&first.as_str()) {
        return Some("an HTTP request");
    }
    if segments.len() > 1 && SERVICE_OBJECTS.contains(&first.as_str()) {
        return Some("a call to an external service");
    }
    if SENDING_PREFIXES.iter().any(|p| last.starts_with(p)) {
        return Some("a network call");
    }
    None
}

impl Rule for InteractiveTransactionIo {
    fn check(&self, ctx: &RuleContext<'_>, out: &mut Vec<RawFinding>) {
        let app = ctx.application();
        for file in &app.files {
            if file.queries.role != FileRole::App {
                continue;
            }
            for tx in &file.queries.transactions {
                for a in &tx.awaits {
                    let Some(kind) = network_call(&a.callee) else {
                        continue;
                    };
                    out.push(
                        RawFinding::new(
                            format!("{}:{}", a.callee, a.span.start),
                            format!(
                                "`{}` ({kind}) is awaited inside an interactive transaction: the \
                                 connection and its row locks wait for it",
                                a.callee
                            ),
                        )
                        .at(span_of(file.file, a.span))
                        .related(span_of(file.file, tx.span), "the transaction")
                        .help(
                            "Call the service before the transaction and pass its result in, or \
                             after it commits (an outbox row written in the transaction and sent \
                             by a job when the call must not be lost).",
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::support::test_util::{Case, table};

    const ID: &str = "interactive-transaction-io";

    const SCHEMA: &str = r#"datasource db {
  provider = "postgresql"
}

model Order {
  id    String @id
  total Int
}
"#;

    fn code(source: &str) -> Case {
        Case::files(&[
            ("prisma/schema.prisma", SCHEMA),
            ("src/lib/orders.ts", source),
        ])
    }

    const IO_IN_TX: &str = r#"import { prisma } from "@/lib/prisma";
import { stripe } from "@/lib/stripe";
export const checkout = (total: number) =>
  prisma.$transaction(async (tx) => {
    const order = await tx.order.create({ data: { id: "o1", total } });
    await stripe.paymentIntents.create({ amount: order.total, currency: "usd" });
    await fetch("https://hooks.example.com/orders", { method: "POST" });
    await sendEmail("owner@example.com", order.id);
    return order;
  });
"#;

    const IO_OUTSIDE: &str = r#"import { prisma } from "@/lib/prisma";
import { stripe } from "@/lib/stripe";
export async function checkout(total: number) {
  const intent = await stripe.paymentIntents.create({ amount: total, currency: "usd" });
  const order = await prisma.$transaction(async (tx) => {
    const n = await nextNumber(tx);
    return tx.order.create({ data: { id: intent.id + n, total } });
  });
  await fetch("https://hooks.example.com/orders", { method: "POST" });
  return order;
}
"#;

    #[test]
    fn pass_and_fail() {
        insta::assert_snapshot!(table(ID, &[code(IO_OUTSIDE)], &[code(IO_IN_TX)]));
    }

    #[test]
    fn classifies_callees() {
        assert!(super::network_call("fetch").is_some());
        assert!(super::network_call("this.stripe.charges.create").is_some());
        assert!(super::network_call("sendEmailNotification").is_some());
        assert!(super::network_call("nextSaleNumber").is_none());
        assert!(super::network_call("tx.order.create").is_none());
        assert!(super::network_call("fetchUser").is_none());
    }
}
