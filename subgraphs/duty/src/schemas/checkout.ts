// Input of the check-out saga's duty step (gRPC, from the checkout orchestrator), validated here
// only (platform `parseInput`): malformed ids are the shared VALIDATION_ERROR.
import { z } from 'zod';

const id = z.guid('must be a UUID');

export const closeSanctionsForCheckoutSchema = z.object({ userId: id, checkoutId: id });

export const reopenSanctionsForCheckoutSchema = z.object({ checkoutId: id });
