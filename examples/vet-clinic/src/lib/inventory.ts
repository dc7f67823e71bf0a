import { prisma } from '@/lib/prisma'

/** Dispense an item over the counter: check the stock, then take it out. */
export async function dispense(tenantId: string, itemId: string, quantity: number, userId: string) {
  const item = await prisma.inventoryItem.findFirst({ where: { id: itemId, tenantId } })
  if (!item || item.quantity < quantity) throw new Error('Not enough stock')

  await prisma.inventoryItem.update({
    where: { id: itemId },
    data: { quantity: item.quantity - quantity },
  })
  return prisma.inventoryMovement.create({
    data: { tenantId, itemId, type: 'OUT', quantity, userId, reason: 'Counter sale' },
  })
}
