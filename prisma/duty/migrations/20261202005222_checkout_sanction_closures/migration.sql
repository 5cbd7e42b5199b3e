-- The check-out saga's duty step: a leaving student's open sanctions are resolved on the check-out's
-- behalf (resolved_by null, resolved_by_checkout_id set) and reopened if the check-out fails;
-- checkout_sanction_closures records each check-out's step once (idempotency, tombstones).
-- AlterTable
ALTER TABLE "sanctions" ADD COLUMN     "resolved_by_checkout_id" UUID;

-- CreateTable
CREATE TABLE "checkout_sanction_closures" (
    "checkout_id" UUID NOT NULL,
    "user_id" UUID,
    "sanction_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "closed_at" TIMESTAMPTZ(3),
    "reopened_sanction_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "reopened_at" TIMESTAMPTZ(3),

    CONSTRAINT "checkout_sanction_closures_pkey" PRIMARY KEY ("checkout_id")
);

-- campus:invariants — enforced by the database itself; Prisma cannot express them (written by hand).
-- A sanction closed by a check-out is resolved, and by nobody in person.
ALTER TABLE "sanctions" ADD CONSTRAINT "sanctions_checkout_resolution"
  CHECK ("resolved_by_checkout_id" IS NULL OR ("status" = 'resolved' AND "resolved_by" IS NULL));
-- A row is a close (naming its student; possibly undone later) or a tombstone (a reopen that came first).
ALTER TABLE "checkout_sanction_closures" ADD CONSTRAINT "checkout_sanction_closures_shape"
  CHECK (("user_id" IS NULL) = ("closed_at" IS NULL) AND ("closed_at" IS NOT NULL OR "reopened_at" IS NOT NULL));
