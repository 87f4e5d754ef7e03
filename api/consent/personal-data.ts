/**
 * Where personal data is stored: for every field of every Prisma model, the
 * personal-data categories it holds (the vocabulary of the purposes'
 * dataCategories), or that it holds none. Core declares its models here; a
 * plugin declares its own models (and the fields it adds to core models) in
 * definePlugin({ personalData }). test/register.test.ts fails when a field is
 * not declared, when a stored category is declared by no purpose, or when a
 * purpose declares a category that is stored nowhere.
 */

export interface PersonalDataDeclaration {
  /** Fields holding personal data, with the categories each holds. */
  personal?: Record<string, string[]>;
  /** Every other scalar field (ids, links, technical values), space-separated. */
  other?: string;
}

/** Model name -> declaration. */
export type PersonalDataMap = Record<string, PersonalDataDeclaration>;

export const corePersonalData: PersonalDataMap = {
  Account: {
    personal: {
      email: ['email'],
      givenName: ['name'],
      familyName: ['name'],
      phone: ['phone'],
      address: ['address'],
      personalCodeEnc: ['personal code'],
      ibanEnc: ['bank account'],
      passwordHash: ['account credentials'],
      locale: ['account settings'],
      emailVerified: ['account status'],
      status: ['account status'],
      scheduledDeletionAt: ['account status'],
      processingObjectedAt: ['account status'],
      restrictedAt: ['account status'],
      lastActiveAt: ['account activity'],
    },
    other: 'id roles createdAt updatedAt',
  },
  Session: {
    personal: {
      createdAt: ['sessions'],
      lastUsedAt: ['sessions'],
      expiresAt: ['sessions'],
      revokedAt: ['sessions'],
      revokedReason: ['sessions'],
    },
    other: 'id accountId',
  },
  InstanceIdentity: { other: 'id issuer signingKeyIds fieldKeyId updatedAt' },
  AccountToken: {
    personal: {
      email: ['email'],
      tokenHash: ['account credentials'],
      createdAt: ['account activity'],
      usedAt: ['account activity'],
      mailedAt: ['account activity'],
    },
    other: 'id accountId purpose expiresAt',
  },
  RefreshToken: {
    personal: { tokenHash: ['account credentials'], createdAt: ['sessions'], usedAt: ['sessions'], expiresAt: ['sessions'] },
    other: 'id sessionId',
  },
  Device: {
    personal: {
      name: ['device name'],
      kind: ['device type'],
      identifier: ['device identifiers'],
      lastSeenAt: ['device activity'],
      // When the last location was taken (the key of that point: it goes with the point, LOCATION_POINTS).
      lastLocationRecordedAt: ['location'],
    },
    other: 'id ownerId tokenVersion createdAt lastLocationId',
  },
  LocationPoint: {
    personal: Object.fromEntries(
      ['recordedAt', 'latitude', 'longitude', 'accuracy', 'altitude', 'speed', 'heading', 'source'].map((f) => [f, ['location']]),
    ) as Record<string, string[]>,
    other: 'id deviceId clientId receivedAt battery',
  },
  SharingGrant: {
    personal: {
      inviteeEmail: ['email'],
      scope: ['sharing choices'],
      historyFrom: ['sharing choices'],
      startsAt: ['sharing choices'],
      expiresAt: ['sharing choices'],
      revokedAt: ['sharing choices'],
    },
    other: 'id deviceId ownerId granteeId createdAt',
  },
  ShareLink: {
    personal: {
      scope: ['sharing choices'],
      historyFrom: ['sharing choices'],
      expiresAt: ['sharing choices'],
      revokedAt: ['sharing choices'],
      views: ['sharing choices'],
    },
    other: 'id deviceId ownerId tokenHash createdAt',
  },
  PolicyDocument: { other: 'id kind version locale effectiveAt url contentHash text publishedById createdAt' },
  ConsentRecord: {
    personal: Object.fromEntries(
      ['purpose', 'granted', 'method', 'policyVersion', 'recordedAt', 'locale', 'receipt', 'contactRef'].map((f) => [
        f,
        ['consent records'],
      ]),
    ) as Record<string, string[]>,
    other: 'id accountId recordedById',
  },
};

/** Merges declarations (core first, then plugins): one model's fields may come from several sources. */
export function mergePersonalData(...maps: PersonalDataMap[]): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const map of maps) {
    for (const [model, decl] of Object.entries(map)) {
      const fields = out.get(model) ?? new Map<string, string[]>();
      const add = (field: string, categories: string[]) => {
        if (fields.has(field)) throw new Error(`personal data: ${model}.${field} is declared twice`);
        fields.set(field, categories);
      };
      for (const [field, categories] of Object.entries(decl.personal ?? {})) add(field, categories);
      for (const field of (decl.other ?? '').split(/\s+/).filter(Boolean)) add(field, []);
      out.set(model, fields);
    }
  }
  return out;
}
