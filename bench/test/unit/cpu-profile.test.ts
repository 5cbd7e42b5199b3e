import { summarise } from '../../src/cpu-profile';

// (root) → handle (app.js:10) → send (undici's fetch.js:20) → writev (native); handle calls itself
// once; and idle time.
const frame = (id: number, functionName: string, url: string, lineNumber: number, children: number[] = []) => ({
  id,
  callFrame: { functionName, url, lineNumber },
  children,
});
const profile = {
  nodes: [
    frame(1, '(root)', '', -1, [2, 5]),
    frame(2, 'handle', 'file:///x/router/dist/app.js', 9, [3, 6]),
    frame(3, 'send', 'file:///x/node_modules/undici/lib/fetch.js', 19, [4]),
    frame(4, 'writev', '', -1),
    frame(5, '(idle)', '', -1),
    frame(6, 'handle', 'file:///x/router/dist/app.js', 9),
  ],
  samples: [4, 4, 3, 2, 6, 5],
  timeDeltas: [100, 100, 50, 30, 20, 1000],
};

describe('a CPU profile summarised', () => {
  const { total, byFunction, byPackage, onStack } = summarise(profile);

  it('leaves idle time out', () => {
    expect(total).toBe(300);
  });

  it('counts self time by function and by package', () => {
    expect(byFunction.get('writev :0')).toBe(200);
    expect(byFunction.get('send lib/fetch.js:20')).toBe(50);
    expect(byFunction.get('handle dist/app.js:10')).toBe(50);
    expect(byPackage.get('undici')).toBe(50);
    expect(byPackage.get('campus: router')).toBe(50);
  });

  it("counts a function's callees as its time on the stack, once per sample even when it recurses", () => {
    expect(onStack.get('send lib/fetch.js:20')).toBe(250);
    expect(onStack.get('writev :0')).toBe(200);
    expect(onStack.get('handle dist/app.js:10')).toBe(300);
    expect([...onStack.keys()].some((name) => name.startsWith('(root)'))).toBe(false);
  });
});
