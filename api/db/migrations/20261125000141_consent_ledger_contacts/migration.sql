-- AlterTable
ALTER TABLE "ConsentRecord" ADD COLUMN     "contactRef" TEXT,
ALTER COLUMN "accountId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "ConsentRecord_contactRef_purpose_recordedAt_idx" ON "ConsentRecord"("contactRef", "purpose", "recordedAt");

-- A record names exactly one subject: an account, or a contact without an account.
ALTER TABLE "ConsentRecord" ADD CONSTRAINT "ConsentRecord_one_subject"
  CHECK (("accountId" IS NULL) <> ("contactRef" IS NULL));
