// Client-side JPEG check by magic bytes, regardless of file name and type.

import { describe, expect, it } from 'vitest';
import { hasJpegMagic, jpegProblem } from './jpeg';

const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]);

describe('jpeg magic bytes', () => {
  it('recognises FF D8 FF', () => {
    expect(hasJpegMagic(jpeg)).toBe(true);
    expect(hasJpegMagic(png)).toBe(false);
    expect(hasJpegMagic(new Uint8Array([0xff, 0xd8]))).toBe(false);
  });
  it('accepts a JPEG whatever its name and type', async () => {
    expect(await jpegProblem(new File([jpeg], 'photo.png', { type: 'image/png' }))).toBeNull();
  });
  it('refuses a PNG named .jpg', async () => {
    expect(await jpegProblem(new File([png], 'fake.jpg', { type: 'image/jpeg' }))).toMatch(
      /Not a JPEG/,
    );
  });
  it('refuses an empty file', async () => {
    expect(await jpegProblem(new File([], 'empty.jpg'))).toMatch(/empty/);
  });
});
