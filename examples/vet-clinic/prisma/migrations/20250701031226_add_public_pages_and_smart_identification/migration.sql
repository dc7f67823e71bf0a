-- CreateEnum
CREATE TYPE "BookingRequestStatus" AS ENUM ('PENDING', 'CONFIRMED', 'REJECTED', 'CONVERTED');

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "publicAddress" TEXT,
ADD COLUMN     "publicDescription" TEXT,
ADD COLUMN     "publicEmail" TEXT,
ADD COLUMN     "publicHours" JSONB,
ADD COLUMN     "publicImages" TEXT[],
ADD COLUMN     "publicPageEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "publicPhone" TEXT,
ADD COLUMN     "publicServices" JSONB,
ADD COLUMN     "publicWhatsapp" TEXT;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "needsReview" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "reviewNotes" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'MANUAL';

-- CreateTable
CREATE TABLE "PublicBookingRequest" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "customerId" TEXT,
    "appointmentId" TEXT,
    "customerName" TEXT NOT NULL,
    "customerEmail" TEXT,
    "customerPhone" TEXT NOT NULL,
    "petName" TEXT NOT NULL,
    "petSpecies" TEXT,
    "preferredDate" TIMESTAMP(3) NOT NULL,
    "message" TEXT,
    "status" "BookingRequestStatus" NOT NULL DEFAULT 'PENDING',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PublicBookingRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PublicBookingRequest_appointmentId_key" ON "PublicBookingRequest"("appointmentId");

-- CreateIndex
CREATE INDEX "PublicBookingRequest_tenantId_status_idx" ON "PublicBookingRequest"("tenantId", "status");

-- CreateIndex
CREATE INDEX "PublicBookingRequest_customerId_idx" ON "PublicBookingRequest"("customerId");

-- CreateIndex
CREATE INDEX "Customer_tenantId_needsReview_idx" ON "Customer"("tenantId", "needsReview");

-- CreateIndex
CREATE INDEX "Customer_tenantId_source_idx" ON "Customer"("tenantId", "source");

-- AddForeignKey
ALTER TABLE "PublicBookingRequest" ADD CONSTRAINT "PublicBookingRequest_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublicBookingRequest" ADD CONSTRAINT "PublicBookingRequest_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PublicBookingRequest" ADD CONSTRAINT "PublicBookingRequest_appointmentId_fkey" FOREIGN KEY ("appointmentId") REFERENCES "Appointment"("id") ON DELETE SET NULL ON UPDATE CASCADE;
