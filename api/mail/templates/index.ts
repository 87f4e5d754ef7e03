/**
 * The texts of the account mails (verification, e-mail change, password
 * reset, restriction lifted), in Latvian and English, chosen by the
 * account's locale (RU and unknown locales get English). One function per
 * mail keeps wording and links in one place; callers only pass the facts.
 */
import type { Locale } from '../../../generated/prisma/enums';

export type MailKind =
  'verify-email' | 'confirm-email-change' | 'email-change-notice' | 'reset-password' | 'password-changed' | 'restriction-lifted';

export interface RenderedMail {
  kind: MailKind;
  subject: string;
  text: string;
}

type Lang = 'LV' | 'EN';
const lang = (locale: Locale | null | undefined): Lang => (locale === 'LV' ? 'LV' : 'EN');

interface Facts {
  link?: string;
  hours?: number;
  newEmail?: string;
  reason?: string;
}

const TEXTS: Record<MailKind, Record<Lang, (f: Facts) => { subject: string; text: string }>> = {
  'verify-email': {
    LV: (f) => ({
      subject: 'Apstipriniet savu e-pasta adresi',
      text:
        `Labdien!\n\n` +
        `Lai apstiprinātu, ka šī e-pasta adrese pieder jums, atveriet saiti:\n${f.link}\n\n` +
        `Saite derīga ${f.hours} stundas un izmantojama vienu reizi.` +
        ` Ja kontu neesat veidojis, šo vēstuli varat ignorēt.`,
    }),
    EN: (f) => ({
      subject: 'Confirm your e-mail address',
      text:
        `Hello,\n\n` +
        `To confirm that this e-mail address is yours, open the link:\n${f.link}\n\n` +
        `The link works once and for ${f.hours} hours. If you did not create an account, you can ignore this message.`,
    }),
  },
  'confirm-email-change': {
    LV: (f) => ({
      subject: 'Apstipriniet jauno e-pasta adresi',
      text:
        `Labdien!\n\n` +
        `Jūsu kontam pieprasīta jauna e-pasta adrese (${f.newEmail}).` +
        ` Lai to apstiprinātu, atveriet saiti:\n${f.link}\n\n` +
        `Saite derīga ${f.hours} stundas un izmantojama vienu reizi.` +
        ` Līdz apstiprināšanai paliek spēkā iepriekšējā adrese.`,
    }),
    EN: (f) => ({
      subject: 'Confirm your new e-mail address',
      text:
        `Hello,\n\n` +
        `A new e-mail address (${f.newEmail}) was requested for your account.` +
        ` To confirm it, open the link:\n${f.link}\n\n` +
        `The link works once and for ${f.hours} hours. Until you confirm, the previous address stays in use.`,
    }),
  },
  'email-change-notice': {
    LV: (f) => ({
      subject: 'Jūsu konta e-pasta adrese tiek mainīta',
      text:
        `Labdien!\n\n` +
        `Jūsu kontam pieprasīta jauna e-pasta adrese: ${f.newEmail}.` +
        ` Ja to neesat pieprasījis, nomainiet paroli un sazinieties ar mums.`,
    }),
    EN: (f) => ({
      subject: 'The e-mail address of your account is being changed',
      text:
        `Hello,\n\n` +
        `A new e-mail address was requested for your account: ${f.newEmail}.` +
        ` If this was not you, change your password and contact us.`,
    }),
  },
  'reset-password': {
    LV: (f) => ({
      subject: 'Paroles atjaunošana',
      text:
        `Labdien!\n\n` +
        `Lai iestatītu jaunu paroli, atveriet saiti:\n${f.link}\n\n` +
        `Saite derīga ${(f.hours ?? 1) * 60} minūtes un izmantojama vienu reizi.` +
        ` Pēc paroles maiņas visas sesijas tiek pārtrauktas.` +
        ` Ja paroles maiņu neesat pieprasījis, šo vēstuli varat ignorēt.`,
    }),
    EN: (f) => ({
      subject: 'Reset your password',
      text:
        `Hello,\n\n` +
        `To set a new password, open the link:\n${f.link}\n\n` +
        `The link works once and for ${(f.hours ?? 1) * 60} minutes. Setting a new password signs out every session.` +
        ` If you did not ask for this, you can ignore this message.`,
    }),
  },
  'password-changed': {
    LV: () => ({
      subject: 'Jūsu parole ir nomainīta',
      text:
        'Labdien!\n\n' +
        'Jūsu konta parole ir nomainīta, un citas sesijas ir pārtrauktas.' +
        ' Ja to neesat darījis, atjaunojiet paroli un sazinieties ar mums.',
    }),
    EN: () => ({
      subject: 'Your password was changed',
      text:
        'Hello,\n\n' +
        'The password of your account was changed and other sessions were signed out.' +
        ' If this was not you, reset your password and contact us.',
    }),
  },
  'restriction-lifted': {
    LV: (f) => ({
      subject: 'Jūsu datu apstrādes ierobežojums tiks atcelts',
      text:
        `Labdien!\n\n` +
        `Jūsu personas datu apstrādes ierobežojums (VDAR 18. pants) tiek atcelts. Iemesls: ${f.reason}\n\n` +
        `Pēc tam jūsu dati atkal tiks apstrādāti kā parasti, tostarp rādīti tiem, kam esat atļāvis redzēt savu ` +
        `atrašanās vietu. Jums ir tiesības iesniegt sūdzību Datu valsts inspekcijā (www.dvi.gov.lv).`,
    }),
    EN: (f) => ({
      subject: 'The restriction of processing of your data is being lifted',
      text:
        `Hello,\n\n` +
        `The restriction of processing of your personal data (GDPR art. 18) is being lifted. Reason: ${f.reason}\n\n` +
        `Afterwards your data is processed as usual again, including showing your location to the people you share it ` +
        `with. You may lodge a complaint with the Data State Inspectorate (www.dvi.gov.lv).`,
    }),
  },
};

export function renderMail(kind: MailKind, locale: Locale | null | undefined, facts: Facts = {}): RenderedMail {
  return { kind, ...TEXTS[kind][lang(locale)](facts) };
}
