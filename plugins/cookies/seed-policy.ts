/**
 * The portal's cookie policy as updated on 07.03.2025, described in our own
 * words: the four categories it names and the cookies the portal sets.
 */
import type { CookiePolicyShape } from './policy';

export const SEED_COOKIE_POLICY: CookiePolicyShape = {
  version: '2025-03-07',
  updatedAt: new Date('2025-03-07T00:00:00.000Z'),
  categories: [
    {
      key: 'necessary',
      title: { LV: 'Nepieciešamās sīkdatnes', EN: 'Necessary cookies' },
      description: {
        LV: 'Bez tām portāls nedarbojas: pieteikšanās sesija, drošība un jūsu sīkdatņu izvēles atcerēšanās. Tām piekrišana nav vajadzīga.',
        EN: 'The portal does not work without them: the sign-in session, security and remembering your cookie choices. They need no consent.',
      },
      required: true,
      saleOrSharing: false,
    },
    {
      key: 'performance',
      title: { LV: 'Veiktspējas (analītikas) sīkdatnes', EN: 'Performance (analytics) cookies' },
      description: {
        LV: 'Apkopota statistika par to, kā portāls tiek lietots, lai mēs to varētu uzlabot.',
        EN: 'Aggregated statistics on how the portal is used, so that we can improve it.',
      },
      required: false,
      saleOrSharing: false,
    },
    {
      key: 'functional',
      title: { LV: 'Funkcionālās sīkdatnes', EN: 'Functional cookies' },
      description: {
        LV: 'Atceras jūsu iestatījumus, piemēram, valodu un kartes skatu, lai tie nebūtu jāizvēlas katru reizi.',
        EN: 'Remember your settings, such as language and map view, so you do not have to choose them every time.',
      },
      required: false,
      saleOrSharing: false,
    },
    {
      key: 'advertising',
      title: { LV: 'Reklāmas sīkdatnes', EN: 'Advertising cookies' },
      description: {
        LV: 'Trešo pušu sīkdatnes, kas ļauj rādīt jums atbilstošu reklāmu citās vietnēs un mērīt tās rezultātus.',
        EN: 'Third-party cookies that let us show you relevant adverts on other sites and measure how they perform.',
      },
      required: false,
      saleOrSharing: true,
    },
  ],
  cookies: [
    {
      name: 'lp_session',
      provider: 'Portal (first party)',
      category: 'necessary',
      purpose: { LV: 'Uztur jūsu pieteikšanos, kamēr pārlūks ir atvērts.', EN: 'Keeps you signed in while the browser is open.' },
      duration: 'session',
      thirdParty: false,
    },
    {
      name: 'lp_csrf',
      provider: 'Portal (first party)',
      category: 'necessary',
      purpose: { LV: 'Aizsargā veidlapas pret viltotiem pieprasījumiem.', EN: 'Protects forms against forged requests.' },
      duration: 'session',
      thirdParty: false,
    },
    {
      name: 'lp_cookie_choice',
      provider: 'Portal (first party)',
      category: 'necessary',
      purpose: { LV: 'Atceras jūsu sīkdatņu izvēli un apmeklētāja identifikatoru.', EN: 'Remembers your cookie choices and visitor id.' },
      duration: 'P12M',
      thirdParty: false,
    },
    {
      name: '_ga',
      provider: 'Google Analytics (Google Ireland Ltd.)',
      category: 'performance',
      purpose: { LV: 'Atšķir apmeklētājus apmeklējumu statistikai.', EN: 'Tells visitors apart for visit statistics.' },
      duration: 'P2Y',
      thirdParty: true,
    },
    {
      name: '_ga_<container>',
      provider: 'Google Analytics (Google Ireland Ltd.)',
      category: 'performance',
      purpose: { LV: 'Saglabā apmeklējuma sesijas stāvokli statistikai.', EN: 'Keeps the state of a visit for statistics.' },
      duration: 'P2Y',
      thirdParty: true,
    },
    {
      name: 'lp_lang',
      provider: 'Portal (first party)',
      category: 'functional',
      purpose: { LV: 'Atceras izvēlēto valodu.', EN: 'Remembers the language you chose.' },
      duration: 'P1Y',
      thirdParty: false,
    },
    {
      name: 'lp_map_view',
      provider: 'Portal (first party)',
      category: 'functional',
      purpose: { LV: 'Atceras kartes slāni un mērogu.', EN: 'Remembers the map layer and zoom.' },
      duration: 'P6M',
      thirdParty: false,
    },
    {
      name: '_fbp',
      provider: 'Meta Platforms Ireland Ltd.',
      category: 'advertising',
      purpose: {
        LV: 'Reklāmas pikselis: mēra reklāmu rezultātus un veido auditorijas.',
        EN: 'Advertising pixel: measures adverts and builds audiences.',
      },
      duration: 'P3M',
      thirdParty: true,
    },
    {
      name: 'IDE',
      provider: 'Google Ads (Google Ireland Ltd.)',
      category: 'advertising',
      purpose: { LV: 'Rāda un mēra reklāmas citās vietnēs.', EN: 'Shows and measures adverts on other sites.' },
      duration: 'P13M',
      thirdParty: true,
    },
  ],
};
