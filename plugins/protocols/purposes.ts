/** The protocols plugin's entry in the register of processing purposes: the quarantine of refused fixes. */
import type { PersonalDataMap, ProcessingPurposeDefinition } from '../../schema/plugin-api';

export const protocolPurposes: ProcessingPurposeDefinition[] = [
  {
    code: 'DEVICE_FIX_QUARANTINE',
    title: { LV: 'Nesaglabājamo atrašanās vietu uzskaite', EN: 'Record of location fixes that could not be stored' },
    description: {
      LV: 'Ja ierīce nosūta atrašanās vietu, ko nevar saglabāt, mēs to īslaicīgi paturam ar iemeslu, lai jūs varētu atrast ierīces iestatījumu kļūdas.',
      EN: 'When a device sends a fix that cannot be stored, we keep it briefly with the reason so that you can find what is wrong with the device or app settings.',
    },
    legalBasis: 'CONTRACT',
    dataCategories: ['location', 'device identifiers'],
    recipients: ['hosting provider in the EU/EEA'],
    recipientCategories: ['IT_SERVICE_PROVIDER'],
    retentionRules: ['REJECTED_FIXES'],
    retentionCriteria: {
      LV: 'Īslaicīgi, lai varētu atrast ierīces iestatījumu kļūdas; pēc tam dzēsti.',
      EN: 'Briefly, so that device or app settings can be fixed; then deleted.',
    },
  },
];

/** Where the quarantine holds personal data (test/register.test.ts). */
export const protocolPersonalData: PersonalDataMap = {
  RejectedFix: {
    personal: { raw: ['location', 'device identifiers'], receivedAt: ['location'] },
    other: 'id deviceId protocol code reason',
  },
};
