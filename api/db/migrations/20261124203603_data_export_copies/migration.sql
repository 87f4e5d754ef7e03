-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "dataExportCopies" INTEGER NOT NULL DEFAULT 0;

-- Existing exports count as copies already made.
UPDATE "Account" a SET "dataExportCopies" = (SELECT count(*) FROM "DataExport" e WHERE e."accountId" = a."id");
