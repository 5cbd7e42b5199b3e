import { dsoKind, gcShare, parsePerfReport, symbolName } from '../../src/perf-record';

describe('perf report summaries', () => {
  it('reads share, samples and name of each line, and nothing else', () => {
    const text = [
      '',
      '    55.03%          7945  node               ',
      '    18.45%          2664  [JIT] tid 6543     ',
      '     8.53%          1231  [k] pvm_irq_enable',
      '',
      '#',
      '# (Tip: use --children)',
    ].join('\n');
    expect(parsePerfReport(text)).toEqual([
      { percent: 55.03, samples: 7945, name: 'node' },
      { percent: 18.45, samples: 2664, name: '[JIT] tid 6543' },
      { percent: 8.53, samples: 1231, name: '[k] pvm_irq_enable' },
    ]);
  });

  it("adds up V8's garbage collector's symbols, and only them", () => {
    const lines = parsePerfReport(
      [
        '  1.42%  205  [.] v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>',
        '  1.09%  157  [.] v8::internal::ConcurrentMarking::RunMajor',
        '  0.24%   35  [.] v8::internal::Sweeper::RawSweep',
        '  3.46%  499  [.] Builtins_LoadIC',
        '  1.21%  175  [.] JS:*updateOutputValue /work/main/router/dist/result-shaping.js:117:27',
      ].join('\n'),
    );
    expect(gcShare(lines)).toBeCloseTo(2.75);
  });

  it('names what a shared object stands for', () => {
    expect(dsoKind('[JIT] tid 6543')).toBe('JavaScript (JIT code)');
    expect(dsoKind('[kernel.kallsyms]')).toBe('kernel');
    expect(dsoKind('node')).toMatch(/^node binary/);
    expect(dsoKind('libc.so.6')).toBe('libc.so.6');
  });
});

describe('perf symbol names', () => {
  it('drops the prefixes every line repeats', () => {
    expect(symbolName('[.] JS:*updateOutputValue /work/main/router/dist/result-shaping.js:117:27')).toBe(
      'updateOutputValue router/dist/result-shaping.js:117:27',
    );
    expect(symbolName('[.] JS:*_resume /work/main/node_modules/undici/lib/dispatcher/client.js:538:18')).toBe(
      '_resume undici/lib/dispatcher/client.js:538:18',
    );
    expect(symbolName('[.] v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>')).toBe(
      'Scavenger::ScavengeObject<FullHeapObjectSlot>',
    );
    expect(symbolName('[k] pvm_irq_enable')).toBe('[k] pvm_irq_enable');
  });
});
