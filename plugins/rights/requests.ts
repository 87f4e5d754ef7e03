/**
 * The data-subject request workflow: submit, verify, complete (which carries
 * the request out), reject, extend. Deadlines follow GDPR art. 12(3): one
 * month from submission, extendable once by up to two more months, within
 * the first month, with a reason the person is told.
 */
import type { DataSubjectRequestKind, VerificationMethod } from '../../generated/prisma/enums';
import type { DataSubjectRequest } from '../../generated/prisma/client';
import { renderExport, storeExport } from './exports';
import {
  type Actor,
  addDuration,
  type AppServices,
  badInput,
  cleanIdentifier,
  conflict,
  eraseAccountInTx,
  notFound,
  publishAccountDevicesAccessChange,
  recordAudit,
  requestEmailChange,
  type Tx,
  updateProfile,
  type UpdateProfileInput,
} from '../../schema/plugin-api';

/** RECTIFICATION: profile fields, the e-mail (changed through a confirmation mail to the new address) and device identifiers. */
export interface RectificationData extends UpdateProfileInput {
  email?: string | null;
  deviceIdentifiers?: { deviceId: string; identifier?: string | null }[] | null;
}

export const COMPLAINT_NOTICE =
  'You may lodge a complaint with the supervisory authority, the Data State Inspectorate of Latvia (Datu valsts inspekcija, www.dvi.gov.lv).';

export const OPEN_STATUSES = ['AWAITING_VERIFICATION', 'IN_PROGRESS'] as const;

/** The status an account returns to when a scheduled erasure is called off. */
async function statusWithoutErasure(tx: Tx, accountId: string) {
  const a = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { restrictedAt: true } });
  return a.restrictedAt ? 'RESTRICTED' : 'ACTIVE';
}

export interface SubmitInput {
  kind: DataSubjectRequestKind;
  details?: string | null;
  /** Set when staff enter a written request for this account. */
  accountId?: string | null;
  verificationMethod?: VerificationMethod | null;
}

function cleanText(value: string | null | undefined, field: string, max: number, min = 0): string | null {
  const v = value?.trim() ?? '';
  if (v.length < min) throw badInput(field, min > 1 ? `At least ${min} characters.` : 'Required.');
  if (v.length > max) throw badInput(field, `At most ${max} characters.`);
  return v || null;
}

export async function submitRequest(app: AppServices, viewerId: string, actor: Actor, input: SubmitInput) {
  const details = cleanText(input.details, 'input.details', 5000);
  const submittedAt = new Date();
  let accountId = viewerId;
  let submittedById: string | null = null;
  let status: 'AWAITING_VERIFICATION' | 'IN_PROGRESS' = 'IN_PROGRESS';
  let verificationMethod: VerificationMethod | null = 'AUTHENTICATED_SESSION';
  if (input.accountId) {
    // A written, signed request entered by staff: verified when the signature is checked.
    const exists = await app.prisma.account.findUnique({ where: { id: input.accountId }, select: { id: true } });
    if (!exists) throw notFound('Account');
    if (input.verificationMethod === 'AUTHENTICATED_SESSION') {
      throw badInput('input.verificationMethod', 'A written request is verified by its e-signature or handwritten signature.');
    }
    accountId = input.accountId;
    submittedById = viewerId;
    verificationMethod = input.verificationMethod ?? null;
    status = verificationMethod ? 'IN_PROGRESS' : 'AWAITING_VERIFICATION';
  }
  return app.prisma.$transaction(async (tx) => {
    const r = await tx.dataSubjectRequest.create({
      data: {
        accountId,
        kind: input.kind,
        status,
        details,
        submittedById,
        submittedAt,
        dueAt: addDuration(submittedAt, 'P1M'),
        verificationMethod,
        verifiedAt: verificationMethod ? submittedAt : null,
      },
    });
    await recordAudit(app, tx, { action: 'dsr.submitted', actor, subjectAccountId: accountId, details: { requestId: r.id, kind: r.kind } });
    // An erasure request schedules the erasure: the account shows it until the request is completed or rejected.
    if (r.kind === 'ERASURE') await tx.account.update({ where: { id: accountId }, data: { status: 'SCHEDULED_FOR_DELETION' } });
    return r;
  });
}

