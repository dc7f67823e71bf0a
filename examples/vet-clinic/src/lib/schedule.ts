import { prisma } from '@/lib/prisma'
import type { AppointmentStatus } from '@prisma/client'

/** The calendar's list view: one status over a date range, in time order. */
export async function appointmentsByStatus(
  tenantId: string,
  status: AppointmentStatus,
  from: Date,
  to: Date,
) {
  return prisma.appointment.findMany({
    where: { tenantId, status, dateTime: { gte: from, lt: to } },
    orderBy: { dateTime: 'asc' },
    include: { pet: true, customer: true },
  })
}

/** Active items at or below the reorder threshold, emptiest first. */
export async function lowStock(tenantId: string, threshold: number) {
  return prisma.inventoryItem.findMany({
    where: { tenantId, status: 'ACTIVE', quantity: { lte: threshold } },
    orderBy: { quantity: 'asc' },
  })
}

/** Treatments due by `until` (today's list and the overdue ones). */
export async function dueTreatments(tenantId: string, until: Date) {
  return prisma.treatmentSchedule.findMany({
    where: { tenantId, status: 'SCHEDULED', scheduledDate: { lte: until } },
    orderBy: { scheduledDate: 'asc' },
    include: { pet: true },
  })
}
