-- Every timestamp becomes timestamptz. The old columns held UTC wall-clock values (Prisma writes
-- UTC), so each is read AT TIME ZONE 'UTC' rather than in the session's time zone.
-- login_throttles: failed sign-ins per account and client, which alone may be locked.

-- AlterTable
ALTER TABLE "buildings" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC';

-- AlterTable
ALTER TABLE "refresh_tokens" ALTER COLUMN "expires_at" SET DATA TYPE TIMESTAMPTZ(3) USING "expires_at" AT TIME ZONE 'UTC',
ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC',
ALTER COLUMN "rotated_at" SET DATA TYPE TIMESTAMPTZ(3) USING "rotated_at" AT TIME ZONE 'UTC',
ALTER COLUMN "revoked_at" SET DATA TYPE TIMESTAMPTZ(3) USING "revoked_at" AT TIME ZONE 'UTC';

-- AlterTable
ALTER TABLE "signing_keys" ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC',
ALTER COLUMN "retired_at" SET DATA TYPE TIMESTAMPTZ(3) USING "retired_at" AT TIME ZONE 'UTC';

-- AlterTable
ALTER TABLE "user_roles" ALTER COLUMN "granted_at" SET DATA TYPE TIMESTAMPTZ(3) USING "granted_at" AT TIME ZONE 'UTC';

-- AlterTable
ALTER TABLE "users" ALTER COLUMN "last_failed_login_at" SET DATA TYPE TIMESTAMPTZ(3) USING "last_failed_login_at" AT TIME ZONE 'UTC',
ALTER COLUMN "locked_until" SET DATA TYPE TIMESTAMPTZ(3) USING "locked_until" AT TIME ZONE 'UTC',
ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMPTZ(3) USING "created_at" AT TIME ZONE 'UTC',
ALTER COLUMN "updated_at" SET DATA TYPE TIMESTAMPTZ(3) USING "updated_at" AT TIME ZONE 'UTC',
ALTER COLUMN "first_failed_login_at" SET DATA TYPE TIMESTAMPTZ(3) USING "first_failed_login_at" AT TIME ZONE 'UTC';

-- CreateTable
CREATE TABLE "login_throttles" (
    "user_id" UUID NOT NULL,
    "client" TEXT NOT NULL,
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "first_failed_at" TIMESTAMPTZ(3),
    "last_failed_at" TIMESTAMPTZ(3),
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "login_throttles_pkey" PRIMARY KEY ("user_id","client")
);

-- AddForeignKey
ALTER TABLE "login_throttles" ADD CONSTRAINT "login_throttles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

