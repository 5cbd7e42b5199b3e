-- CreateTable
CREATE TABLE "checkout_restores" (
    "checkout_id" UUID NOT NULL,
    "restored_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "checkout_restores_pkey" PRIMARY KEY ("checkout_id")
);