async function load(app: AppServices, id: string) {
  const r = await app.prisma.dataSubjectRequest.findUnique({ where: { id } });
  if (!r) throw notFound('Data subject request');
  return r;
}

export async function verifyRequest(app: AppServices, id: string, method: VerificationMethod, actor: Actor) {
  const r = await load(app, id);
  if (r.status !== 'AWAITING_VERIFICATION') throw conflict(`The request is ${r.status}, not awaiting verification.`);
  return app.prisma.$transaction(async (tx) => {
    const updated = await tx.dataSubjectRequest.update({
      where: { id, status: 'AWAITING_VERIFICATION' },
      data: { status: 'IN_PROGRESS', verificationMethod: method, verifiedAt: new Date() },
    });
    await recordAudit(app, tx, { action: 'dsr.verified', actor, subjectAccountId: r.accountId, details: { requestId: id, method } });
    return updated;
  });
}

export async function rejectRequest(app: AppServices, id: string, reason: string, actor: Actor) {
  const text = cleanText(reason, 'reason', 2000, 5)!;
  const r = await load(app, id);
  if (!OPEN_STATUSES.includes(r.status as (typeof OPEN_STATUSES)[number])) throw conflict(`The request is already ${r.status}.`);
  return app.prisma.$transaction(async (tx) => {
    const updated = await tx.dataSubjectRequest.update({
      where: { id },
      data: { status: 'REJECTED', completedAt: new Date(), rejectionReason: `${text}\n\n${COMPLAINT_NOTICE}` },
    });
    const otherErasure = await tx.dataSubjectRequest.count({
      where: { accountId: r.accountId, kind: 'ERASURE', status: { in: [...OPEN_STATUSES] } },
    });
    if (r.kind === 'ERASURE' && !otherErasure) {
      await tx.account.update({ where: { id: r.accountId }, data: { status: await statusWithoutErasure(tx, r.accountId) } });
    }
    await recordAudit(app, tx, { action: 'dsr.rejected', actor, subjectAccountId: r.accountId, details: { requestId: id } });
    return updated;
  });
}

export async function extendRequest(app: AppServices, id: string, reason: string, until: Date, actor: Actor) {
  const text = cleanText(reason, 'reason', 2000, 5)!;
  const r = await load(app, id);
  if (!OPEN_STATUSES.includes(r.status as (typeof OPEN_STATUSES)[number])) throw conflict(`The request is already ${r.status}.`);
  if (r.extensionReason) throw conflict('The deadline can be extended only once.');
  const now = new Date();
  if (now > addDuration(r.submittedAt, 'P1M')) throw conflict('The deadline can be extended only within the first month.');
  if (until <= r.dueAt) throw badInput('until', 'The new deadline must be later than the current one.');
  if (until > addDuration(r.submittedAt, 'P3M')) throw badInput('until', 'At most two months more than the original deadline.');
  return app.prisma.$transaction(async (tx) => {
    const updated = await tx.dataSubjectRequest.update({ where: { id }, data: { dueAt: until, extensionReason: text } });
    await recordAudit(app, tx, { action: 'dsr.extended', actor, subjectAccountId: r.accountId, details: { requestId: id, until } });
    return updated;
  });
}

/**
 * Carries the request out and completes it, in one transaction with its
 * audit events. Returns the request as completed (for ERASURE a snapshot:
 * the row is erased with the account).
 */
