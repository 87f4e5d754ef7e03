/**
 * Instances sharing one database must share the token issuer (PUBLIC_URL or
 * JWT_ISSUER) and the keys (JWT_PRIVATE_KEYS, FIELD_ENCRYPTION_KEYS), or a
 * token from one is refused by another and encrypted fields read as garbage.
 * The first instance records its issuer and key ids in InstanceIdentity; an
 * instance that adds keys (rotation) updates the record; any other
 * difference makes /ready fail with the reason, so the load balancer keeps
 * traffic away from the odd one out.
 */
import type { AppServices } from '../../api/context';

const ID = 'current';

export interface Identity {
  issuer: string;
  signingKeyIds: string[];
  fieldKeyId: string;
}

export function identityOf(services: AppServices): Identity {
  return {
    issuer: services.config.jwt.issuer,
    signingKeyIds: services.keys
      .jwks()
      .keys.map((k) => String(k.kid))
      .sort(),
    fieldKeyId: services.cipher.currentKeyId,
  };
}

/** Why `mine` may not serve beside the recorded identity, or null when it matches. */
export function identityMismatch(mine: Identity, recorded: Identity): string | null {
  const problems: string[] = [];
  if (mine.issuer !== recorded.issuer) {
    problems.push(
      `token issuer is ${mine.issuer} here but ${recorded.issuer} in the database (set the same PUBLIC_URL/JWT_ISSUER everywhere)`,
    );
  }
  const missing = recorded.signingKeyIds.filter((k) => !mine.signingKeyIds.includes(k));
  if (missing.length) {
    problems.push(
      `signing keys ${missing.join(', ')} recorded in the database are missing here (share JWT_PRIVATE_KEYS; see npm run admin -- print-keys)`,
    );
  }
  if (mine.fieldKeyId !== recorded.fieldKeyId) {
    problems.push(
      `field-encryption key ${mine.fieldKeyId} differs from ${recorded.fieldKeyId} in the database (share FIELD_ENCRYPTION_KEYS)`,
    );
  }
  return problems.length ? problems.join('; ') : null;
}

/** Records this instance's identity if none is recorded (or if it only adds signing keys); returns the readiness check. */
export async function checkIdentity(services: AppServices): Promise<() => Promise<string | null>> {
  const mine = identityOf(services);
  const { prisma } = services;
  const existing = await prisma.instanceIdentity.findUnique({ where: { id: ID } });
  if (!existing) {
    await prisma.instanceIdentity.upsert({ where: { id: ID }, create: { id: ID, ...mine }, update: {} });
  } else {
    const rotatedHere =
      existing.issuer === mine.issuer &&
      existing.fieldKeyId === mine.fieldKeyId &&
      existing.signingKeyIds.every((k) => mine.signingKeyIds.includes(k)) &&
      mine.signingKeyIds.length > existing.signingKeyIds.length;
    if (rotatedHere) await prisma.instanceIdentity.update({ where: { id: ID }, data: { signingKeyIds: mine.signingKeyIds } });
  }
  return async () => {
    const recorded = await prisma.instanceIdentity.findUnique({ where: { id: ID } });
    return recorded ? identityMismatch(mine, recorded) : null;
  };
}
