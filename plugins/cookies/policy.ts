/**
 * The cookie policy: versions, their categories and cookies, and the checks a
 * new version must pass before it is published.
 */
import type { Prisma } from '../../generated/prisma/client';
import { badInput, parseIsoDuration, type Texts, type Tx } from '../../schema/plugin-api';

/** The category that needs no consent and cannot be refused. */
export const NECESSARY = 'necessary';

export interface CookieCategoryDef {
  key: string;
  title: Texts;
  description: Texts;
  /** Needs no consent and cannot be refused (necessary only). */
  required: boolean;
  /** Sells or shares data with third parties for advertising: refused when the browser sends Sec-GPC: 1. */
  saleOrSharing: boolean;
}

export interface CookieDef {
  name: string;
  provider: string;
  category: string;
  purpose: Texts;
  /** ISO-8601 duration, or 'session'. */
  duration: string;
  thirdParty: boolean;
}

export interface CookiePolicyShape {
  version: string;
  updatedAt: Date;
  categories: CookieCategoryDef[];
  cookies: CookieDef[];
}

type Reader = Pick<Tx, 'cookiePolicyVersion'>;

/** The newest published version, or null before the first one. */
export async function currentCookiePolicy(db: Reader): Promise<CookiePolicyShape | null> {
  const row = await db.cookiePolicyVersion.findFirst({ orderBy: [{ publishedAt: 'desc' }, { id: 'desc' }] });
  return row ? fromRow(row) : null;
}

export function fromRow(row: {
  version: string;
  updatedAt: Date;
  categories: Prisma.JsonValue;
  cookies: Prisma.JsonValue;
}): CookiePolicyShape {
  return {
    version: row.version,
    updatedAt: row.updatedAt,
    categories: row.categories as unknown as CookieCategoryDef[],
    cookies: row.cookies as unknown as CookieDef[],
  };
}

const KEY = /^[a-z][a-z0-9_-]{0,39}$/;

function checkTexts(texts: Texts, field: string) {
  if (!texts.LV?.trim() || !texts.EN?.trim()) throw badInput(field, 'Give the text in Latvian (LV) and English (EN).');
}

/** Throws BAD_USER_INPUT (with the input path) for anything a published policy must not contain. */
export function validatePolicy(policy: CookiePolicyShape, path = 'input') {
  if (!/^[\w.-]{1,40}$/.test(policy.version)) throw badInput(`${path}.version`, 'A version is 1-40 letters, digits, dots or dashes.');
  const keys = new Set<string>();
  policy.categories.forEach((c, i) => {
    const at = `${path}.categories.${i}`;
    if (!KEY.test(c.key)) throw badInput(`${at}.key`, 'A category key is lower-case letters, digits, - or _.');
    if (keys.has(c.key)) throw badInput(`${at}.key`, `Category "${c.key}" is listed twice.`);
    keys.add(c.key);
    checkTexts(c.title, `${at}.title`);
    checkTexts(c.description, `${at}.description`);
    if (c.required !== (c.key === NECESSARY)) {
      throw badInput(`${at}.required`, 'Only the "necessary" category is required; every other category needs consent.');
    }
    if (c.required && c.saleOrSharing) throw badInput(`${at}.saleOrSharing`, 'Necessary cookies cannot sell or share data.');
  });
  if (!keys.has(NECESSARY)) throw badInput(`${path}.categories`, 'The "necessary" category must be listed.');
  policy.cookies.forEach((c, i) => {
    const at = `${path}.cookies.${i}`;
    if (!c.name.trim() || c.name.length > 100) throw badInput(`${at}.name`, 'A cookie needs a name (at most 100 characters).');
    if (!c.provider.trim()) throw badInput(`${at}.provider`, 'Name who sets the cookie.');
    if (!keys.has(c.category)) throw badInput(`${at}.category`, `Unknown category "${c.category}".`);
    checkTexts(c.purpose, `${at}.purpose`);
    if (c.duration !== 'session') {
      try {
        parseIsoDuration(c.duration);
      } catch {
        throw badInput(`${at}.duration`, 'An ISO-8601 duration such as P1Y, or "session".');
      }
    }
  });
}
