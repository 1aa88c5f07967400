// Checks the download form's contact field before anything is sent: an email address
// (plain syntax check) or a phone number in E.164 (`+` then 8–15 digits). The server
// checks again; this only saves the person a round trip and explains the problem.

import type { Notify } from './api/types';

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

// One `@`, no spaces, a dotted domain of letters/digits/hyphens, a TLD of 2+ letters.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63}$/;

export function validateEmail(input: string): Validation<string> {
  const email = input.trim();
  if (email === '') return { ok: false, error: 'Enter an email address.' };
  if (email.length > 254) return { ok: false, error: 'That email address is too long.' };
  if (!email.includes('@')) return { ok: false, error: 'An email address needs an "@".' };
  const local = email.slice(0, email.lastIndexOf('@'));
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return { ok: false, error: `"${email}" is not a valid email address.` };
  }
  if (!EMAIL.test(email)) return { ok: false, error: `"${email}" is not a valid email address.` };
  return { ok: true, value: email };
}

/** Accepts spaces, dashes, dots and parentheses as separators; returns `+<digits>`. */
export function validatePhone(input: string): Validation<string> {
  const compact = input.trim().replace(/[\s\-().]/g, '');
  if (compact === '') return { ok: false, error: 'Enter a phone number.' };
  if (!compact.startsWith('+')) {
    return { ok: false, error: 'Write the phone number in international form, starting with "+".' };
  }
  const digits = compact.slice(1);
  if (!/^\d+$/.test(digits)) {
    return { ok: false, error: 'A phone number may only hold digits after the "+".' };
  }
  if (digits.startsWith('0')) {
    return { ok: false, error: 'The country code after "+" cannot start with 0.' };
  }
  if (digits.length < 8 || digits.length > 15) {
    return {
      ok: false,
      error: `A phone number has 8 to 15 digits after "+" (this one has ${digits.length}).`,
    };
  }
  return { ok: true, value: `+${digits}` };
}

/** Reads the single "email or phone" field into the API's `notify` object. */
export function parseContact(input: string): Validation<Notify> {
  const v = input.trim();
  if (v === '') return { ok: false, error: 'Enter an email address or a phone number.' };
  if (v.includes('@')) {
    const r = validateEmail(v);
    return r.ok ? { ok: true, value: { email: r.value } } : r;
  }
  if (/^[+\d\s\-().]+$/.test(v)) {
    const r = validatePhone(v);
    return r.ok ? { ok: true, value: { phone: r.value } } : r;
  }
  return {
    ok: false,
    error: 'Enter an email address (name@example.com) or a phone number (+4915123456789).',
  };
}
