// Real (small) files generated in memory for end-to-end uploads: audio with a known playing time
// and document "scans". Nothing depends on fixture files.

/** A PCM WAV, 8-bit mono at `rate` Hz, playing a quiet 440 Hz tone: 3 minutes at 8 kHz ≈ 1.4 MB. */
export function wav(seconds: number, rate = 8000): Buffer {
  const size = Math.round(seconds * rate);
  const buffer = Buffer.alloc(44 + size);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(36 + size, 4);
  buffer.write('WAVEfmt ', 8, 'ascii');
  buffer.writeUInt32LE(16, 16); // fmt chunk size
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(rate, 24);
  buffer.writeUInt32LE(rate, 28); // byte rate
  buffer.writeUInt16LE(1, 32); // block align
  buffer.writeUInt16LE(8, 34); // bits per sample
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(size, 40);
  for (let i = 0; i < size; i++) buffer[44 + i] = 128 + Math.round(20 * Math.sin((2 * Math.PI * 440 * i) / rate));
  return buffer;
}

/** MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 1152 samples ≈ 26 ms each) with no length header. */
export function mp3(seconds: number): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  return Buffer.concat(Array.from({ length: Math.ceil((seconds * 44_100) / 1152) }, () => frame));
}

/** A valid 1×1 PNG (the "scan" of a signed application, or an image pretending to be audio). */
export function png(): Buffer {
  return Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
}

/** A minimal one-page PDF. */
export function pdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n' +
      '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
    'latin1',
  );
}
