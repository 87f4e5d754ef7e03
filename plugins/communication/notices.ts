/**
 * Service notices about the contract (purpose CONTRACT_NOTICES): one service,
 * app.extensions.serviceNotices, that any plugin calls to send a notice of a
 * registered kind to an account. Billing registers its kinds (renewal soon,
 * invoice due/overdue) in its own setup(); this plugin registers device
 * silence (optional: can be muted) and new policy versions (required by law).
 *
 * Who gets what: optional kinds stop when the person muted the kind, objected
 * to CONTRACT_NOTICES (or to all legitimate-interest processing) or the
 * account is RESTRICTED; kinds the law requires always go. A notice is stored
 * once per occasion (dedupeKey) and mailed in the account's locale.
 */
import { Prisma } from '../../generated/prisma/client';
import type { Locale } from '../../generated/prisma/enums';
import { type AppServices, badInput, currentPolicyDocument, parseDuration, subtractDuration } from '../../schema/plugin-api';
import { pick } from './texts';
import { CONTRACT_NOTICES } from './purposes';
import { objectionInForce } from './objections';

export interface ServiceNoticeKind {
  /** e.g. DEVICE_SILENT, POLICY_UPDATED, RENEWAL_SOON, INVOICE_DUE, INVOICE_OVERDUE */
  kind: string;
  /** Required by law or by the contract: cannot be muted, and reaches RESTRICTED accounts too. */
  required: boolean;
  /** Mail subject and text in the account's locale. */
  render(locale: Locale, data: Record<string, unknown>): { subject: string; text: string };
}

export type SendOutcome =
  { sent: true; noticeId: string } | { sent: false; reason: 'MUTED' | 'RESTRICTED' | 'OBJECTED' | 'DUPLICATE' | 'NO_ACCOUNT' };

export interface ServiceNoticeService {
  /** Adds a kind (another plugin's setup() does this for its own notices). */
  registerKind(kind: ServiceNoticeKind): void;
  kinds(): ServiceNoticeKind[];
  /** Sends one notice unless the rules above stop it; `dedupeKey` names the occasion (same key = not sent again). */
  send(accountId: string, kind: string, data: Record<string, unknown>, dedupeKey?: string): Promise<SendOutcome>;
}

declare module '../../api/context' {
  interface Extensions {
    /** Service notices about the contract, published by the communication plugin. */
    serviceNotices?: ServiceNoticeService;
  }
}

export const DEFAULT_SILENCE_AFTER = 'PT24H';

export function createNoticeService(app: AppServices): ServiceNoticeService {
  const kinds = new Map<string, ServiceNoticeKind>();
  return {
    registerKind(kind) {
      if (!/^[A-Z][A-Z0-9_]*$/.test(kind.kind)) throw new Error(`notice kind must be UPPER_SNAKE_CASE: ${kind.kind}`);
      if (kinds.has(kind.kind)) throw new Error(`notice kind ${kind.kind} is registered twice`);
      kinds.set(kind.kind, kind);
    },
    kinds: () => [...kinds.values()],
    async send(accountId, kindName, data, dedupeKey = `${Date.now()}`) {
      const kind = kinds.get(kindName);
      if (!kind) throw new Error(`unknown service notice kind ${kindName}`);
      const account = await app.prisma.account.findUnique({
        where: { id: accountId },
        select: { email: true, locale: true, status: true, processingObjectedAt: true },
      });
      if (!account) return { sent: false, reason: 'NO_ACCOUNT' };
      if (!kind.required) {
        if (account.status === 'RESTRICTED') return { sent: false, reason: 'RESTRICTED' };
        if (account.processingObjectedAt || (await objectionInForce(app.prisma, accountId, CONTRACT_NOTICES)))
          return { sent: false, reason: 'OBJECTED' };
        const muted = await app.prisma.serviceNoticeMute.findUnique({ where: { accountId_kind: { accountId, kind: kindName } } });
        if (muted) return { sent: false, reason: 'MUTED' };
      }
      const mail = kind.render(account.locale, data);
      let notice;
      try {
        notice = await app.prisma.serviceNotice.create({
          data: { accountId, kind: kindName, data: data as Prisma.InputJsonValue, dedupeKey, subject: mail.subject },
        });
      } catch (e) {
        if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') return { sent: false, reason: 'DUPLICATE' };
        throw e;
      }
      try {
        await app.mailer.send({ to: account.email, subject: mail.subject, text: mail.text, kind: `notice:${kindName}` });
        await app.prisma.serviceNotice.update({ where: { id: notice.id }, data: { mailedAt: new Date() } });
      } catch (e) {
        // Kept (shown in Account.serviceNotices) without mailedAt; the mail can be retried by whoever reads the log.
        app.logger.error('service notice mail failed', { kind: kindName, error: e });
      }
      return { sent: true, noticeId: notice.id };
    },
  };
}

export const deviceSilentKind: ServiceNoticeKind = {
  kind: 'DEVICE_SILENT',
  required: false,
  render: (locale, data) => ({
    subject: pick({ LV: `Ierīce "${data.deviceName}" klusē`, EN: `Device "${data.deviceName}" is silent` }, locale),
    text: pick(
      {
        LV: `Ierīce "${data.deviceName}" nav sūtījusi atrašanās vietu kopš ${data.lastSeenAt}. Šos paziņojumus var izslēgt konta iestatījumos.`,
        EN: `Device "${data.deviceName}" has not sent a position since ${data.lastSeenAt}. You can turn these notices off in your account settings.`,
      },
      locale,
    ),
  }),
};

