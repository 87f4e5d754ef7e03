/**
 * `npm run admin -- <command>`:
 *   create-staff --email E --role SUPPORT|MARKETING|DPO|ADMIN|ACCOUNTING [--name "Given Family"]
 *       password from STAFF_PASSWORD or an interactive prompt
 *   rotate-signing-key     adds a new JWT signing key (old ones verify until their tokens expire)
 *   rotate-field-key       adds a new field-encryption key and re-encrypts stored values
 *   print-keys             prints this data dir's keys as JWT_PRIVATE_KEYS / FIELD_ENCRYPTION_KEYS
 *                          values, for running several instances with the same keys
 *   publish-policy --kind PRIVACY_POLICY|COOKIE_POLICY --version V --locale LV|EN|RU --file PATH [--effective-at ISO]
 *                          stores a policy document's text (Markdown); the same text again changes nothing
 *   <plugin command> ...   a command an enabled plugin declares (e.g. `retention [--dry-run]`)
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../api/config';
import { createApp } from '../app';
import { hashPassword } from '../../api/auth/passwords';
import { checkPassword } from '../../api/auth/account-service';
import { normalizeEmail } from '../../api/validation/identity';
import type { Locale, PolicyKind, Role } from '../../generated/prisma/enums';
import { readFileSync } from 'node:fs';
import { POLICY_KINDS, POLICY_LOCALES, publishPolicyDocument } from '../../api/consent/policy-documents';
import { isAppError } from '../../api/errors';
import { publishAccountAccessChange } from '../../api/sharing/notify';
import { runCli } from './run';

const STAFF: Role[] = ['SUPPORT', 'MARKETING', 'DPO', 'ADMIN', 'ACCOUNTING'];

class UsageError extends Error {}

async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError('set STAFF_PASSWORD (no terminal to prompt on)');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  try {
    return await rl.question('Password for the staff account: ');
  } finally {
    rl.close();
  }
}

await runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  const config = loadConfig();
  if (command === 'create-staff') {
    const { values } = parseArgs({
      args: rest,
      options: { email: { type: 'string' }, role: { type: 'string', multiple: true }, name: { type: 'string' } },
    });
    const email = values.email ? normalizeEmail(values.email) : null;
    if (!email) throw new UsageError('--email must be a valid e-mail address');
    const roles = (values.role ?? []).map((r) => r.toUpperCase()) as Role[];
    if (!roles.length || roles.some((r) => !STAFF.includes(r))) throw new UsageError(`--role must be one of ${STAFF.join(', ')}`);
    const password = process.env.STAFF_PASSWORD ?? (await promptPassword());
    try {
      checkPassword(password, 'password');
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const [givenName, ...family] = (values.name ?? '').split(' ').filter(Boolean);
    const app = await createApp(config);
    try {
      const passwordHash = await hashPassword(password);
      const account = await app.services.prisma.account.upsert({
        where: { email },
        update: { roles, passwordHash },
        create: { email, roles, passwordHash, emailVerified: true, givenName: givenName ?? null, familyName: family.join(' ') || null },
      });
      // Open live streams of the account re-check (through Redis, when the servers share one).
      publishAccountAccessChange(app.services, account.id, 'roles.changed');
      console.log(`staff account ${account.email} has roles ${account.roles.join(', ')}`);
    } finally {
      await app.close();
    }
  } else if (command === 'publish-policy') {
    const { values } = parseArgs({
      args: rest,
      options: {
        kind: { type: 'string' },
        version: { type: 'string' },
        locale: { type: 'string' },
        file: { type: 'string' },
        'effective-at': { type: 'string' },
      },
    });
    const kind = values.kind?.toUpperCase().replace(/-/g, '_') as PolicyKind | undefined;
    const locale = values.locale?.toUpperCase() as Locale | undefined;
    if (!kind || !POLICY_KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${POLICY_KINDS.join(', ')}`);
    if (!locale || !POLICY_LOCALES.includes(locale)) throw new UsageError(`--locale must be one of ${POLICY_LOCALES.join(', ')}`);
    if (!values.version) throw new UsageError('--version is required (e.g. 2026-01-15)');
    if (!values.file) throw new UsageError('--file is required: the Markdown text of the document');
    let text: string;
    try {
      text = readFileSync(values.file, 'utf8');
    } catch (e) {
      throw new UsageError(`--file: cannot read ${values.file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const effectiveAt = values['effective-at'] ? new Date(values['effective-at']) : null;
    if (effectiveAt && Number.isNaN(effectiveAt.getTime()))
      throw new UsageError('--effective-at must be an ISO-8601 time, e.g. 2026-01-15T00:00:00Z');
    const app = await createApp(config);
    try {
      const doc = await publishPolicyDocument(
        app.services.prisma,
        { kind, version: values.version, locale, text, effectiveAt },
        { path: 'publish-policy' },
      );
      console.log(`${doc.kind} ${doc.version} (${doc.locale}) effective ${doc.effectiveAt.toISOString()}, sha256 ${doc.contentHash}`);
    } catch (e) {
      if (isAppError(e))
        throw new UsageError(`${e.extensions.field ? `${String(e.extensions.field).replace('publish-policy.', '--')}: ` : ''}${e.message}`);
      throw e;
    } finally {
      await app.close();
    }
  } else if (command === 'rotate-signing-key') {
    const app = await createApp(config);
    try {
      const keep = Math.max(config.jwt.accessTokenTtlSeconds, 3600);
      const key = await app.services.keys.rotate(keep);
      console.log(`new signing key ${key.kid}; previous keys stay in the JWKS for ${keep} s`);
    } finally {
      await app.close();
    }
  } else if (command === 'rotate-field-key') {
    const app = await createApp(config);
    try {
      const { prisma, cipher } = app.services;
      const id = cipher.rotate();
      let count = 0;
      for (;;) {
        const batch = await prisma.account.findMany({
          where: { OR: [{ personalCodeEnc: { not: null } }, { ibanEnc: { not: null } }] },
          select: { id: true, personalCodeEnc: true, ibanEnc: true },
          take: 500,
          skip: count,
          orderBy: { id: 'asc' },
        });
        if (!batch.length) break;
        for (const a of batch) {
          const re = (v: string | null, field: string) =>
            v && cipher.keyIdOf(v) !== id ? cipher.encrypt(cipher.decrypt(v, `${field}:${a.id}`), `${field}:${a.id}`) : v;
          await prisma.account.update({
            where: { id: a.id },
            data: { personalCodeEnc: re(a.personalCodeEnc, 'personalCode'), ibanEnc: re(a.ibanEnc, 'iban') },
          });
        }
        count += batch.length;
      }
      console.log(`new field key ${id}; re-encrypted ${count} account(s)`);
    } finally {
      await app.close();
    }
  } else if (command === 'print-keys') {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const app = await createApp(config); // creates the key files on an empty data dir
    await app.close();
    const dir = join(config.dataDir, 'keys');
    const compact = (file: string) => JSON.stringify(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    console.log(`JWT_PRIVATE_KEYS='${compact('signing-keys.json')}'`);
    console.log(`FIELD_ENCRYPTION_KEYS='${compact('field-keys.json')}'`);
  } else {
    const app = await createApp(config);
    try {
      const pluginCommand = app.plugins.flatMap((p) => p.commands ?? []).find((c) => c.name === command);
      if (!pluginCommand) {
        const extra = app.plugins
          .flatMap((p) => p.commands ?? [])
          .map((c) => ` | ${c.usage}`)
          .join('');
        throw new UsageError(
          `usage: npm run admin -- create-staff --email E --role ROLE | publish-policy --kind K --version V --locale L --file PATH | rotate-signing-key | rotate-field-key | print-keys${extra}`,
        );
      }
      await pluginCommand.run(app.services, rest);
    } finally {
      await app.close();
    }
  }
}).catch(() => {});
