-- CreateTable
CREATE TABLE "RejectedFix" (
    "id" TEXT NOT NULL,
    "deviceId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "protocol" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "raw" JSONB NOT NULL,

    CONSTRAINT "RejectedFix_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RejectedFix_deviceId_receivedAt_idx" ON "RejectedFix"("deviceId", "receivedAt");

-- CreateIndex
CREATE INDEX "RejectedFix_receivedAt_idx" ON "RejectedFix"("receivedAt");

-- AddForeignKey
ALTER TABLE "RejectedFix" ADD CONSTRAINT "RejectedFix_deviceId_fkey" FOREIGN KEY ("deviceId") REFERENCES "Device"("id") ON DELETE CASCADE ON UPDATE CASCADE;
