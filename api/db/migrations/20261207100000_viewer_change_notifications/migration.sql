-- Tells every server instance that a viewer's credentials may have changed, so
-- its in-memory viewer cache (api/auth/viewer-cache.ts) forgets them. A trigger
-- sees every write, whoever makes it (a resolver, a job, the admin CLI, another
-- instance, plain SQL), and NOTIFY is delivered only when the change commits.
-- Payload: 'a:<accountId>' (the account's sessions, roles or status) or
-- 'd:<deviceId>' (a device token's version or owner).
CREATE FUNCTION "notify_viewer_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Device' THEN
    PERFORM pg_notify('viewer_changed', 'd:' || OLD."id");
  ELSIF TG_TABLE_NAME = 'Session' THEN
    PERFORM pg_notify('viewer_changed', 'a:' || OLD."accountId");
  ELSE
    PERFORM pg_notify('viewer_changed', 'a:' || OLD."id");
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "Account_viewer_changed" AFTER UPDATE OF "roles", "status" OR DELETE ON "Account"
  FOR EACH ROW EXECUTE FUNCTION "notify_viewer_change"();

CREATE TRIGGER "Session_viewer_changed" AFTER UPDATE OF "accountId", "revokedAt", "expiresAt" OR DELETE ON "Session"
  FOR EACH ROW EXECUTE FUNCTION "notify_viewer_change"();

CREATE TRIGGER "Device_viewer_changed" AFTER UPDATE OF "ownerId", "tokenVersion" OR DELETE ON "Device"
  FOR EACH ROW EXECUTE FUNCTION "notify_viewer_change"();
