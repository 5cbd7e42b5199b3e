-- AlterTable
ALTER TABLE "signing_keys" ADD COLUMN     "activates_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Keys made before activation times signed from their creation.
UPDATE "signing_keys" SET "activates_at" = "created_at";
