-- CreateEnum
CREATE TYPE "PatrolStatus" AS ENUM ('in_progress', 'completed');

-- CreateEnum
CREATE TYPE "PatrolEntryStatus" AS ENUM ('unchecked', 'present', 'absent');

-- CreateTable
CREATE TABLE "patrols" (
    "id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "building" TEXT NOT NULL,
    "entrance" INTEGER NOT NULL,
    "status" "PatrolStatus" NOT NULL DEFAULT 'in_progress',
    "evening_at" TIMESTAMPTZ(3) NOT NULL,
    "started_by" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_by" UUID,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "patrols_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "patrol_entries" (
    "id" UUID NOT NULL,
    "patrol_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "full_name" TEXT,
    "room" TEXT,
    "status" "PatrolEntryStatus" NOT NULL DEFAULT 'unchecked',
    "reason" TEXT,
    "leave_application_id" UUID,
    "leave_reason" TEXT,
    "added_manually" BOOLEAN NOT NULL DEFAULT false,
    "checked_by" UUID,
    "checked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patrol_entries_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "patrols_building_entrance_date_idx" ON "patrols"("building", "entrance", "date" DESC);

-- CreateIndex
CREATE INDEX "patrols_status_date_idx" ON "patrols"("status", "date" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "patrols_date_building_entrance_key" ON "patrols"("date", "building", "entrance");

-- CreateIndex
CREATE UNIQUE INDEX "patrol_entries_patrol_id_student_id_key" ON "patrol_entries"("patrol_id", "student_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_published_at_next_attempt_at_seq_idx" ON "outbox"("published_at", "next_attempt_at", "seq");

-- AddForeignKey
ALTER TABLE "patrol_entries" ADD CONSTRAINT "patrol_entries_patrol_id_fkey" FOREIGN KEY ("patrol_id") REFERENCES "patrols"("id") ON DELETE CASCADE ON UPDATE CASCADE;

