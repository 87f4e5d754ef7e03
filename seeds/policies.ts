/**
 * The policy documents the platform records consent against. The texts here
 * are short summaries written for this project (the customer's full policy is
 * published at its URL); contentHash is the SHA-256 of the text shown.
 */
export const PRIVACY_POLICY_VERSION = '2025-03-07';
export const COOKIE_POLICY_VERSION = '2025-03-07';
export const POLICY_EFFECTIVE_AT = new Date('2025-03-07T00:00:00.000Z');

export const policyTexts = {
  PRIVACY_POLICY: {
    LV: 'Mēs apstrādājam jūsu konta un ierīču atrašanās vietas datus tikai pakalpojuma sniegšanai; jūs varat tos apskatīt, eksportēt, labot un dzēst.',
    EN: 'We process your account and device location data only to provide the service; you can view, export, correct and delete them.',
    RU: 'Мы обрабатываем данные вашей учётной записи и местоположения устройств только для оказания услуги.',
  },
  COOKIE_POLICY: {
    LV: 'Portāls izmanto obligātās sīkdatnes; veiktspējas, funkcionalitātes un reklāmas sīkdatnes tikai ar jūsu piekrišanu.',
    EN: 'The portal uses necessary cookies; performance, functional and advertising cookies only with your consent.',
    RU: 'Портал использует необходимые файлы cookie; остальные только с вашего согласия.',
  },
} as const;
