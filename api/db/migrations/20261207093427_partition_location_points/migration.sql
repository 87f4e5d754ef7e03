-- LocationPoint becomes range-partitioned by "recordedAt" (daily partitions
-- "LocationPoint_pYYYYMMDD" plus "LocationPoint_default"), so a retention purge
-- drops whole days instead of deleting rows one by one (issue 18). Keys that a
-- partitioned table enforces must contain the partition key: the primary key
-- becomes ("id", "recordedAt"), ingestion's idempotency key ("deviceId",
-- "clientId", "recordedAt"), and Device's last location a compound reference.
-- Works on a database with rows (an upgrade): the rows are copied into the new
-- table, each into its day's partition. Partitions after this migration are
-- kept by api/locations/partitions.ts (maintenance at start and as a job).

-- Device: the last location as ("lastLocationId", "lastLocationRecordedAt").
ALTER TABLE "Device" DROP CONSTRAINT "Device_lastLocationId_fkey";
DROP INDEX "Device_lastLocationId_key";
ALTER TABLE "Device" ADD COLUMN "lastLocationRecordedAt" TIMESTAMP(3);
UPDATE "Device" d SET "lastLocationRecordedAt" = p."recordedAt" FROM "LocationPoint" p WHERE p."id" = d."lastLocationId";

-- The plain table steps aside (its constraint and index names are reused).
ALTER TABLE "LocationPoint" RENAME TO "LocationPoint_unpartitioned";
ALTER TABLE "LocationPoint_unpartitioned" DROP CONSTRAINT "LocationPoint_deviceId_fkey";
ALTER TABLE "LocationPoint_unpartitioned" DROP CONSTRAINT "LocationPoint_pkey";
DROP INDEX "LocationPoint_deviceId_clientId_key";
DROP INDEX "LocationPoint_deviceId_recordedAt_id_idx";
DROP INDEX "LocationPoint_recordedAt_idx";

-- CreateTable (partitioned)
CREATE TABLE "LocationPoint" (
    "id" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "latitude" DOUBLE PRECISION NOT NULL,
    "longitude" DOUBLE PRECISION NOT NULL,
    "accuracy" DOUBLE PRECISION,
    "altitude" DOUBLE PRECISION,
    "speed" DOUBLE PRECISION,
    "heading" DOUBLE PRECISION,
    "battery" DOUBLE PRECISION,
    "source" "LocationSource" NOT NULL DEFAULT 'UNKNOWN',

    CONSTRAINT "LocationPoint_pkey" PRIMARY KEY ("id", "recordedAt")
) PARTITION BY RANGE ("recordedAt");

-- Rows no daily partition takes (old imports, far-future stamps) land here: an insert never fails.
CREATE TABLE "LocationPoint_default" PARTITION OF "LocationPoint" DEFAULT;

-- One partition per UTC day that has rows in the last 1000 days, and today plus the next 3 days.
DO $$
DECLARE
  day date;
BEGIN
  FOR day IN
    SELECT DISTINCT "recordedAt"::date FROM "LocationPoint_unpartitioned"
      WHERE "recordedAt" >= (now() AT TIME ZONE 'UTC')::date - 1000 AND "recordedAt" < (now() AT TIME ZONE 'UTC')::date
    UNION SELECT generate_series((now() AT TIME ZONE 'UTC')::date, (now() AT TIME ZONE 'UTC')::date + 3, interval '1 day')::date
  LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "LocationPoint" FOR VALUES FROM (%L) TO (%L)',
      'LocationPoint_p' || to_char(day, 'YYYYMMDD'), day::timestamp, (day + 1)::timestamp);
  END LOOP;
END $$;

INSERT INTO "LocationPoint" SELECT * FROM "LocationPoint_unpartitioned";
DROP TABLE "LocationPoint_unpartitioned";

-- CreateIndex (after the copy: one build per partition)
CREATE UNIQUE INDEX "LocationPoint_deviceId_clientId_recordedAt_key" ON "LocationPoint"("deviceId", "clientId", "recordedAt");
CREATE INDEX "LocationPoint_deviceId_recordedAt_id_idx" ON "LocationPoint"("deviceId", "recordedAt", "id");
CREATE INDEX "LocationPoint_recordedAt_idx" ON "LocationPoint"("recordedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Device_lastLocationId_lastLocationRecordedAt_key" ON "Device"("lastLocationId", "lastLocationRecordedAt");

-- AddForeignKey
ALTER TABLE "LocationPoint" ADD CONSTRAINT "LocationPoint_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Device" ADD CONSTRAINT "Device_lastLocationId_lastLocationRecordedAt_fkey" FOREIGN KEY ("lastLocationId", "lastLocationRecordedAt") REFERENCES "LocationPoint"("id", "recordedAt") ON DELETE SET NULL ON UPDATE CASCADE;
