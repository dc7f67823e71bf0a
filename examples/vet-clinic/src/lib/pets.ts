import { prisma } from '@/lib/prisma'

/** The pet profile page, `/pets/[id]`: the id comes from the URL. */
export async function getPet(petId: string) {
  return prisma.pet.findUnique({
    where: { id: petId },
    include: { customer: true },
  })
}

/** The search box of the pets page. */
export async function searchPets(tenantId: string, term: string) {
  return prisma.$queryRawUnsafe(
    `SELECT id, name, species FROM "Pet" WHERE "tenantId" = $1 AND name ILIKE '%${term}%' ORDER BY name LIMIT 20`,
    tenantId,
  )
}

/** The "due for a check-up" list: each pet's last completed visit. */
export async function lastVisits(tenantId: string) {
  const pets = await prisma.pet.findMany({
    where: { tenantId, isDeceased: false },
    select: { id: true, name: true },
    orderBy: { name: 'asc' },
    take: 100,
  })
  const result = []
  for (const pet of pets) {
    const last = await prisma.appointment.findFirst({
      where: { tenantId, petId: pet.id, status: 'COMPLETED' },
      orderBy: { dateTime: 'desc' },
    })
    result.push({ pet, lastVisit: last?.dateTime ?? null })
  }
  return result
}
