/** GraphQL types of the api-keys plugin: ApiKey, createApiKey (secret once), apiKeys, revokeApiKey. */
import type { ApiKey } from '../../generated/prisma/client';
import { API_SCOPES, requireAccount, requireId, type Builder } from '../../schema/plugin-api';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createApiKey, revokeApiKey } from './service';

export function addApiKeySchema(builder: Builder) {
  const ApiScope = builder.enumType('ApiScope', {
    description: 'What an API key may do (always within what its account may do; never staff operations).',
    values: API_SCOPES,
  });

  const ApiKeyRef = builder.objectRef<ApiKey>('ApiKey').implement({
    description: 'An API key of the signed-in account (the secret itself is shown only once, by createApiKey).',
    fields: (t) => ({
      id: t.id({ resolve: (k) => encodeGlobalID('ApiKey', k.id) }),
      name: t.exposeString('name'),
      prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to recognise the key.' }),
      scopes: t.field({ type: [ApiScope], resolve: (k) => k.scopes as (typeof API_SCOPES)[number][] }),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
      lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
      revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    }),
  });

  const ApiKeyCreated = builder.objectRef<{ apiKey: ApiKey; secret: string }>('ApiKeyCreated').implement({
    fields: (t) => ({
      apiKey: t.field({ type: ApiKeyRef, resolve: (c) => c.apiKey }),
      secret: t.exposeString('secret', { description: 'Send as `Authorization: Bearer <secret>`. Shown only now; store it safely.' }),
    }),
  });

  const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      scopes: t.field({ type: [ApiScope], required: true }),
      expiresAt: t.field({ type: 'DateTime', required: false }),
    }),
  });

  builder.queryFields((t) => ({
    apiKeys: t.field({
      type: [ApiKeyRef],
      description: "The signed-in account's API keys, newest first (revoked ones included).",
      resolve: (_r, _a, ctx) =>
        ctx.app.prisma.apiKey.findMany({ where: { accountId: requireAccount(ctx.viewer).accountId }, orderBy: { createdAt: 'desc' } }),
    }),
  }));

  builder.mutationFields((t) => ({
    createApiKey: t.field({
      type: ApiKeyCreated,
      args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
      resolve: (_r, { input }, ctx) => createApiKey(ctx.app, requireAccount(ctx.viewer).accountId, input),
    }),
    revokeApiKey: t.field({
      type: ApiKeyRef,
      description: 'Revokes a key at once: requests and open subscriptions with it stop.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_r, { id }, ctx) => revokeApiKey(ctx.app, requireAccount(ctx.viewer).accountId, requireId(id, 'ApiKey')),
    }),
  }));
}
