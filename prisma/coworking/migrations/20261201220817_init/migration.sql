-- CreateEnum
CREATE TYPE "booking_status" AS ENUM ('pending', 'approved', 'rejected', 'key_taken', 'key_return_requested', 'key_returned', 'completed', 'cancelled');

-- CreateTable
CREATE TABLE "coworkings" (
    "id" UUID NOT NULL,
    "building" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "capacity" INTEGER NOT NULL,
    "available" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "coworkings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bookings" (
    "id" UUID NOT NULL,
    "coworking_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "booking_status" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "rejection_reason" TEXT,
    "key_taken_at" TIMESTAMPTZ(3),
    "key_taken_by" UUID,
    "key_return_requested_at" TIMESTAMPTZ(3),
    "key_return_requested_by" UUID,
    "key_returned_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "completed_by" UUID,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancelled_by" UUID,
    "cancelled_by_checkout_id" UUID,
    "last_night_reminder_at" TIMESTAMPTZ(3),
    "night_reminder_count" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "bookings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkout_releases" (
    "checkout_id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "previous_status" "booking_status" NOT NULL,
    "released_at" TIMESTAMPTZ(3) NOT NULL,
    "restored_at" TIMESTAMPTZ(3),
    "restore_outcome" TEXT,

    CONSTRAINT "checkout_releases_pkey" PRIMARY KEY ("checkout_id","booking_id")
);

-- CreateTable
CREATE TABLE "night_reminders" (
    "booking_id" UUID NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "night_reminders_pkey" PRIMARY KEY ("booking_id","due_at")
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
CREATE UNIQUE INDEX "coworkings_building_name_key" ON "coworkings"("building", "name");

-- CreateIndex
CREATE INDEX "bookings_coworking_id_starts_at_idx" ON "bookings"("coworking_id", "starts_at");

-- CreateIndex
CREATE INDEX "bookings_student_id_starts_at_idx" ON "bookings"("student_id", "starts_at");

-- CreateIndex
CREATE INDEX "bookings_status_starts_at_idx" ON "bookings"("status", "starts_at");

-- CreateIndex
CREATE INDEX "bookings_starts_at_idx" ON "bookings"("starts_at");

-- CreateIndex
CREATE INDEX "bookings_ends_at_idx" ON "bookings"("ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_published_at_next_attempt_at_seq_idx" ON "outbox"("published_at", "next_attempt_at", "seq");

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_coworking_id_fkey" FOREIGN KEY ("coworking_id") REFERENCES "coworkings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- campus:invariants — enforced by the database itself; Prisma cannot express them (written by hand).
-- Two educators approving overlapping slots of one coworking at the same moment: only one commits.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlapping_slots"
  EXCLUDE USING gist ("coworking_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" IN ('approved', 'key_taken', 'key_return_requested', 'key_returned'));
-- At most one booking holds a coworking's key.
CREATE UNIQUE INDEX "bookings_one_key_holder" ON "bookings" ("coworking_id")
  WHERE "status" IN ('key_taken', 'key_return_requested', 'key_returned');
-- A student has at most one active booking.
CREATE UNIQUE INDEX "bookings_one_active_per_student" ON "bookings" ("student_id")
  WHERE "status" IN ('pending', 'approved', 'key_taken', 'key_return_requested', 'key_returned');
-- The slot is a real interval.
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_slot_order" CHECK ("ends_at" > "starts_at");
