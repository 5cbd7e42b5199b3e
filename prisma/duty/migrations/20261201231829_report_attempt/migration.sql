-- Each report of a duty gets its attempt number (1, 2 after a rejection…): the order of the
-- history, independent of clock resolution. Existing reports are numbered by creation time.
-- AlterTable
ALTER TABLE "duty_reports" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1;

UPDATE "duty_reports" AS r SET "attempt" = n.attempt
  FROM (SELECT "id", row_number() OVER (PARTITION BY "schedule_id" ORDER BY "created_at", "id") AS attempt
          FROM "duty_reports") AS n
 WHERE r."id" = n."id";

-- CreateIndex
CREATE UNIQUE INDEX "duty_reports_schedule_id_attempt_key" ON "duty_reports"("schedule_id", "attempt");
