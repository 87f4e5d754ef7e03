-- CreateEnum
CREATE TYPE "MarketingScope" AS ENUM ('SIMILAR_PRODUCTS', 'OTHER', 'ALL');

-- CreateEnum
CREATE TYPE "MarketingChannel" AS ENUM ('EMAIL', 'SMS', 'PHONE', 'POST');

-- CreateEnum
CREATE TYPE "OptOutVia" AS ENUM ('ACCOUNT', 'EMAIL', 'PHONE', 'OFFICE', 'UNSUBSCRIBE_LINK');

-- CreateTable
CREATE TABLE "CookiePolicyVersion" (
    "id" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedById" TEXT,
    "categories" JSONB NOT NULL,
    "cookies" JSONB NOT NULL,

    CONSTRAINT "CookiePolicyVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CookieConsent" (
    "id" TEXT NOT NULL,
    "visitorId" TEXT NOT NULL,
    "accountId" TEXT,
    "policyVersion" TEXT NOT NULL,
    "choices" JSONB NOT NULL,
    "globalPrivacyControl" BOOLEAN NOT NULL DEFAULT false,
    "receipt" TEXT NOT NULL,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CookieConsent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MarketingOptOut" (
    "id" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "scope" "MarketingScope" NOT NULL,
    "channel" "MarketingChannel",
    "via" "OptOutVia" NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "effectiveAt" TIMESTAMP(3) NOT NULL,
    "recordedById" TEXT,
    "tokenId" TEXT,

    CONSTRAINT "MarketingOptOut_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CookiePolicyVersion_version_key" ON "CookiePolicyVersion"("version");

-- CreateIndex
CREATE INDEX "CookiePolicyVersion_publishedAt_idx" ON "CookiePolicyVersion"("publishedAt");

-- CreateIndex
CREATE INDEX "CookieConsent_visitorId_recordedAt_idx" ON "CookieConsent"("visitorId", "recordedAt");

-- CreateIndex
CREATE INDEX "CookieConsent_accountId_idx" ON "CookieConsent"("accountId");

-- CreateIndex
CREATE INDEX "CookieConsent_expiresAt_idx" ON "CookieConsent"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "MarketingOptOut_tokenId_key" ON "MarketingOptOut"("tokenId");

-- CreateIndex
CREATE INDEX "MarketingOptOut_accountId_scope_effectiveAt_idx" ON "MarketingOptOut"("accountId", "scope", "effectiveAt");

-- AddForeignKey
ALTER TABLE "CookieConsent" ADD CONSTRAINT "CookieConsent_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MarketingOptOut" ADD CONSTRAINT "MarketingOptOut_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MarketingOptOut" ADD CONSTRAINT "MarketingOptOut_recordedById_fkey" FOREIGN KEY ("recordedById") REFERENCES "Account"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ---------------------------------------------------------------- hand-written
-- The consent ledger is append-only (docs/consent.md). The database refuses
-- any UPDATE or DELETE of a ConsentRecord, with two exceptions that can only
-- come from a foreign-key action (a nested trigger, pg_trigger_depth() > 1):
--  * ON DELETE CASCADE when the whole account is erased;
--  * ON DELETE SET NULL of "recordedById" when the staff member's own account
--    is deleted (the record keeps everything else, including the signed
--    receipt, which still names the staff member's id).
CREATE FUNCTION consent_record_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1
     AND OLD."recordedById" IS NOT NULL AND NEW."recordedById" IS NULL
     AND (NEW."id", NEW."accountId", NEW."purpose", NEW."granted", NEW."method", NEW."policyVersion",
          NEW."recordedAt", NEW."locale", NEW."receipt")
         IS NOT DISTINCT FROM
         (OLD."id", OLD."accountId", OLD."purpose", OLD."granted", OLD."method", OLD."policyVersion",
          OLD."recordedAt", OLD."locale", OLD."receipt") THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ConsentRecord is append-only: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER "ConsentRecord_append_only"
  BEFORE UPDATE OR DELETE ON "ConsentRecord"
  FOR EACH ROW EXECUTE FUNCTION consent_record_append_only();

-- Cookie choices are append-only too: a change of mind is a new record. Rows
-- may be deleted (retention, account erasure), never changed.
CREATE FUNCTION cookie_consent_no_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'CookieConsent is append-only: UPDATE refused' USING ERRCODE = 'integrity_constraint_violation';
END;
$$;

CREATE TRIGGER "CookieConsent_no_update"
  BEFORE UPDATE ON "CookieConsent"
  FOR EACH ROW EXECUTE FUNCTION cookie_consent_no_update();
