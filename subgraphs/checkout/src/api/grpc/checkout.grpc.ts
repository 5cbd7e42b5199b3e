import { checkoutService, toTimestamp } from '@campus/contracts';
import { grpcService, parseInput, type GrpcServiceBinding } from '@campus/platform';
import { checkoutIdSchema } from '../../schemas/checkout';
import type { CheckoutServices } from '../../services';

/** campus.checkout.v1.CheckoutService (proto/campus/checkout/v1/checkout.proto): where one check-out stands. */
export function checkoutGrpcService({ queries }: CheckoutServices): GrpcServiceBinding {
  return grpcService(checkoutService, {
    GetCheckOut: async (request) => {
      const { checkoutId } = parseInput(
        checkoutIdSchema,
        { checkoutId: request.checkoutId },
        'Invalid GetCheckOut request',
      );
      const saga = await queries.checkOut(checkoutId);
      return {
        checkoutId: saga.id,
        batchId: saga.batchId,
        studentId: saga.studentId,
        status: saga.status,
        step: saga.step,
        failureCode: saga.failure?.code ?? '',
        failureReason: saga.failure?.reason ?? '',
        createdAt: toTimestamp(saga.createdAt),
        updatedAt: toTimestamp(saga.updatedAt),
      };
    },
  });
}
