-- CreateEnum
CREATE TYPE "LeaveStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "DocumentKind" AS ENUM ('signed_application', 'parent_letter', 'voice_message');

-- CreateTable
CREATE TABLE "leave_events" (
    "position" BIGSERIAL NOT NULL,
    "stream_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "actor_id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "trace_id" TEXT,

    CONSTRAINT "leave_events_pkey" PRIMARY KEY ("position")
);

-- CreateTable
CREATE TABLE "leave_applications_view" (
    "id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "LeaveStatus" NOT NULL,
    "applicant_id" UUID NOT NULL,
    "leave_at" TIMESTAMPTZ(3) NOT NULL,
    "return_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "contact_phone" TEXT NOT NULL,
    "is_minor" BOOLEAN NOT NULL,
    "building" TEXT,
    "entrance" INTEGER,
    "floor" INTEGER,
    "room" TEXT,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,
    "withdrawn_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "leave_applications_view_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "leave_documents_view" (
    "id" UUID NOT NULL,
    "application_id" UUID NOT NULL,
    "kind" "DocumentKind" NOT NULL,
    "content_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "duration_seconds" DOUBLE PRECISION,
    "storage_key" TEXT NOT NULL,
    "uploaded_by" UUID NOT NULL,
    "uploaded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "leave_documents_view_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "upload_links" (
    "token_hash" TEXT NOT NULL,
    "application_id" UUID NOT NULL,
    "kind" "DocumentKind" NOT NULL,
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
CREATE UNIQUE INDEX "leave_events_stream_id_version_key" ON "leave_events"("stream_id", "version");

-- CreateIndex
CREATE INDEX "leave_applications_view_status_submitted_at_idx" ON "leave_applications_view"("status", "submitted_at" DESC);

-- CreateIndex
CREATE INDEX "leave_applications_view_applicant_id_submitted_at_idx" ON "leave_applications_view"("applicant_id", "submitted_at" DESC);

-- CreateIndex
CREATE INDEX "leave_applications_view_building_entrance_room_idx" ON "leave_applications_view"("building", "entrance", "room");

-- CreateIndex
CREATE INDEX "leave_applications_view_leave_at_return_at_idx" ON "leave_applications_view"("leave_at", "return_at");

-- CreateIndex
CREATE INDEX "leave_applications_view_return_at_idx" ON "leave_applications_view"("return_at");

-- CreateIndex
CREATE INDEX "leave_applications_view_submitted_at_idx" ON "leave_applications_view"("submitted_at" DESC);

-- CreateIndex
CREATE INDEX "leave_applications_view_applicant_id_status_leave_at_return_idx" ON "leave_applications_view"("applicant_id", "status", "leave_at", "return_at");

-- CreateIndex
CREATE INDEX "leave_documents_view_application_id_uploaded_at_idx" ON "leave_documents_view"("application_id", "uploaded_at");

-- CreateIndex
CREATE INDEX "upload_links_expires_at_idx" ON "upload_links"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_seq_key" ON "outbox"("seq");

-- CreateIndex
CREATE INDEX "outbox_published_at_next_attempt_at_seq_idx" ON "outbox"("published_at", "next_attempt_at", "seq");

-- AddForeignKey
ALTER TABLE "leave_documents_view" ADD CONSTRAINT "leave_documents_view_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "leave_applications_view"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The event store is append-only: history is the audit trail (kept at least one year), so rows
-- may never be changed or removed. Not expressible in schema.prisma; Prisma does not introspect
-- triggers, so this adds no drift.
CREATE FUNCTION "leave_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'leave_events is append-only (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "leave_events_no_update_delete" BEFORE UPDATE OR DELETE ON "leave_events"
    FOR EACH ROW EXECUTE FUNCTION "leave_events_append_only"();

CREATE TRIGGER "leave_events_no_truncate" BEFORE TRUNCATE ON "leave_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "leave_events_append_only"();
