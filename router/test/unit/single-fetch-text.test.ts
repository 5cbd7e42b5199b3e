import { SubgraphData, dataOnlyAnswer, stringifyResult } from '../../src/single-fetch';

// A subgraph's data-only answer travels as text; these are the rules that decide when, and the
// serialisation that must give Apollo's own bytes (JSON.stringify of errors, data, extensions + "\n").

const apollo = (result: object) => JSON.stringify(result) + '\n';

describe('dataOnlyAnswer', () => {
  it("takes a body of data alone, as Apollo's subgraphs write it (with or without the newline)", () => {
    const data = {
      users: {
        total: 2,
        items: [
          { id: 'a', fullName: 'Анна "А"\n' },
          { id: 'b', fullName: null },
        ],
      },
    };
    for (const body of [apollo({ data }), JSON.stringify({ data })]) {
      const answer = dataOnlyAnswer(body);
      expect(answer).toBeInstanceOf(SubgraphData);
      expect(answer!.json).toBe(JSON.stringify(data));
      expect(answer!.toJSON()).toEqual(data);
    }
  });

  it.each([
    ['errors beside the data', apollo({ errors: [{ message: 'no' }], data: { me: null } })],
    ['extensions after the data', apollo({ data: { me: { id: 'a' } }, extensions: { x: 1 } })],
    ['data: null', apollo({ data: null })],
    ['no data', apollo({ errors: [{ message: 'no' }] })],
    ['a key named errors inside the data', apollo({ data: { notification: { data: { errors: 1 } } } })],
    ['an alias named extensions', apollo({ data: { extensions: { id: 'a' } } })],
    ['pretty-printed JSON', JSON.stringify({ data: { me: { id: 'a' } } }, null, 2)],
    ['not JSON at all', 'Bad Gateway'],
    ['a truncated body', '{"data":{"me":'],
  ])('leaves %s to the parser', (_label, body) => {
    expect(dataOnlyAnswer(body)).toBeUndefined();
  });
});

describe('stringifyResult', () => {
  it("writes a subgraph's data as it came, in the bytes Apollo's serialisation gives", () => {
    const data = { people: [{ id: 'p1', name: 'Boris "B" \u2028', age: -0, n: 1e21, s: '\ud800' }], __proto__x: 1 };
    const text = JSON.stringify(data);
    const result = { errors: undefined, data: new SubgraphData(text), extensions: undefined };
    expect(stringifyResult(result)).toBe(`{"data":${text}}\n`);
    expect(stringifyResult(result)).toBe(apollo({ data: JSON.parse(text) as object }));
  });

  it("serialises anything else as Apollo does, a subgraph's data parsed", () => {
    const data = new SubgraphData('{"me":{"id":"a"}}');
    const errors = [{ message: 'partly', path: ['x'] }];
    expect(stringifyResult({ errors, data })).toBe(apollo({ errors, data: { me: { id: 'a' } } }));
    expect(stringifyResult({ data, extensions: { code: 1 } })).toBe(
      apollo({ data: { me: { id: 'a' } }, extensions: { code: 1 } }),
    );
    expect(stringifyResult({ data: { me: null } })).toBe(apollo({ data: { me: null } }));
    expect(stringifyResult({ errors })).toBe(apollo({ errors }));
  });
});
