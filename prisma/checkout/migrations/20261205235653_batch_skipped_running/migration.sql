-- AlterTable
ALTER TABLE "checkout_batches" ADD COLUMN     "skipped_running" UUID[] DEFAULT ARRAY[]::UUID[];

