/** Validation of Latvian personal codes and IBANs (checked before they are stored). */

const WEIGHTS = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/**
 * Latvian personal code, "DDMMYY-CNNNN" (old format: a real birth date, the
 * century digit C, and a check digit) or "32NNNN-NNNNN" (new format issued
 * since 2017, no date). Returns the normalised form or null.
 */
export function normalizeLatvianPersonalCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  if (!/^\d{11}$/.test(digits)) return null;
  if (digits.startsWith('32')) return `${digits.slice(0, 6)}-${digits.slice(6)}`;
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const yy = Number(digits.slice(4, 6));
  const century = { 0: 1800, 1: 1900, 2: 2000 }[Number(digits[6])];
  if (century === undefined) return null;
  const year = century + yy;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(digits[i]), 0);
  const check = (1101 - sum) % 11;
  if (check === 10 || check !== Number(digits[10])) return null;
  return `${digits.slice(0, 6)}-${digits.slice(6)}`;
}

/** IBAN with the ISO 13616 mod-97 check. Returns the compact upper-case form or null. */
export function normalizeIban(input: string): string | null {
  const iban = input.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return null;
  if (iban.startsWith('LV') && iban.length !== 21) return null;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of value) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1 ? iban : null;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,}$/;
export function normalizeEmail(input: string): string | null {
  const e = input.trim().toLowerCase();
  return e.length <= 254 && EMAIL.test(e) ? e : null;
}
