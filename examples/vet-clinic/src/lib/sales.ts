import { prisma } from '@/lib/prisma'
import { Prisma, type Sale, type SaleItem } from '@prisma/client'

export interface SaleLineInput {
  itemId?: string
  serviceId?: string
  description: string
  quantity: number
  unitPrice: number
  discount?: number
}

export interface CreateSaleInput {
  tenantId: string
  customerId: string
  petId?: string
  userId: string
  staffId?: string
  taxRate?: number
  notes?: string
  items: SaleLineInput[]
}

async function nextSaleNumber(tx: Prisma.TransactionClient, tenantId: string) {
  const count = await tx.sale.count({ where: { tenantId } })
  return `V-${new Date().getFullYear()}-${String(count + 1).padStart(6, '0')}`
}

export async function createSale(input: CreateSaleInput) {
  const subtotal = input.items.reduce(
    (sum, line) => sum + line.quantity * line.unitPrice - (line.discount ?? 0),
    0,
  )
  const tax = subtotal * (input.taxRate ?? 0.16)

  return prisma.$transaction(async (tx) => {
    const sale = await tx.sale.create({
      data: {
        tenantId: input.tenantId,
        saleNumber: await nextSaleNumber(tx, input.tenantId),
        customerId: input.customerId,
        petId: input.petId,
        userId: input.userId,
        staffId: input.staffId,
        subtotal: new Prisma.Decimal(subtotal),
        tax: new Prisma.Decimal(tax),
        total: new Prisma.Decimal(subtotal + tax),
        notes: input.notes,
        status: 'COMPLETED',
      },
    })

    for (const line of input.items) {
      await tx.saleItem.create({
        data: {
          saleId: sale.id,
          itemId: line.itemId,
          serviceId: line.serviceId,
          description: line.description,
          quantity: new Prisma.Decimal(line.quantity),
          unitPrice: new Prisma.Decimal(line.unitPrice),
          discount: new Prisma.Decimal(line.discount ?? 0),
          total: new Prisma.Decimal(line.quantity * line.unitPrice - (line.discount ?? 0)),
        },
      })

      if (line.itemId) {
        await tx.inventoryItem.update({
          where: { id: line.itemId },
          data: { quantity: { decrement: Math.ceil(line.quantity) } },
        })
        await tx.inventoryMovement.create({
          data: {
            tenantId: input.tenantId,
            itemId: line.itemId,
            type: 'OUT',
            quantity: Math.ceil(line.quantity),
            saleId: sale.id,
            userId: input.userId,
          },
        })
      }
    }

    return sale
  })
}

/** Decimal -> number so sales can cross the server/client component boundary. */
export function serializeSale(sale: Sale & { items?: SaleItem[] }) {
  return {
    ...sale,
    subtotal: sale.subtotal.toNumber(),
    discount: sale.discount.toNumber(),
    tax: sale.tax.toNumber(),
    total: sale.total.toNumber(),
    items: sale.items?.map((item) => ({
      ...item,
      quantity: item.quantity.toNumber(),
      unitPrice: item.unitPrice.toNumber(),
      discount: item.discount.toNumber(),
      total: item.total.toNumber(),
    })),
  }
}

export async function listSales(tenantId: string, page = 1, pageSize = 50) {
  const sales = await prisma.sale.findMany({
    where: { tenantId },
    include: { items: true, customer: { select: { id: true, name: true } } },
    orderBy: { createdAt: 'desc' },
    skip: (page - 1) * pageSize,
    take: pageSize,
  })
  return sales.map(serializeSale)
}
