-- CreateEnum
CREATE TYPE "CheckoutHoldStatus" AS ENUM ('held', 'finished', 'restored');

-- CreateTable
CREATE TABLE "checkout_holds" (
    "checkout_id" UUID NOT NULL,
    "user_id" UUID,
    "room_id" UUID,
    "previous_is_active" BOOLEAN,
    "previous_check_out_date" DATE,
    "sessions_revoked" INTEGER NOT NULL DEFAULT 0,
    "status" "CheckoutHoldStatus" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "restored_at" TIMESTAMPTZ(3),

    CONSTRAINT "checkout_holds_pkey" PRIMARY KEY ("checkout_id")
);

-- CreateIndex
CREATE INDEX "checkout_holds_room_id_status_idx" ON "checkout_holds"("room_id", "status");

-- CreateIndex
CREATE INDEX "checkout_holds_user_id_idx" ON "checkout_holds"("user_id");

-- CreateIndex
CREATE INDEX "users_check_out_date_idx" ON "users"("check_out_date");

-- AddForeignKey
ALTER TABLE "checkout_holds" ADD CONSTRAINT "checkout_holds_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkout_holds" ADD CONSTRAINT "checkout_holds_room_id_fkey" FOREIGN KEY ("room_id") REFERENCES "rooms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- campus:invariants — enforced by the database itself; Prisma cannot express them (written by hand).
-- A row is a hold (naming its student and what they were) or a tombstone (an undo that came first).
ALTER TABLE "checkout_holds" ADD CONSTRAINT "checkout_holds_shape"
  CHECK (("user_id" IS NOT NULL AND "previous_is_active" IS NOT NULL)
      OR ("user_id" IS NULL AND "status" = 'restored' AND "room_id" IS NULL AND "previous_is_active" IS NULL));
-- Each end of a hold is stamped when it happens, and only then.
ALTER TABLE "checkout_holds" ADD CONSTRAINT "checkout_holds_ends"
  CHECK ((("status" = 'finished') = ("finished_at" IS NOT NULL)) AND (("status" = 'restored') = ("restored_at" IS NOT NULL)));
