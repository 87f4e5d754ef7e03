/**
 * The billing plugin's entries in the register of processing purposes, and
 * where its models hold personal data (checked by test/register.test.ts).
 */
import type { PersonalDataMap, ProcessingPurposeDefinition } from '../../schema/plugin-api';

export const billingPurposes: ProcessingPurposeDefinition[] = [
  {
    code: 'CONTRACT_PERFORMANCE',
    title: { LV: 'Līguma noslēgšana un izpilde', EN: 'Concluding and performing the contract' },
    description: {
      LV: 'Pasūtījumi, abonementi, rēķini un norēķini par pakalpojumu, abonementa atcelšana konta lapā, identitātes pārbaude pirms dažiem pirkumiem.',
      EN: 'Orders, subscriptions, invoices and settlements for the service, cancelling a subscription on the account page, an identity check before some purchases.',
    },
    legalBasis: 'CONTRACT',
    dataCategories: ['name', 'address', 'email', 'subscriptions', 'invoices', 'identity checks'],
    recipients: ['hosting provider in the EU/EEA', 'payment provider'],
    recipientCategories: ['IT_SERVICE_PROVIDER', 'BANK_PAYMENT_PROVIDER'],
    retentionRules: ['ACCOUNTING_RECORDS', 'INACTIVE_ACCOUNTS'],
    retentionCriteria: {
      LV: 'Kamēr līgums ir spēkā; rēķini un maksājumi pēc tam tiek glabāti, kā to prasa grāmatvedības un nodokļu likumi.',
      EN: 'While the contract runs; invoices and payments are then kept as accounting and tax law requires.',
    },
  },
  {
    code: 'PAYMENTS_TAX_RECORDS',
    title: { LV: 'Maksājumu un nodokļu uzskaite', EN: 'Payment and tax records' },
    description: {
      LV: 'Rēķini un saņemtie maksājumi (arī bankas konta numurs un maksājuma dati) tiek glabāti, jo to prasa grāmatvedības un nodokļu likumi, arī pēc konta dzēšanas.',
      EN: 'Invoices and received payments (including bank account number and payment data) are kept because accounting and tax law require it, also after the account is deleted.',
    },
    legalBasis: 'LEGAL_OBLIGATION',
    dataCategories: ['name', 'address', 'invoices', 'received payments', 'bank account'],
    recipients: ['banks and payment providers', 'accountants, auditors and tax authorities'],
    recipientCategories: ['BANK_PAYMENT_PROVIDER', 'ACCOUNTING_LEGAL_TAX'],
    retentionRules: ['ACCOUNTING_RECORDS'],
    retentionCriteria: {
      LV: 'Pēc rēķina gada beigām tik ilgi, cik prasa grāmatvedības un nodokļu likumi, arī pēc konta dzēšanas (minimizētā veidā).',
      EN: "After the end of the invoice's year for as long as accounting and tax law require, also after the account is deleted (minimised).",
    },
  },
  {
    code: 'DEBT_COLLECTION',
    title: { LV: 'Parādu piedziņa', EN: 'Debt collection' },
    description: {
      LV: 'Neapmaksātu rēķinu piedziņa; kamēr lieta atvērta, konta datus nedzēšam.',
      EN: 'Collecting unpaid invoices; while a case is open, the account’s data is not deleted.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'address', 'email', 'phone', 'invoices', 'received payments', 'debt cases'],
    recipients: ['debt collection and legal advisers', 'courts and bailiffs'],
    recipientCategories: ['ACCOUNTING_LEGAL_TAX', 'OTHER_LAWFUL_REQUESTER'],
    retentionRules: ['ACCOUNTING_RECORDS'],
    retentionCriteria: {
      LV: 'Kamēr parāda lieta ir atvērta (konts netiek dzēsts), pēc tam kā maksājumu un nodokļu uzskaitei.',
      EN: 'While the debt case is open (the account is not deleted), then as for payment and tax records.',
    },
  },
];

const fields = (names: string, categories: string[]) => Object.fromEntries(names.split(' ').map((f) => [f, categories]));

export const billingPersonalData: PersonalDataMap = {
  ServicePlan: { other: 'code nameLv nameEn priceCents vatRateBp currency period requiresIdentityCheck active' },
  Subscription: {
    personal: fields('planCode status createdAt currentPeriodStart currentPeriodEnd cancelledAt', ['subscriptions']),
    other: 'id accountId deviceId',
  },
  InvoiceSequence: { other: 'year last' },
  Invoice: {
    personal: {
      buyerName: ['name'],
      buyerAddress: ['address'],
      ...fields('number description totalCents vatCents currency status issuedAt dueAt paidAt periodStart periodEnd', ['invoices']),
    },
    other: 'id accountId subscriptionId accountDeleted',
  },
  Payment: {
    personal: {
      payerIbanEnc: ['bank account'],
      ...fields('amountCents currency receivedAt provider providerReference', ['received payments']),
    },
    other: 'id invoiceId recordedById createdAt',
  },
  PaymentProviderEvent: { other: 'id provider type outcome invoiceNumber receivedAt' },
  DebtCase: { personal: fields('openedAt closedAt', ['debt cases']), other: 'id invoiceId accountId openedById closedById' },
  IdentityVerification: { personal: fields('method verifiedAt', ['identity checks']), other: 'id accountId verifiedById accessCaseId' },
};
