// Reads every entry of a zip file with yauzl (zip64 aware) into memory: the journey's
// bundles are three photos, so holding them is fine.

import yauzl from 'yauzl';

/** path → [{ name, data: Buffer }] */
export function readZipFile(path) {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err) return reject(new Error(`${path} is not a readable zip: ${err.message}`));
      const entries = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks = [];
          stream.on('data', (c) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
