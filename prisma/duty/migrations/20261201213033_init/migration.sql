-- CreateEnum
CREATE TYPE "duty_status" AS ENUM ('pending', 'report_submitted', 'accepted', 'overdue');

-- CreateEnum
CREATE TYPE "report_status" AS ENUM ('draft', 'submitted', 'accepted', 'rejected');

-- CreateEnum
CREATE TYPE "sanction_status" AS ENUM ('open', 'resolved');

-- CreateEnum
CREATE TYPE "swap_status" AS ENUM ('requested', 'accepted', 'approved', 'declined', 'rejected', 'cancelled');

-- CreateTable
CREATE TABLE "rosters" (
    "id" UUID NOT NULL,
    "building" TEXT NOT NULL,
    "entrance" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "generated_by" UUID NOT NULL,
    "generated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rosters_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "duty_schedules" (
    "id" UUID NOT NULL,
    "roster_id" UUID NOT NULL,
    "room_id" UUID NOT NULL,
    "building" TEXT NOT NULL,
    "entrance" INTEGER NOT NULL,
    "floor" INTEGER NOT NULL,
    "room_number" TEXT NOT NULL,
    "duty_date" DATE NOT NULL,
    "month" TEXT NOT NULL,
    "status" "duty_status" NOT NULL DEFAULT 'pending',
    "deadline_at" TIMESTAMPTZ(3) NOT NULL,
    "evening_reminder_at" TIMESTAMPTZ(3) NOT NULL,
    "morning_reminder_at" TIMESTAMPTZ(3) NOT NULL,
    "evening_reminded_at" TIMESTAMPTZ(3),
    "morning_reminded_at" TIMESTAMPTZ(3),
    "overdue_at" TIMESTAMPTZ(3),
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "duty_schedules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "duty_reports" (
    "id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "status" "report_status" NOT NULL DEFAULT 'draft',
    "submitted_by" UUID,
    "submitted_at" TIMESTAMPTZ(3),
    "reviewed_by" UUID,
    "reviewed_at" TIMESTAMPTZ(3),
    "rejection_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "duty_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_photos" (
    "id" UUID NOT NULL,
    "report_id" UUID NOT NULL,
    "category" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "storage_key" TEXT NOT NULL,
    "uploaded_by" UUID NOT NULL,
    "uploaded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "report_photos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sanctions" (
    "id" UUID NOT NULL,
    "schedule_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "room_id" UUID NOT NULL,
    "building" TEXT NOT NULL,
    "entrance" INTEGER NOT NULL,
    "floor" INTEGER NOT NULL,
    "room_number" TEXT NOT NULL,
    "duty_date" DATE NOT NULL,
    "invited_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "sanction_status" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_by" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "resolution_note" TEXT,

    CONSTRAINT "sanctions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "duty_swaps" (
    "id" UUID NOT NULL,
    "building" TEXT NOT NULL,
    "entrance" INTEGER NOT NULL,
    "from_schedule_id" UUID NOT NULL,
    "to_schedule_id" UUID NOT NULL,
    "from_room_id" UUID NOT NULL,
    "to_room_id" UUID NOT NULL,
    "from_date" DATE NOT NULL,
    "to_date" DATE NOT NULL,
    "status" "swap_status" NOT NULL DEFAULT 'requested',
    "requested_by" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "responded_by" UUID,
    "responded_at" TIMESTAMPTZ(3),
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "duty_swaps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "room_calendar_feeds" (
    "room_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "room_calendar_feeds_pkey" PRIMARY KEY ("room_id")
);

-- CreateTable
CREATE TABLE "upload_links" (
    "token_hash" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "requested_by" UUID NOT NULL,
    "requester_roles" TEXT[],
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "upload_links_pkey" PRIMARY KEY ("token_hash")
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
CREATE UNIQUE INDEX "rosters_building_entrance_month_key" ON "rosters"("building", "entrance", "month");

-- CreateIndex
CREATE INDEX "duty_schedules_building_entrance_month_duty_date_idx" ON "duty_schedules"("building", "entrance", "month", "duty_date");

-- CreateIndex
CREATE INDEX "duty_schedules_room_id_duty_date_idx" ON "duty_schedules"("room_id", "duty_date");

-- CreateIndex
CREATE INDEX "duty_schedules_status_deadline_at_idx" ON "duty_schedules"("status", "deadline_at");

-- CreateIndex
CREATE INDEX "duty_schedules_evening_due_idx" ON "duty_schedules"("evening_reminder_at");

-- CreateIndex
CREATE INDEX "duty_schedules_morning_due_idx" ON "duty_schedules"("morning_reminder_at");

-- CreateIndex
CREATE UNIQUE INDEX "duty_schedules_room_id_duty_date_key" ON "duty_schedules"("room_id", "duty_date");

-- CreateIndex
CREATE INDEX "duty_reports_schedule_id_created_at_idx" ON "duty_reports"("schedule_id", "created_at");

-- CreateIndex
CREATE INDEX "duty_reports_status_submitted_at_idx" ON "duty_reports"("status", "submitted_at");

-- CreateIndex
CREATE INDEX "report_photos_report_id_uploaded_at_idx" ON "report_photos"("report_id", "uploaded_at");

-- CreateIndex
CREATE INDEX "sanctions_user_id_created_at_idx" ON "sanctions"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "sanctions_building_entrance_status_created_at_idx" ON "sanctions"("building", "entrance", "status", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "sanctions_schedule_id_user_id_key" ON "sanctions"("schedule_id", "user_id");

-- CreateIndex
CREATE INDEX "duty_swaps_from_schedule_id_status_idx" ON "duty_swaps"("from_schedule_id", "status");

-- CreateIndex
CREATE INDEX "duty_swaps_to_schedule_id_status_idx" ON "duty_swaps"("to_schedule_id", "status");

-- CreateIndex
CREATE INDEX "duty_swaps_building_entrance_status_requested_at_idx" ON "duty_swaps"("building", "entrance", "status", "requested_at");

-- CreateIndex
CREATE INDEX "duty_swaps_from_room_id_requested_at_idx" ON "duty_swaps"("from_room_id", "requested_at");

-- CreateIndex
CREATE INDEX "duty_swaps_to_room_id_requested_at_idx" ON "duty_swaps"("to_room_id", "requested_at");

-- CreateIndex
CREATE UNIQUE INDEX "room_calendar_feeds_token_hash_key" ON "room_calendar_feeds"("token_hash");

-- CreateIndex
CREATE INDEX "upload_links_expires_at_idx" ON "upload_links"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_published_at_next_attempt_at_seq_idx" ON "outbox"("published_at", "next_attempt_at", "seq");

-- AddForeignKey
ALTER TABLE "duty_schedules" ADD CONSTRAINT "duty_schedules_roster_id_fkey" FOREIGN KEY ("roster_id") REFERENCES "rosters"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "duty_reports" ADD CONSTRAINT "duty_reports_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "duty_schedules"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_photos" ADD CONSTRAINT "report_photos_report_id_fkey" FOREIGN KEY ("report_id") REFERENCES "duty_reports"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sanctions" ADD CONSTRAINT "sanctions_schedule_id_fkey" FOREIGN KEY ("schedule_id") REFERENCES "duty_schedules"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

