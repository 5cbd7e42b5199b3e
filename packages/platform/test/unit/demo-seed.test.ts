import { demoSeedRefusal } from '../../src/demo-seed';

describe('demo seed guard', () => {
  it('refuses production, even with SEED_DEMO=true', () => {
    expect(demoSeedRefusal({ NODE_ENV: 'production' })).toMatch(/production/);
    expect(demoSeedRefusal({ NODE_ENV: 'production', SEED_DEMO: 'true' })).toMatch(/production/);
  });

  it('runs elsewhere unless SEED_DEMO=false, and refuses a value it does not understand', () => {
    expect(demoSeedRefusal({})).toBeUndefined();
    expect(demoSeedRefusal({ NODE_ENV: 'test', SEED_DEMO: 'true' })).toBeUndefined();
    expect(demoSeedRefusal({ SEED_DEMO: 'false' })).toBe('SEED_DEMO=false');
    expect(demoSeedRefusal({ SEED_DEMO: 'yes' })).toMatch(/"true" or "false"/);
  });
});
