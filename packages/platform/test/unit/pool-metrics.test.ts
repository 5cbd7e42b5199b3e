import { createDatabasePool, registerPoolMetrics } from '../../src/database';
import { Metrics } from '../../src/metrics';

/** The value of a sample of `name` with exactly these labels (besides the default `service`). */
async function sample(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`${name} is not registered`);
  const { values } = await metric.get();
  const found = values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  if (!found) throw new Error(`${name} has no sample ${JSON.stringify(labels)}`);
  return found.value;
}

describe('registerPoolMetrics', () => {
  // A pool that never connects: nothing is queried, the gauges only read its counters.
  const pool = createDatabasePool('postgresql://nobody@127.0.0.1:1/none', 7);
  afterAll(() => pool.end());

  it('reports the pool size next to its connections, so saturation can be computed', async () => {
    const metrics = new Metrics('demo');
    registerPoolMetrics(metrics, pool);

    expect(await sample(metrics, 'campus_db_pool_max_connections')).toBe(7);
    expect(await sample(metrics, 'campus_db_pool_connections', { state: 'total' })).toBe(0);
    expect(await sample(metrics, 'campus_db_pool_connections', { state: 'idle' })).toBe(0);
    expect(await sample(metrics, 'campus_db_pool_connections', { state: 'waiting' })).toBe(0);
    const text = await metrics.registry.metrics();
    expect(text).toContain('campus_db_pool_max_connections{service="demo"} 7');
  });
});
