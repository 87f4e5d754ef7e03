-- CreateEnum
CREATE TYPE "ActorKind" AS ENUM ('CUSTOMER', 'STAFF', 'DEVICE', 'SYSTEM');

-- CreateTable
CREATE TABLE "AccessCase" (
    "id" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "AccessCase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorKind" "ActorKind" NOT NULL,
    "actorId" TEXT,
    "action" TEXT NOT NULL,
    "subjectAccountId" TEXT,
    "accessCaseId" TEXT,
    "details" JSONB,
    "hash" TEXT NOT NULL,
    "previousHash" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditChainHead" (
    "id" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT,
    "prunedToSeq" BIGINT NOT NULL DEFAULT 0,
    "prunedToHash" TEXT,

    CONSTRAINT "AuditChainHead_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AccessCase_staffId_accountId_expiresAt_idx" ON "AccessCase"("staffId", "accountId", "expiresAt");

-- CreateIndex
CREATE INDEX "AccessCase_accountId_idx" ON "AccessCase"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_seq_key" ON "AuditEvent"("seq");

-- CreateIndex
CREATE INDEX "AuditEvent_subjectAccountId_seq_idx" ON "AuditEvent"("subjectAccountId", "seq");

-- Hand-written: the audit log is append-only. UPDATE is always refused;
-- DELETE only inside a retention purge (transaction-local audit.purge = on,
-- which also moves the chain anchor in AuditChainHead); TRUNCATE never.
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('audit.purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'AuditEvent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();

-- The chain starts empty.
INSERT INTO "AuditChainHead" ("id", "seq") VALUES (1, 0);
