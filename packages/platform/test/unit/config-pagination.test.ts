import { z } from 'zod';
import { ConfigError, baseEnv, databaseEnv, loadConfig } from '../../src/config';
import { pageOf, pageRequest } from '../../src/pagination';

describe('loadConfig', () => {
  const schema = z.object({ ...baseEnv, ...databaseEnv });

  it('applies defaults and coerces numbers', () => {
    const config = loadConfig(schema, { HTTP_PORT: '4001', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x' });
    expect(config).toMatchObject({ HTTP_PORT: 4001, DB_POOL_SIZE: 10, BIND_HOST: '127.0.0.1', LOG_LEVEL: 'info' });
  });

  it('names every missing or bad variable in one error', () => {
    try {
      loadConfig(schema, { HTTP_PORT: 'abc', DATABASE_URL: 'mysql://x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('HTTP_PORT');
      expect(message).toContain('DATABASE_URL');
    }
  });
});

describe('pagination', () => {
  it('computes offsets and page counts', () => {
    const req = pageRequest(3, 20);
    expect(req).toEqual({ page: 3, size: 20, skip: 40, take: 20 });
    expect(pageOf(['a'], 41, req)).toEqual({ items: ['a'], total: 41, page: 3, size: 20, pages: 3 });
    expect(pageRequest(undefined, null)).toMatchObject({ page: 1, size: 20 });
  });

  it('refuses pages below 1 and sizes above the bound', () => {
    expect(() => pageRequest(0, 10)).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
    expect(() => pageRequest(1, 101)).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
    expect(() => pageRequest(1.5, 10)).toThrow(expect.objectContaining({ code: 'VALIDATION_ERROR' }));
  });
});
