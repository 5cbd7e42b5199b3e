-- CreateEnum
CREATE TYPE "saga_status" AS ENUM ('running', 'compensating', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "checkout_batches" (
    "id" UUID NOT NULL,
    "requested_by" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "cohort" JSONB,
    "total" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "checkout_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkout_sagas" (
    "id" UUID NOT NULL,
    "batch_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "student_name" TEXT NOT NULL,
    "room" JSONB,
    "requested_by" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "saga_status" NOT NULL,
    "step" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "step_started_at" TIMESTAMPTZ(3) NOT NULL,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "deadline_at" TIMESTAMPTZ(3) NOT NULL,
    "lease_until" TIMESTAMPTZ(3),
    "done_steps" TEXT[],
    "to_compensate" TEXT[],
    "compensated" TEXT[],
    "failure_step" TEXT,
    "failure_code" TEXT,
    "failure_reason" TEXT,
    "failure_details" JSONB,
    "last_error" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "checkout_sagas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkout_step_runs" (
    "id" BIGSERIAL NOT NULL,
    "saga_id" UUID NOT NULL,
    "step" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "error_code" TEXT,
    "message" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,

    CONSTRAINT "checkout_step_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "traceparent" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "checkout_batches_created_at_idx" ON "checkout_batches"("created_at" DESC);

-- CreateIndex
CREATE INDEX "checkout_batches_requested_by_created_at_idx" ON "checkout_batches"("requested_by", "created_at" DESC);

-- CreateIndex
CREATE INDEX "checkout_sagas_batch_id_status_idx" ON "checkout_sagas"("batch_id", "status");

-- CreateIndex
CREATE INDEX "checkout_sagas_batch_id_student_name_idx" ON "checkout_sagas"("batch_id", "student_name");

-- CreateIndex
CREATE INDEX "checkout_sagas_student_id_idx" ON "checkout_sagas"("student_id");

-- CreateIndex
CREATE INDEX "checkout_step_runs_saga_id_id_idx" ON "checkout_step_runs"("saga_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_published_at_next_attempt_at_seq_idx" ON "outbox"("published_at", "next_attempt_at", "seq");

-- AddForeignKey
ALTER TABLE "checkout_sagas" ADD CONSTRAINT "checkout_sagas_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "checkout_batches"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkout_step_runs" ADD CONSTRAINT "checkout_step_runs_saga_id_fkey" FOREIGN KEY ("saga_id") REFERENCES "checkout_sagas"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- campus:invariants — enforced by the database itself; Prisma cannot express them (written by hand).
-- A student has at most one check-out in progress (two batches naming them: the second is refused).
CREATE UNIQUE INDEX "checkout_sagas_one_active_per_student" ON "checkout_sagas" ("student_id")
  WHERE "status" IN ('running', 'compensating');
-- What the runner's claim scans: sagas in progress by due time (ended sagas stay out of the index).
CREATE INDEX "checkout_sagas_due" ON "checkout_sagas" ("next_attempt_at")
  WHERE "status" IN ('running', 'compensating');
