import { prisma } from '@/lib/prisma'
import type { Prisma } from '@prisma/client'
import { z } from 'zod'

export const customerInputSchema = z.object({
  name: z.string().min(2),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().email().optional().or(z.literal('')),
  phone: z.string().min(7).optional(),
  address: z.string().optional(),
  notes: z.string().optional(),
})

export type CustomerInput = z.infer<typeof customerInputSchema>

function normalizePhone(phone?: string | null) {
  return phone ? phone.replace(/[^\d+]/g, '') : null
}

export async function listCustomers(
  tenantId: string,
  opts: { search?: string; page?: number; pageSize?: number; needsReview?: boolean } = {},
) {
  const page = Math.max(1, opts.page ?? 1)
  const pageSize = Math.min(100, opts.pageSize ?? 25)

  const where: Prisma.CustomerWhereInput = {
    tenantId,
    isActive: true,
    ...(opts.needsReview !== undefined && { needsReview: opts.needsReview }),
    ...(opts.search && {
      OR: [
        { name: { contains: opts.search, mode: 'insensitive' } },
        { email: { contains: opts.search, mode: 'insensitive' } },
        { phone: { contains: opts.search } },
      ],
    }),
  }

  const [customers, total] = await Promise.all([
    prisma.customer.findMany({
      where,
      select: {
        id: true,
        name: true,
        email: true,
        phone: true,
        needsReview: true,
        source: true,
        _count: { select: { pets: true } },
      },
      orderBy: { name: 'asc' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    prisma.customer.count({ where }),
  ])

  return { customers, total, page, pageSize }
}

/**
 * Full customer profile: pets with their latest visits, and the appointment
 * history with the attending staff member.
 */
export async function getCustomerById(tenantId: string, customerId: string) {
  return prisma.customer.findFirst({
    where: { id: customerId, tenantId },
    include: {
      pets: {
        where: { isDeceased: false },
        orderBy: { name: 'asc' },
        include: {
          appointments: {
            orderBy: { dateTime: 'desc' },
            take: 5,
          },
          medicalHistories: {
            orderBy: { visitDate: 'desc' },
            take: 5,
          },
          treatmentSchedules: { where: { status: 'SCHEDULED' } },
        },
      },
      appointments: {
        orderBy: { dateTime: 'desc' },
        include: {
          pet: true,
          staff: true,
        },
      },
      user: { select: { id: true, email: true } },
    },
  })
}

export async function createCustomer(tenantId: string, input: CustomerInput) {
  const data = customerInputSchema.parse(input)
  return prisma.customer.create({
    data: {
      ...data,
      email: data.email || null,
      phone: normalizePhone(data.phone),
      tenantId,
      source: 'MANUAL',
    },
  })
}

/**
 * Smart identification for public bookings: match an existing customer by
 * phone or email; flag the match for review when it is ambiguous.
 */
export async function identifyCustomer(
  tenantId: string,
  contact: { name: string; email?: string | null; phone: string },
) {
  const phone = normalizePhone(contact.phone)
  const candidates = await prisma.customer.findMany({
    where: {
      tenantId,
      OR: [{ phone }, ...(contact.email ? [{ email: contact.email }] : [])],
    },
    select: { id: true, name: true, email: true, phone: true },
    take: 5,
  })

  if (candidates.length === 1) return { customer: candidates[0], created: false }

  const customer = await prisma.customer.create({
    data: {
      tenantId,
      name: contact.name,
      email: contact.email ?? null,
      phone,
      source: 'PUBLIC_BOOKING',
      needsReview: candidates.length > 1,
      reviewNotes:
        candidates.length > 1
          ? `Possible duplicates: ${candidates.map((c) => c.id).join(', ')}`
          : null,
    },
  })
  return { customer, created: true }
}

export async function deactivateCustomer(tenantId: string, customerId: string) {
  return prisma.customer.update({
    where: { id: customerId, tenantId },
    data: { isActive: false },
  })
}
