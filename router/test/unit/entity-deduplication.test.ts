import { answerEveryPosition, distinctRepresentations } from '../../src/entity-deduplication';

const user = (id: string) => ({ __typename: 'User', id });

describe('distinctRepresentations', () => {
  it('keeps the first copy of each and says where every position finds it', () => {
    expect(distinctRepresentations([user('a'), user('b'), user('a'), user('a')])).toEqual({
      distinct: [user('a'), user('b')],
      positions: [0, 1, 0, 0],
    });
  });

  it('leaves a call without duplicates as it is', () => {
    expect(distinctRepresentations([user('a'), user('b'), { __typename: 'Room', id: 'a' }])).toBeUndefined();
  });
});

describe('answerEveryPosition', () => {
  const asked = distinctRepresentations([user('a'), user('b'), user('a')])!;

  it('spreads the answers and the errors over the positions', () => {
    const answer = answerEveryPosition(
      {
        data: { _entities: [{ name: 'A' }, null] },
        errors: [{ message: 'gone', path: ['_entities', 1] }, { message: 'other' }],
      },
      asked,
    );
    expect(answer.data).toEqual({ _entities: [{ name: 'A' }, null, { name: 'A' }] });
    expect(answer.errors).toEqual([{ message: 'gone', path: ['_entities', 1] }, { message: 'other' }]);
    const onA = answerEveryPosition(
      { data: { _entities: [null, {}] }, errors: [{ path: ['_entities', 0, 'x'] }] },
      asked,
    );
    expect(onA.errors).toEqual([{ path: ['_entities', 0, 'x'] }, { path: ['_entities', 2, 'x'] }]);
  });

  it('spreads the errors of an answer without entities', () => {
    const none = answerEveryPosition(
      { data: null, errors: [{ path: ['_entities', 0] }, { path: ['_entities', 7] }] },
      asked,
    );
    expect(none).toEqual({
      data: null,
      errors: [{ path: ['_entities', 0] }, { path: ['_entities', 2] }, { path: ['_entities', 7] }],
    });
  });

  it('leaves entities of the wrong length for the gateway to refuse', () => {
    const wrong = { data: { _entities: [{ name: 'A' }] } };
    expect(answerEveryPosition(wrong, asked)).toBe(wrong);
  });
});
