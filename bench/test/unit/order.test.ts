import { balancedOrder } from '../../src/load';

describe('the order of targets in the rounds of a scenario', () => {
  it.each([2, 3, 4, 5, 6])('puts each of %i targets once in every position', (n) => {
    const targets = Array.from({ length: n }, (_, i) => i);
    const rounds = targets.map((round) => balancedOrder(targets, round));
    for (const order of rounds) expect([...order].sort()).toEqual(targets);
    for (let position = 0; position < n; position++)
      expect(rounds.map((order) => order[position]).sort()).toEqual(targets);
  });

  it.each([2, 4, 6])('lets each of %i targets follow every other one once', (n) => {
    const targets = Array.from({ length: n }, (_, i) => i);
    const pairs = targets.flatMap((round) => {
      const order = balancedOrder(targets, round);
      return order.slice(1).map((target, i) => `${order[i]}→${target}`);
    });
    expect(new Set(pairs).size).toBe(n * (n - 1));
    expect(pairs).toHaveLength(n * (n - 1));
  });
});
