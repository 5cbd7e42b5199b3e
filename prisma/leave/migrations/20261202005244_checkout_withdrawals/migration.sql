-- The check-out saga (domain spec §9): the system withdraws a leaving student's pending applications
-- (events with no actor, naming the check-out) and reinstates them if the check-out is undone;
-- checkout_withdrawals records what each check-out did, for idempotency and the undo.
-- AlterTable
ALTER TABLE "leave_applications_view" ADD COLUMN     "withdrawn_by_checkout_id" UUID;

-- AlterTable
ALTER TABLE "leave_events" ALTER COLUMN "actor_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "checkout_withdrawals" (
    "checkout_id" UUID NOT NULL,
    "student_id" UUID,
    "application_ids" UUID[],
    "withdrawn_at" TIMESTAMPTZ(3),
    "reinstated_at" TIMESTAMPTZ(3),
    "reinstated_ids" UUID[],

    CONSTRAINT "checkout_withdrawals_pkey" PRIMARY KEY ("checkout_id")
);


-- campus:invariants
-- Only the system's check-out steps, which name their check-out, are recorded without an actor.
ALTER TABLE "leave_events" ADD CONSTRAINT "leave_events_actor_check"
    CHECK ("actor_id" IS NOT NULL OR ("type" IN ('WITHDRAWN', 'REINSTATED') AND "data" ->> 'checkoutId' IS NOT NULL));

-- A row records a withdrawal (with its student) or, as a tombstone, an undo that came first.
ALTER TABLE "checkout_withdrawals" ADD CONSTRAINT "checkout_withdrawals_student_check"
    CHECK (("withdrawn_at" IS NULL) = ("student_id" IS NULL));
ALTER TABLE "checkout_withdrawals" ADD CONSTRAINT "checkout_withdrawals_done_check"
    CHECK ("withdrawn_at" IS NOT NULL OR "reinstated_at" IS NOT NULL);
