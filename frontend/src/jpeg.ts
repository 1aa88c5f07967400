// Refuses non-JPEG files before upload by their first bytes (FF D8 FF), not by their
// name or the browser's guessed type, which are easy to get wrong.

export const JPEG_MAGIC = [0xff, 0xd8, 0xff] as const;

export function hasJpegMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && JPEG_MAGIC.every((b, i) => bytes[i] === b);
}

async function readHead(file: Blob, n: number): Promise<Uint8Array> {
  const head = file.slice(0, n);
  if (typeof head.arrayBuffer === 'function') return new Uint8Array(await head.arrayBuffer());
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsArrayBuffer(head);
  });
}

/** Null when the file is a JPEG, else the reason to show next to it. */
export async function jpegProblem(file: File): Promise<string | null> {
  if (file.size === 0) return 'The file is empty.';
  const head = await readHead(file, 3);
  return hasJpegMagic(head) ? null : 'Not a JPEG photo (its first bytes are not FF D8 FF).';
}
