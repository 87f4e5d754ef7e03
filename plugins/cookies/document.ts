/**
 * The cookie policy as a readable document: when a version is published
 * through publishCookiePolicy, its COOKIE_POLICY policy documents (LV, EN) are
 * written from the same categories and cookies, so the text people read and
 * the banner's data never disagree. An admin may supply a text of their own.
 */
import type { CookiePolicyShape } from './policy';

type DocLocale = 'LV' | 'EN';

const words = {
  LV: {
    title: 'Sīkdatņu politika',
    updated: 'Atjaunināta',
    categories: 'Sīkdatņu kategorijas',
    cookies: 'Sīkdatnes',
    required: 'vienmēr ieslēgtas, piekrišana nav vajadzīga',
    optional: 'tikai ar jūsu piekrišanu',
    gpc: 'Ja pārlūks sūta Global Privacy Control (Sec-GPC: 1), šīs sīkdatnes netiek izmantotas.',
    head: '| Nosaukums | Nodrošinātājs | Nolūks | Ilgums | Trešā puse |',
    session: 'sesija',
    yes: 'jā',
    no: 'nē',
    choice: 'Izvēli var mainīt vai atsaukt jebkurā laikā sīkdatņu rīkā; pēc 12 mēnešiem vai politikas maiņas tā tiek jautāta atkārtoti.',
  },
  EN: {
    title: 'Cookie policy',
    updated: 'Updated',
    categories: 'Cookie categories',
    cookies: 'Cookies',
    required: 'always on, no consent needed',
    optional: 'only with your consent',
    gpc: 'When the browser sends Global Privacy Control (Sec-GPC: 1), these cookies are not used.',
    head: '| Name | Provider | Purpose | Duration | Third party |',
    session: 'session',
    yes: 'yes',
    no: 'no',
    choice:
      'You can change or withdraw your choice at any time in the cookie tool; it is asked again after 12 months or when the policy changes.',
  },
} as const;

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderCookiePolicy(policy: CookiePolicyShape, locale: DocLocale): string {
  const w = words[locale];
  const lines = [
    `# ${w.title}`,
    '',
    `${w.updated}: ${policy.updatedAt.toISOString().slice(0, 10)} (${policy.version})`,
    '',
    `## ${w.categories}`,
    '',
  ];
  for (const c of policy.categories) {
    lines.push(`### ${c.title[locale]}`, '', `${c.description[locale]} (${c.required ? w.required : w.optional})`, '');
    if (c.saleOrSharing) lines.push(w.gpc, '');
  }
  lines.push(`## ${w.cookies}`, '', w.head, '|---|---|---|---|---|');
  for (const k of policy.cookies) {
    const duration = k.duration === 'session' ? w.session : k.duration;
    lines.push(
      `| ${cell(k.name)} (${cell(k.category)}) | ${cell(k.provider)} | ${cell(k.purpose[locale])} | ${duration} | ${k.thirdParty ? w.yes : w.no} |`,
    );
  }
  lines.push('', w.choice, '');
  return lines.join('\n');
}

export const COOKIE_DOCUMENT_LOCALES: DocLocale[] = ['LV', 'EN'];
