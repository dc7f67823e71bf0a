import { prisma } from '@/lib/prisma'
import { addDays, endOfDay, startOfDay } from 'date-fns'

export async function getDashboardData(tenantId: string) {
  const today = new Date()
  const [todayAppointments, recentPets, lowStockItems, upcomingReminders] = await Promise.all([
    prisma.appointment.findMany({
      where: {
        tenantId,
        dateTime: { gte: startOfDay(today), lte: endOfDay(today) },
      },
      include: { pet: true, customer: true, staff: true },
      orderBy: { dateTime: 'asc' },
    }),
    prisma.pet.findMany({
      where: { tenantId },
      include: { customer: true, appointments: true, medicalHistories: true },
      orderBy: { createdAt: 'desc' },
      take: 10,
    }),
    prisma.inventoryItem.findMany({
      where: { tenantId, status: { in: ['LOW_STOCK', 'OUT_OF_STOCK'] } },
      select: { id: true, name: true, quantity: true, minStock: true, status: true },
      orderBy: { name: 'asc' },
    }),
    prisma.reminder.findMany({
      where: { tenantId, status: 'PENDING', dueDate: { lte: addDays(today, 7) } },
      select: { id: true, title: true, dueDate: true, type: true, pet: { select: { name: true } } },
      orderBy: { dueDate: 'asc' },
      take: 20,
    }),
  ])

  return {
    todayAppointments,
    recentPets,
    lowStockItems,
    upcomingReminders,
    stats: {
      appointmentsToday: todayAppointments.length,
      lowStockCount: lowStockItems.length,
      remindersThisWeek: upcomingReminders.length,
    },
  }
}
