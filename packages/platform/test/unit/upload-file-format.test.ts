import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jpg, mp3, pdf, png, wav } from '@campus/testkit';
import { detectFileFormat } from '../../src/uploads/file-format';

// Formats from the bytes, whatever the file is called.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'platform-format-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, bytes);
  return target;
}

test.each([
  ['scan.mp3', pdf(), { ext: 'pdf', mime: 'application/pdf' }],
  ['photo', jpg(), { ext: 'jpg', mime: 'image/jpeg' }],
  ['photo.pdf', png(), { ext: 'png', mime: 'image/png' }],
  ['voice.png', wav(1), { ext: 'wav', mime: 'audio/vnd.wave' }],
  ['voice.bin', mp3(1), { ext: 'mp3', mime: 'audio/mpeg' }],
])('%s is told by its content', async (name, bytes, expected) => {
  expect(await detectFileFormat(file(name, bytes))).toEqual(expected);
});

test('text, empty files and unknown bytes have no format', async () => {
  expect(await detectFileFormat(file('text.pdf', Buffer.from('hello, I am a PDF, trust me')))).toBeUndefined();
  expect(await detectFileFormat(file('empty.jpg', Buffer.alloc(0)))).toBeUndefined();
  expect(await detectFileFormat(file('zeros.png', Buffer.alloc(4096)))).toBeUndefined();
});
