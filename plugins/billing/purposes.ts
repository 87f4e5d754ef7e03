/**
 * The billing plugin's entries in the register of processing purposes.
 * `recipients` hold RecipientCategory codes (IT_SERVICE_PROVIDER,
 * BANK_PAYMENT_PROVIDER, ACCOUNTING_LEGAL_TAX, ...) so they map onto the
 * coming `recipientCategories` field one to one.
 */
import type { ProcessingPurposeDefinition } from '../../schema/plugin-api';

export const billingPurposes: ProcessingPurposeDefinition[] = [
  {
    code: 'CONTRACT_PERFORMANCE',
    title: { LV: 'Līguma noslēgšana un izpilde', EN: 'Concluding and performing the contract' },
    description: {
      LV: 'Pasūtījumi, abonementi, rēķini un norēķini par pakalpojumu, abonementa atcelšana konta lapā, identitātes pārbaude pirms dažiem pirkumiem.',
      EN: 'Orders, subscriptions, invoices and settlements for the service, cancelling a subscription on the account page, an identity check before some purchases.',
    },
    legalBasis: 'CONTRACT',
    dataCategories: ['name', 'address', 'email', 'subscriptions', 'invoices', 'identity check (method and date)'],
    recipients: ['IT_SERVICE_PROVIDER', 'BANK_PAYMENT_PROVIDER'],
    retention: 'While the contract runs; then as PAYMENTS_TAX_RECORDS requires',
  },
  {
    code: 'PAYMENTS_TAX_RECORDS',
    title: { LV: 'Maksājumu un nodokļu uzskaite', EN: 'Payment and tax records' },
    description: {
      LV: 'Rēķini un saņemtie maksājumi (arī bankas konta numurs un maksājuma dati) tiek glabāti, jo to prasa grāmatvedības un nodokļu likumi, arī pēc konta dzēšanas.',
      EN: 'Invoices and received payments (including bank account number and payment data) are kept because accounting and tax law require it, also after the account is deleted.',
    },
    legalBasis: 'LEGAL_OBLIGATION',
    dataCategories: ['name', 'address', 'invoices', 'received payments', 'bank account number (IBAN)', 'payment references'],
    recipients: ['BANK_PAYMENT_PROVIDER', 'ACCOUNTING_LEGAL_TAX'],
    retention: 'RETENTION_ACCOUNTING_RECORDS (default P5Y) after the end of the invoice’s year, then deleted',
  },
  {
    code: 'DEBT_COLLECTION',
    title: { LV: 'Parādu piedziņa', EN: 'Debt collection' },
    description: {
      LV: 'Neapmaksātu rēķinu piedziņa; kamēr lieta atvērta, konta datus nedzēšam.',
      EN: 'Collecting unpaid invoices; while a case is open, the account’s data is not deleted.',
    },
    legalBasis: 'LEGITIMATE_INTEREST',
    dataCategories: ['name', 'address', 'email', 'phone', 'invoices', 'payments'],
    recipients: ['ACCOUNTING_LEGAL_TAX', 'OTHER_LAWFUL_REQUESTER'],
    retention: 'Until the debt case is closed, then as PAYMENTS_TAX_RECORDS requires',
  },
];
