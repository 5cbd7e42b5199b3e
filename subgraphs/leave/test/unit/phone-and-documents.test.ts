import type { DomainError } from '@campus/platform';
import { checkDocumentFacts, DOCUMENT_POLICIES, formatFor, isAudioKind } from '../../src/domain/documents';
import { requireContactPhone } from '../../src/domain/phone';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('requireContactPhone', () => {
  test.each([
    ['+7 912 345-67-89', '+79123456789'],
    ['8 (912) 345 67 89', '+79123456789'],
    ['89123456789', '+79123456789'],
    ['79123456789', '+79123456789'],
    ['9123456789', '+79123456789'],
    ['(862) 241-00-00', '+78622410000'],
  ])('%s → %s', (input, expected) => {
    expect(requireContactPhone(input)).toBe(expected);
  });

  test.each([
    '',
    '12345',
    '+19123456789',
    '+89123456789',
    '59123456789',
    '+7 912 345-67-89-00',
    'phone',
    '+7912345678x',
  ])('refuses %p', (input) => {
    expect(codeOf(() => requireContactPhone(input))).toBe('LEAVE_INVALID_PHONE');
  });
});

describe('document limits', () => {
  test('scans are PDF/JPG/PNG up to 10 MB; voice messages MP3/M4A/WAV up to 5 MB and 2 minutes', () => {
    expect(DOCUMENT_POLICIES.signed_application.formats.map((f) => f.ext)).toEqual(['pdf', 'jpg', 'png']);
    expect(DOCUMENT_POLICIES.parent_letter.maxBytes).toBe(10 * 1024 * 1024);
    expect(DOCUMENT_POLICIES.voice_message).toMatchObject({ maxBytes: 5 * 1024 * 1024, maxDurationSeconds: 120 });
    expect(formatFor('voice_message', 'png')).toBeUndefined();
    expect(formatFor('parent_letter', 'png')?.contentType).toBe('image/png');
    expect(isAudioKind('voice_message')).toBe(true);
    expect(isAudioKind('signed_application')).toBe(false);
  });

  const facts = { kind: 'voice_message' as const, sizeBytes: 1000, contentType: 'audio/mpeg', durationSeconds: 120 };

  test('a file within the limits passes', () => {
    expect(() => checkDocumentFacts(facts)).not.toThrow();
    expect(() =>
      checkDocumentFacts({
        kind: 'signed_application',
        sizeBytes: 10 * 1024 * 1024,
        contentType: 'application/pdf',
        durationSeconds: null,
      }),
    ).not.toThrow();
  });

  test('each limit has its own code', () => {
    expect(codeOf(() => checkDocumentFacts({ ...facts, sizeBytes: 0 }))).toBe('LEAVE_DOCUMENT_EMPTY');
    expect(codeOf(() => checkDocumentFacts({ ...facts, sizeBytes: 5 * 1024 * 1024 + 1 }))).toBe(
      'LEAVE_DOCUMENT_TOO_LARGE',
    );
    expect(codeOf(() => checkDocumentFacts({ ...facts, contentType: 'application/pdf' }))).toBe(
      'LEAVE_DOCUMENT_TYPE_NOT_ALLOWED',
    );
    expect(codeOf(() => checkDocumentFacts({ ...facts, durationSeconds: 120.5 }))).toBe('LEAVE_VOICE_MESSAGE_TOO_LONG');
    expect(codeOf(() => checkDocumentFacts({ ...facts, durationSeconds: null }))).toBe('LEAVE_DOCUMENT_UNREADABLE');
  });
});
