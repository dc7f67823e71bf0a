import { PrismaClient } from '@prisma/client'
import bcrypt from 'bcryptjs'

const prisma = new PrismaClient()

async function main() {
  const tenant = await prisma.tenant.upsert({
    where: { slug: 'demo' },
    update: {},
    create: {
      name: 'Clínica Veterinaria Demo',
      slug: 'demo',
      planType: 'CLINICA',
      isTrialPeriod: true,
      trialStartedAt: new Date(),
      trialEndsAt: new Date(Date.now() + 30 * 24 * 60 * 60 * 1000),
    },
  })

  await prisma.user.upsert({
    where: { email: 'admin@vetclinic.app' },
    update: {},
    create: {
      email: 'admin@vetclinic.app',
      name: 'Platform Admin',
      password: await bcrypt.hash('change-me-please', 12),
      isSuperAdmin: true,
    },
  })

  const owner = await prisma.user.upsert({
    where: { email: 'owner@demo.vetclinic.app' },
    update: {},
    create: {
      email: 'owner@demo.vetclinic.app',
      name: 'Dra. Ana López',
      password: await bcrypt.hash('change-me-please', 12),
      tenantId: tenant.id,
    },
  })

  await prisma.staff.upsert({
    where: { userId: owner.id },
    update: {},
    create: { tenantId: tenant.id, userId: owner.id, name: 'Dra. Ana López', position: 'VETERINARIAN' },
  })

  const customer = await prisma.customer.create({
    data: { tenantId: tenant.id, name: 'Carlos Méndez', phone: '+525512345678', email: 'carlos@example.com' },
  })

  await prisma.pet.create({
    data: { tenantId: tenant.id, customerId: customer.id, name: 'Firulais', species: 'Perro', gender: 'MALE' },
  })

  console.log(`Seeded tenant ${tenant.slug}`)
}

main()
  .catch((e) => {
    console.error(e)
    process.exit(1)
  })
  .finally(() => prisma.$disconnect())
