import { PrismaClient } from '@prisma/client'

// Reports run heavy aggregations; keep them on their own client so they
// don't compete with the request path.
const prisma = new PrismaClient()

export async function getMonthlyRevenue(tenantId: string, year: number) {
  const sales = await prisma.sale.findMany({
    where: {
      tenantId,
      status: 'COMPLETED',
      createdAt: { gte: new Date(year, 0, 1), lt: new Date(year + 1, 0, 1) },
    },
    select: { total: true, createdAt: true },
  })

  const months = Array.from({ length: 12 }, () => 0)
  for (const sale of sales) {
    months[sale.createdAt.getMonth()] += sale.total.toNumber()
  }
  return months
}

export async function getTopServices(tenantId: string, limit = 10) {
  const rows = await prisma.saleItem.groupBy({
    by: ['serviceId'],
    where: { serviceId: { not: null }, sale: { tenantId, status: 'COMPLETED' } },
    _sum: { total: true },
    _count: { _all: true },
    orderBy: { _sum: { total: 'desc' } },
    take: limit,
  })
  return rows.map((r) => ({
    serviceId: r.serviceId,
    revenue: r._sum.total?.toNumber() ?? 0,
    count: r._count._all,
  }))
}

export async function getAppointmentStats(tenantId: string, from: Date, to: Date) {
  return prisma.appointment.groupBy({
    by: ['status'],
    where: { tenantId, dateTime: { gte: from, lte: to } },
    _count: { _all: true },
  })
}