export async function completeRequest(
  app: AppServices,
  id: string,
  actor: Actor,
  rectification?: RectificationData | null,
): Promise<DataSubjectRequest> {
  const r = await load(app, id);
  if (r.status !== 'IN_PROGRESS') {
    throw conflict(r.status === 'AWAITING_VERIFICATION' ? 'Verify the request first.' : `The request is already ${r.status}.`);
  }
  if (r.kind === 'RECTIFICATION' && !rectification) throw badInput('rectification', 'Give the corrected data.');
  const { email: newEmail, deviceIdentifiers, ...profile } = rectification ?? {};
  // Bad input changes nothing: device identifiers are checked, and the e-mail change mailed, before anything is written.
  const identifiers = r.kind === 'RECTIFICATION' ? await checkDeviceIdentifiers(app, r.accountId, deviceIdentifiers ?? []) : [];
  if (r.kind === 'RECTIFICATION' && newEmail) await requestEmailChange(app, r.accountId, newEmail, 'rectification.email');
  // Rendering reads a lot; do it before the short write transaction.
  const exportContent = r.kind === 'ACCESS' || r.kind === 'PORTABILITY' ? await renderExport(app, r.accountId, 'JSON') : null;
  const completedAt = new Date();
  let erased = false;
  const result = await app.prisma.$transaction(
    async (tx) => {
      let exportId: string | null = null;
      const audit = (action: string, details: Record<string, unknown> = {}) =>
        recordAudit(app, tx, { action, actor, subjectAccountId: r.accountId, details: { requestId: id, ...details } });
      switch (r.kind) {
        case 'ACCESS':
        case 'PORTABILITY':
          exportId = (await storeExport(app, tx, r.accountId, 'JSON', exportContent!, actor, id)).id;
          break;
        case 'RECTIFICATION':
          // Same validation and encryption as the person's own profile edit, inside this transaction.
          await updateProfile({ ...app, prisma: tx as unknown as AppServices['prisma'] }, r.accountId, profile);
          for (const d of identifiers) await tx.device.update({ where: { id: d.deviceId }, data: { identifier: d.identifier } });
          await audit('account.rectified', {
            fields: Object.keys(profile).filter((k) => profile[k as keyof UpdateProfileInput] !== undefined),
            deviceIdentifiers: identifiers.map((d) => d.deviceId),
            emailChangeMailed: !!newEmail,
          });
          break;
        case 'RESTRICTION':
          await tx.account.update({ where: { id: r.accountId }, data: { status: 'RESTRICTED', restrictedAt: completedAt } });
          await audit('processing.restricted');
          break;
        case 'OBJECTION':
          await tx.account.update({ where: { id: r.accountId }, data: { processingObjectedAt: completedAt } });
          await app.events.emit('processing.objected', { accountId: r.accountId }, { actor, tx });
          break;
        case 'ERASURE':
          break;
      }
      await audit('dsr.completed', { kind: r.kind });
      const done = { ...r, status: 'COMPLETED' as const, completedAt, exportId };
      if (r.kind === 'ERASURE') {
        erased = await eraseAccountInTx(app, tx, r.accountId, 'erasure', actor);
        return done;
      }
      return tx.dataSubjectRequest.update({ where: { id }, data: { status: 'COMPLETED', completedAt, exportId } });
    },
    { timeout: 60_000 },
  );
  if (erased) await app.events.emit('account.deleted', { accountId: r.accountId, reason: 'erasure' }, { actor });
  // Open live streams of grantees and link holders re-check at once and end.
  if (r.kind === 'RESTRICTION') await publishAccountDevicesAccessChange(app, r.accountId, 'processing.restricted');
  return result;
}

async function checkDeviceIdentifiers(app: AppServices, accountId: string, items: { deviceId: string; identifier?: string | null }[]) {
  const owned = await app.prisma.device.findMany({
    where: { ownerId: accountId, id: { in: items.map((i) => i.deviceId) } },
    select: { id: true },
  });
  return items.map((item, i) => {
    if (!owned.some((d) => d.id === item.deviceId))
      throw badInput(`rectification.deviceIdentifiers.${i}.deviceId`, 'Not a device of this account.');
    return { deviceId: item.deviceId, identifier: cleanIdentifier(item.identifier, `rectification.deviceIdentifiers.${i}.identifier`) };
  });
}