export const policyUpdatedKind: ServiceNoticeKind = {
  kind: 'POLICY_UPDATED',
  required: true,
  render: (locale, data) => ({
    subject: pick({ LV: 'Jauna privātuma politikas versija', EN: 'A new version of the privacy policy' }, locale),
    text: pick(
      {
        LV: `Privātuma politikas versija ${data.version} ir spēkā no ${data.effectiveAt}. Lūdzu, iepazīstieties ar to: ${data.url ?? ''}`,
        EN: `Version ${data.version} of the privacy policy applies from ${data.effectiveAt}. Please review it: ${data.url ?? ''}`,
      },
      locale,
    ),
  }),
};

/** Devices silent for longer than their owner's setting, each reported once per silence (the last position's time). */
export async function notifySilentDevices(app: AppServices, service: ServiceNoticeService, now = new Date()): Promise<number> {
  const rows = await app.prisma.$queryRaw<{ id: string; ownerId: string; name: string; lastSeenAt: Date; after: string | null }[]>`
    SELECT d."id", d."ownerId", d."name", d."lastSeenAt", s."deviceSilenceAfter" AS "after"
    FROM "Device" d LEFT JOIN "NoticeSettings" s ON s."accountId" = d."ownerId"
    WHERE d."lastSeenAt" IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM "ServiceNotice" n WHERE n."accountId" = d."ownerId" AND n."kind" = 'DEVICE_SILENT'
                      AND n."dedupeKey" = 'device:' || d."id" || ':' || to_char(d."lastSeenAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    ORDER BY d."lastSeenAt" LIMIT 1000`;
  let sent = 0;
  for (const d of rows) {
    if (d.lastSeenAt > subtractDuration(now, d.after ?? DEFAULT_SILENCE_AFTER)) continue;
    const lastSeenAt = d.lastSeenAt.toISOString();
    const outcome = await service.send(
      d.ownerId,
      'DEVICE_SILENT',
      { deviceId: d.id, deviceName: d.name, lastSeenAt },
      `device:${d.id}:${lastSeenAt}`,
    );
    if (outcome.sent) sent++;
  }
  return sent;
}

/** Every account older than the privacy policy in force is told about it once. */
export async function notifyPolicyVersion(app: AppServices, service: ServiceNoticeService, now = new Date()): Promise<number> {
  const policy = await currentPolicyDocument(app.prisma, 'PRIVACY_POLICY', 'EN', now);
  if (!policy) return 0;
  const dedupeKey = `policy:${policy.version}`;
  const accounts = await app.prisma.account.findMany({
    where: { createdAt: { lt: policy.effectiveAt }, serviceNotices: { none: { kind: 'POLICY_UPDATED', dedupeKey } } },
    select: { id: true },
    take: 1000,
  });
  let sent = 0;
  for (const a of accounts) {
    const outcome = await service.send(
      a.id,
      'POLICY_UPDATED',
      { version: policy.version, effectiveAt: policy.effectiveAt.toISOString(), url: policy.url },
      dedupeKey,
    );
    if (outcome.sent) sent++;
  }
  return sent;
}

export async function updateNoticeSettings(
  app: AppServices,
  accountId: string,
  input: { deviceSilenceAfter?: string | null; mute?: string[] | null; unmute?: string[] | null },
) {
  const service = app.extensions.serviceNotices!;
  const byName = new Map(service.kinds().map((k) => [k.kind, k]));
  if (input.deviceSilenceAfter != null) {
    try {
      const { seconds } = parseDuration(input.deviceSilenceAfter);
      if (seconds < 900) throw new Error('too short');
    } catch {
      throw badInput('input.deviceSilenceAfter', 'An ISO-8601 duration of at least PT15M, e.g. PT6H.');
    }
  }
  (input.mute ?? []).forEach((k, i) => {
    const kind = byName.get(k);
    if (!kind) throw badInput(`input.mute.${i}`, `Unknown notice kind "${k}".`);
    if (kind.required) throw badInput(`input.mute.${i}`, `Notices of kind ${k} are required by law or the contract and cannot be muted.`);
  });
  await app.prisma.$transaction(async (tx) => {
    if (input.deviceSilenceAfter != null) {
      const deviceSilenceAfter = input.deviceSilenceAfter.toUpperCase();
      await tx.noticeSettings.upsert({ where: { accountId }, create: { accountId, deviceSilenceAfter }, update: { deviceSilenceAfter } });
    }
    for (const kind of input.mute ?? []) {
      await tx.serviceNoticeMute.upsert({ where: { accountId_kind: { accountId, kind } }, create: { accountId, kind }, update: {} });
    }
    if (input.unmute?.length) await tx.serviceNoticeMute.deleteMany({ where: { accountId, kind: { in: input.unmute } } });
  });
  return noticeSettings(app, accountId);
}

export async function noticeSettings(app: AppServices, accountId: string) {
  const [settings, mutes] = await Promise.all([
    app.prisma.noticeSettings.findUnique({ where: { accountId } }),
    app.prisma.serviceNoticeMute.findMany({ where: { accountId }, orderBy: { kind: 'asc' } }),
  ]);
  return { accountId, deviceSilenceAfter: settings?.deviceSilenceAfter ?? DEFAULT_SILENCE_AFTER, mutedKinds: mutes.map((m) => m.kind) };
}
