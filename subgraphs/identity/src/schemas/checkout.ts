// gRPC requests of the check-out saga's identity step (proto/campus/identity/v1/identity.proto).
import { z } from 'zod';
import { uuidSchema } from './common';

export const deactivateAndVacateRequestSchema = z.object({ userId: uuidSchema, checkoutId: uuidSchema });

export const checkoutStepRequestSchema = z.object({ checkoutId: uuidSchema });
