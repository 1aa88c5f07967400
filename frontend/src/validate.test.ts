// Email and E.164 phone validation of the download form.

import { describe, expect, it } from 'vitest';
import { parseContact, validateEmail, validatePhone } from './validate';

describe('validateEmail', () => {
  it.each(['ana@example.com', 'a.b+tag@mail.example.co.uk', "o'brien@x-y.io"])(
    'accepts %s',
    (e) => {
      expect(validateEmail(e)).toEqual({ ok: true, value: e });
    },
  );
  it('trims spaces around the address', () => {
    expect(validateEmail('  ana@example.com ')).toEqual({ ok: true, value: 'ana@example.com' });
  });
  it.each([
    ['', /Enter an email/],
    ['ana.example.com', /needs an "@"/],
    ['ana@example', /not a valid/],
    ['ana@@example.com', /not a valid/],
    ['an a@example.com', /not a valid/],
    ['.ana@example.com', /not a valid/],
    ['ana..b@example.com', /not a valid/],
    ['ana@-example.com', /not a valid/],
    ['ana@example.c', /not a valid/],
  ])('refuses %j', (input, msg) => {
    const r = validateEmail(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(msg);
  });
  it('refuses an over-long address', () => {
    expect(validateEmail(`${'a'.repeat(250)}@example.com`).ok).toBe(false);
  });
});

describe('validatePhone', () => {
  it('accepts E.164 and removes separators', () => {
    expect(validatePhone('+49 151 2345-6789')).toEqual({ ok: true, value: '+4915123456789' });
    expect(validatePhone('+1 (415) 555.0100')).toEqual({ ok: true, value: '+14155550100' });
  });
  it('accepts exactly 8 and 15 digits', () => {
    expect(validatePhone('+12345678').ok).toBe(true);
    expect(validatePhone(`+1${'2'.repeat(14)}`).ok).toBe(true);
  });
  it.each([
    ['4915123456789', /starting with "\+"/],
    ['+1234567', /8 to 15 digits.*7/],
    [`+1${'2'.repeat(15)}`, /8 to 15 digits.*16/],
    ['+0151234567', /cannot start with 0/],
    ['+49151x3456789', /only hold digits/],
    ['', /Enter a phone/],
  ])('refuses %j', (input, msg) => {
    const r = validatePhone(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(msg);
  });
});

describe('parseContact', () => {
  it('reads an email into {email}', () => {
    expect(parseContact('ana@example.com')).toEqual({
      ok: true,
      value: { email: 'ana@example.com' },
    });
  });
  it('reads a phone into {phone}', () => {
    expect(parseContact('+44 20 7946 0958')).toEqual({
      ok: true,
      value: { phone: '+442079460958' },
    });
  });
  it('explains what is wanted for anything else', () => {
    const r = parseContact('call me maybe');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/email address .* or a phone number/);
  });
  it('refuses an empty field', () => {
    expect(parseContact('   ').ok).toBe(false);
  });
  it('passes the phone error through for a bad number', () => {
    const r = parseContact('0151 234');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/international form/);
  });
});
