/** The marketing plugin's entries in the register of processing purposes. */
import type { MarketingChannel } from '../../generated/prisma/enums';
import type { ProcessingPurposeDefinition } from '../../schema/plugin-api';

export const CHANNELS: MarketingChannel[] = ['EMAIL', 'SMS', 'PHONE', 'POST'];

/** The consent purpose that allows "other" commercial notices on a channel. */
export const consentPurposeFor = (channel: MarketingChannel) => `MARKETING_${channel}`;

const channelTexts: Record<MarketingChannel, { LV: string; EN: string }> = {
  EMAIL: { LV: 'e-pastā', EN: 'by e-mail' },
  SMS: { LV: 'īsziņās', EN: 'by text message' },
  PHONE: { LV: 'pa tālruni', EN: 'by phone call' },
  POST: { LV: 'pa pastu', EN: 'by post' },
};

const perChannel: ProcessingPurposeDefinition[] = CHANNELS.map((channel) => ({
  code: consentPurposeFor(channel),
  title: { LV: `Piedāvājumi ${channelTexts[channel].LV}`, EN: `Offers ${channelTexts[channel].EN}` },
  description: {
    LV: `Komerciāli paziņojumi par citām precēm un pakalpojumiem ${channelTexts[channel].LV}, tikai ar jūsu piekrišanu; to var atsaukt jebkurā laikā.`,
    EN: `Commercial notices about other goods and services ${channelTexts[channel].EN}, only with your consent; you can withdraw it at any time.`,
  },
  legalBasis: 'CONSENT',
  dataCategories: ['name', channel === 'EMAIL' ? 'email' : channel === 'POST' ? 'address' : 'phone', 'consent records'],
  recipients: ['e-mail, SMS or mail delivery provider in the EU/EEA'],
  recipientCategories: ['IT_SERVICE_PROVIDER', 'MARKETING_AGENCY'],
  retentionRules: ['INACTIVE_ACCOUNTS'],
  retentionCriteria: {
    LV: 'Līdz piekrišana tiek atsaukta; pats piekrišanas ieraksts, kamēr pastāv konts.',
    EN: 'Until the consent is withdrawn; the consent record itself while the account exists.',
  },
}));

export const marketingPurposes: ProcessingPurposeDefinition[] = [
  {
    code: 'MARKETING_SIMILAR_PRODUCTS',
    title: { LV: 'Paziņojumi par līdzīgiem produktiem', EN: 'Notices about similar products' },
    description: {
      LV: 'Klientiem sūtām ziņas par precēm un pakalpojumiem, kas līdzīgi iegādātajiem, ja vien klients no tām nav atteicies vai iebildis.',
      EN: 'Customers receive news about goods and services similar to those they bought, unless they opted out or objected.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'email', 'phone', 'address', 'marketing preferences'],
    recipients: ['e-mail, SMS or mail delivery provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER', 'MARKETING_AGENCY'],
    retentionRules: ['INACTIVE_ACCOUNTS'],
    retentionCriteria: {
      LV: 'Kamēr pastāv klienta attiecības, līdz atteikumam vai iebildumam.',
      EN: 'While the customer relationship lasts, until an opt-out or objection.',
    },
  },
  ...perChannel,
];
