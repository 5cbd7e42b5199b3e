import { PrismaClient } from '../../src/generated/prisma/client';
test('loads', () => { expect(PrismaClient).toBeDefined(); });
