import { z } from 'zod';
import { DomainError } from '../../src/errors';
import { parseInput } from '../../src/validation';
import { buildingCodeSchema, MAX_BUILDING_CODE, MAX_ROOM_NUMBER, roomNumberSchema } from '../../src/campus';

describe('parseInput', () => {
  const schema = z.object({ id: z.uuid({ message: 'must be a UUID' }), size: z.coerce.number().int().max(100) });

  it('returns the parsed (coerced) value', () => {
    const id = '6f1c1a52-6d5b-4a59-9f53-1f5e0c8e6a11';
    expect(parseInput(schema, { id, size: '20' })).toEqual({ id, size: 20 });
  });

  it('refuses bad input with VALIDATION_ERROR naming every field, under the given message', () => {
    const error = (() => {
      try {
        parseInput(schema, { id: 'nope', size: 500 }, 'Invalid page');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: 'VALIDATION', code: 'VALIDATION_ERROR', message: 'Invalid page' });
    expect((error as DomainError).details.fields).toEqual({ id: 'must be a UUID', size: expect.any(String) });
  });

  it('says "Invalid input" by default', () => {
    expect(() => parseInput(z.string(), 42)).toThrow('Invalid input');
  });
});

describe('parseInput and unsafe text', () => {
  const schema = z.object({ reason: z.string(), tags: z.array(z.string()).optional() });

  it('refuses NUL and lone surrogates (gRPC input) with VALIDATION_ERROR naming the field', () => {
    for (const bad of ['a\u0000b', 'x\ud800', '\udc00y']) {
      expect(() => parseInput(schema, { reason: bad })).toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR', details: { fields: { reason: expect.any(String) } } }),
      );
    }
    expect(() => parseInput(schema, { reason: 'ok', tags: ['fine', 'no\u0000'] })).toThrow(
      expect.objectContaining({ details: { fields: { 'tags.1': expect.any(String) } } }),
    );
  });

  it('accepts surrogate pairs (emoji)', () => {
    expect(parseInput(schema, { reason: 'sick 🤒' })).toEqual({ reason: 'sick 🤒' });
  });
});

describe('building codes and room numbers', () => {
  it('take as long a code as identity stores (20), trimmed, and no longer', () => {
    const longest = 'Восточный-корпус-12А'; // 20 characters: an admin may add such a building
    expect(longest).toHaveLength(MAX_BUILDING_CODE);
    expect(buildingCodeSchema.parse(` ${longest} `)).toBe(longest);
    expect(buildingCodeSchema.safeParse(`${longest}Б`).success).toBe(false);
    expect(buildingCodeSchema.safeParse('  ').success).toBe(false);
    expect(roomNumberSchema.parse('1101')).toBe('1101');
    expect(roomNumberSchema.safeParse('9'.repeat(MAX_ROOM_NUMBER + 1)).success).toBe(false);
  });
});
