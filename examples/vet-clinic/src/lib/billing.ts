import Stripe from 'stripe'
import { prisma } from '@/lib/prisma'

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY ?? '')

/** A clinic converts from its trial to a paid plan. */
export async function activateSubscription(tenantId: string, priceId: string) {
  return prisma.$transaction(async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId } })
    const subscription = await stripe.subscriptions.create({
      customer: tenant.stripeCustomerId ?? '',
      items: [{ price: priceId }],
    })
    return tx.tenant.update({
      where: { id: tenantId },
      data: {
        stripeSubscriptionId: subscription.id,
        stripePriceId: priceId,
        subscriptionStatus: 'ACTIVE',
        isTrialPeriod: false,
      },
    })
  })
}
