/** Mail texts of the communication plugin, per locale (LV, EN, RU falls back to EN where not written). */
import type { Texts } from '../../schema/plugin-api';

export type Locale = 'LV' | 'EN' | 'RU';
export const pick = (texts: Texts, locale: Locale | string) => texts[locale as keyof Texts] ?? texts.EN;

export function inquiryReceiptMail(locale: Locale, receiptId: string, name: string) {
  return {
    subject: pick({ LV: `Jūsu jautājums saņemts (${receiptId})`, EN: `We received your question (${receiptId})` }, locale),
    text: pick(
      {
        LV: `Labdien, ${name}!\n\nJūsu jautājums ir saņemts. Tā numurs: ${receiptId}. Atbildēsim uz šo e-pastu.`,
        EN: `Hello ${name},\n\nWe received your question. Its number is ${receiptId}. We will answer to this address.`,
      },
      locale,
    ),
  };
}

export function inquiryAnswerMail(locale: Locale, receiptId: string, name: string, answer: string) {
  return {
    subject: pick({ LV: `Atbilde uz jūsu jautājumu (${receiptId})`, EN: `Answer to your question (${receiptId})` }, locale),
    text: pick({ LV: `Labdien, ${name}!\n\n${answer}`, EN: `Hello ${name},\n\n${answer}` }, locale),
  };
}

export function complaintAnswerMail(locale: Locale, complaintId: string, status: string, response: string) {
  return {
    subject: pick({ LV: `Atbilde uz jūsu sūdzību (${complaintId})`, EN: `Answer to your complaint (${complaintId})` }, locale),
    text: pick({ LV: `Jūsu sūdzības statuss: ${status}.\n\n${response}`, EN: `Your complaint is now ${status}.\n\n${response}` }, locale),
  };
}
