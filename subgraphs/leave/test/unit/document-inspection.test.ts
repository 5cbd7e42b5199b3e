import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspectDocument } from '../../src/adapters/document-inspection';
import { jpg, mp3, pdf, png, wav } from '@campus/testkit';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'leave-inspect-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): string {
  const target = path.join(dir, name);
  fs.writeFileSync(target, bytes);
  return target;
}

describe('inspectDocument (content, not names)', () => {
  test('scans: PDF, JPG, PNG', async () => {
    expect(await inspectDocument(file('scan', pdf()), 'signed_application', 10)).toMatchObject({
      contentType: 'application/pdf',
      durationSeconds: null,
    });
    expect(await inspectDocument(file('photo.pdf', jpg()), 'parent_letter', 10)).toMatchObject({
      contentType: 'image/jpeg',
    });
    expect(await inspectDocument(file('x.mp3', png()), 'parent_letter', 10)).toMatchObject({
      contentType: 'image/png',
      format: { ext: 'png' },
    });
  });

  test('a WAV voice message with its duration', async () => {
    const facts = await inspectDocument(file('voice', wav(5)), 'voice_message', 1);
    expect(facts.contentType).toBe('audio/wav');
    expect(facts.durationSeconds).toBeCloseTo(5, 1);
  });

  test('a WAV is as long as the samples it carries, whatever its header claims', async () => {
    const lying = wav(180);
    lying.writeUInt32LE(3 * 8000, 40); // the data chunk claims 3 s of the 180 s that follow
    lying.writeUInt32LE(36 + 3 * 8000, 4);
    const facts = await inspectDocument(file('lying.wav', lying), 'voice_message', lying.length);
    expect(facts.durationSeconds).toBeCloseTo(180, 0);
  });

  test('an MP3 without a length header: frames are counted', async () => {
    const facts = await inspectDocument(file('voice.bin', mp3(7)), 'voice_message', 1);
    expect(facts.contentType).toBe('audio/mpeg');
    expect(facts.durationSeconds).toBeGreaterThan(6.5);
    expect(facts.durationSeconds).toBeLessThan(7.5);
  });

  test('a 3-minute recording reports its real length (refused later by the 2-minute rule)', async () => {
    expect((await inspectDocument(file('long.wav', wav(180)), 'voice_message', 1)).durationSeconds).toBeCloseTo(180, 0);
  });

  test('a PNG renamed .mp3 is not a voice message; audio is not a scan', async () => {
    await expect(inspectDocument(file('renamed.mp3', png()), 'voice_message', 10)).rejects.toMatchObject({
      code: 'LEAVE_DOCUMENT_TYPE_NOT_ALLOWED',
      details: { detected: 'image/png' },
    });
    await expect(inspectDocument(file('voice2.wav', wav(1)), 'signed_application', 10)).rejects.toMatchObject({
      code: 'LEAVE_DOCUMENT_TYPE_NOT_ALLOWED',
    });
    await expect(
      inspectDocument(file('text.pdf', Buffer.from('hello, I am a PDF, trust me')), 'signed_application', 10),
    ).rejects.toMatchObject({
      code: 'LEAVE_DOCUMENT_TYPE_NOT_ALLOWED',
      details: { detected: 'unknown' },
    });
  });

  test('a recording whose length cannot be read is refused', async () => {
    const broken = Buffer.concat([wav(1).subarray(0, 12), Buffer.from('garbage-garbage-garbage')]);
    await expect(inspectDocument(file('broken.wav', broken), 'voice_message', broken.length)).rejects.toMatchObject({
      code: 'LEAVE_DOCUMENT_UNREADABLE',
    });
  });
});
