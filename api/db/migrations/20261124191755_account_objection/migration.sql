-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "processingObjectedAt" TIMESTAMP(3);
