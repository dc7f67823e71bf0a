import { prisma } from '@/lib/prisma'
import { auth } from '@/auth'

export class SuperAdminRequiredError extends Error {
  constructor() {
    super('Super admin access required')
  }
}

export async function requireSuperAdmin() {
  const session = await auth()
  if (!session?.user?.id) throw new SuperAdminRequiredError()

  const user = await prisma.user.findUnique({
    where: { id: session.user.id },
    select: { id: true, email: true, isSuperAdmin: true, isActive: true },
  })
  if (!user?.isSuperAdmin || !user.isActive) throw new SuperAdminRequiredError()
  return user
}

export async function logAdminAction(params: {
  adminUserId: string
  action: string
  targetType: string
  targetId?: string
  targetTenantId?: string
  details?: Record<string, unknown>
  ipAddress?: string
}) {
  return prisma.adminAuditLog.create({
    data: {
      adminUserId: params.adminUserId,
      action: params.action,
      targetType: params.targetType,
      targetId: params.targetId,
      targetTenantId: params.targetTenantId,
      details: params.details as object | undefined,
      ipAddress: params.ipAddress,
    },
  })
}

export async function getSystemStatus() {
  let databaseOk = true
  try {
    await prisma.$queryRaw`SELECT 1`
  } catch {
    databaseOk = false
  }

  const [tenants, activeTrials, users] = await Promise.all([
    prisma.tenant.count(),
    prisma.tenant.count({ where: { isTrialPeriod: true, trialEndsAt: { gt: new Date() } } }),
    prisma.user.count({ where: { isActive: true } }),
  ])

  return { databaseOk, tenants, activeTrials, users }
}
