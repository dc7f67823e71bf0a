import { prisma } from '@/lib/prisma'
import { logAdminAction, requireSuperAdmin } from '@/lib/admin'
import type { Prisma } from '@prisma/client'
import bcrypt from 'bcryptjs'
import { z } from 'zod'

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

export const createUserSchema = z.object({
  email: z.string().email(),
  name: z.string().min(2).max(120),
  password: z.string().min(10),
  tenantId: z.string().uuid().nullable(),
  roleIds: z.array(z.string().uuid()).default([]),
  isSuperAdmin: z.boolean().default(false),
})

export const updateUserSchema = z.object({
  name: z.string().min(2).max(120).optional(),
  email: z.string().email().optional(),
  isActive: z.boolean().optional(),
  tenantId: z.string().uuid().nullable().optional(),
})

export const listUsersSchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  search: z.string().trim().optional(),
  tenantId: z.string().uuid().optional(),
  status: z.enum(['active', 'inactive', 'all']).default('all'),
  superAdminsOnly: z.coerce.boolean().default(false),
})

export type CreateUserInput = z.infer<typeof createUserSchema>
export type UpdateUserInput = z.infer<typeof updateUserSchema>
export type ListUsersInput = z.input<typeof listUsersSchema>

// ---------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------

export async function createUser(input: CreateUserInput) {
  const admin = await requireSuperAdmin()
  const data = createUserSchema.parse(input)

  const existing = await prisma.user.findUnique({ where: { email: data.email } })
  if (existing) {
    throw new Error(`A user with email ${data.email} already exists`)
  }

  const password = await bcrypt.hash(data.password, 12)
  const user = await prisma.user.create({
    data: {
      email: data.email,
      name: data.name,
      password,
      tenantId: data.tenantId,
      isSuperAdmin: data.isSuperAdmin,
      userRoles: {
        create: data.roleIds.map((roleId) => ({ roleId })),
      },
    },
    select: { id: true, email: true, name: true, tenantId: true },
  })

  await logAdminAction({
    adminUserId: admin.id,
    action: 'USER_CREATED',
    targetType: 'User',
    targetId: user.id,
    targetTenantId: user.tenantId ?? undefined,
  })
  return user
}

export async function updateUser(userId: string, input: UpdateUserInput) {
  const admin = await requireSuperAdmin()
  const data = updateUserSchema.parse(input)

  const user = await prisma.user.update({
    where: { id: userId },
    data,
    select: { id: true, email: true, name: true, isActive: true, tenantId: true },
  })

  await logAdminAction({
    adminUserId: admin.id,
    action: 'USER_UPDATED',
    targetType: 'User',
    targetId: userId,
    targetTenantId: user.tenantId ?? undefined,
    details: data,
  })
  return user
}

export async function deactivateUser(userId: string) {
  return updateUser(userId, { isActive: false })
}

export async function resetUserPassword(userId: string, newPassword: string) {
  const admin = await requireSuperAdmin()
  if (newPassword.length < 10) {
    throw new Error('Password must be at least 10 characters')
  }

  await prisma.user.update({
    where: { id: userId },
    data: { password: await bcrypt.hash(newPassword, 12) },
  })

  await logAdminAction({
    adminUserId: admin.id,
    action: 'USER_PASSWORD_RESET',
    targetType: 'User',
    targetId: userId,
  })
}

export async function assignRole(userId: string, roleId: string) {
  const admin = await requireSuperAdmin()
  const userRole = await prisma.userRole.upsert({
    where: { userId_roleId: { userId, roleId } },
    create: { userId, roleId },
    update: {},
  })
  await logAdminAction({
    adminUserId: admin.id,
    action: 'ROLE_ASSIGNED',
    targetType: 'User',
    targetId: userId,
    details: { roleId },
  })
  return userRole
}

export async function removeRole(userId: string, roleId: string) {
  const admin = await requireSuperAdmin()
  await prisma.userRole.delete({
    where: { userId_roleId: { userId, roleId } },
  })
  await logAdminAction({
    adminUserId: admin.id,
    action: 'ROLE_REMOVED',
    targetType: 'User',
    targetId: userId,
    details: { roleId },
  })
}

// ---------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------

function buildUserWhere(params: z.infer<typeof listUsersSchema>): Prisma.UserWhereInput {
  return {
    ...(params.tenantId && { tenantId: params.tenantId }),
    ...(params.status === 'active' && { isActive: true }),
    ...(params.status === 'inactive' && { isActive: false }),
    ...(params.superAdminsOnly && { isSuperAdmin: true }),
    ...(params.search && {
      OR: [
        { email: { contains: params.search, mode: 'insensitive' } },
        { name: { contains: params.search, mode: 'insensitive' } },
      ],
    }),
  }
}

export async function listUsers(input: ListUsersInput) {
  await requireSuperAdmin()
  const params = listUsersSchema.parse(input)
  const where = buildUserWhere(params)
  const [users, total] = await Promise.all([
    prisma.user.findMany({
      where,
      include: {
        userRoles: {
          include: {
            role: true,
          },
        },
        tenant: { select: { id: true, name: true, slug: true } },
        _count: {
          select: {
            appointments: true,
            sales: true,
            medicalOrders: true,
          },
        },
      },
      orderBy: { createdAt: 'desc' },
      skip: (params.page - 1) * params.pageSize,
      take: params.pageSize,
    }),
    prisma.user.count({ where }),
  ])

  return {
    users: users.map(({ password: _password, ...user }) => user),
    pagination: {
      page: params.page,
      pageSize: params.pageSize,
      total,
      totalPages: Math.ceil(total / params.pageSize),
    },
  }
}
