-- CreateEnum
CREATE TYPE "RecipientCategory" AS ENUM ('IT_SERVICE_PROVIDER', 'MARKETING_AGENCY', 'ACCOUNTING_LEGAL_TAX', 'LAW_ENFORCEMENT', 'BANK_PAYMENT_PROVIDER', 'OTHER_LAWFUL_REQUESTER', 'OTHER_PROCESSOR');

-- AlterTable
ALTER TABLE "PolicyDocument" ADD COLUMN     "publishedById" TEXT,
ADD COLUMN     "text" TEXT;

-- CreateTable
CREATE TABLE "Disclosure" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "recipientCategory" "RecipientCategory" NOT NULL,
    "recipientName" TEXT NOT NULL,
    "legalBasis" TEXT NOT NULL,
    "requestReference" TEXT NOT NULL,
    "dataCategories" TEXT[],
    "disclosedAt" TIMESTAMP(3) NOT NULL,
    "confidentialUntil" TIMESTAMP(3),
    "accessCaseId" TEXT NOT NULL,
    "recordedById" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Disclosure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Disclosure_accountId_disclosedAt_idx" ON "Disclosure"("accountId", "disclosedAt");

-- CreateIndex
CREATE INDEX "Disclosure_recordedAt_idx" ON "Disclosure"("recordedAt");
