-- Stream tickets: the ticket's own expiry, the expiry of the token it was created with, and when it
-- was used (a second use is refused as `used`, not as `unknown`). Until now expires_at held the
-- token's expiry and redeeming deleted the row.
ALTER TABLE "stream_tickets" ADD COLUMN     "credentials_expire_at" TIMESTAMPTZ(3),
ADD COLUMN     "used_at" TIMESTAMPTZ(3);

-- Tickets issued before this migration: expires_at was the token's expiry; a ticket never lived
-- longer than 10 minutes (STREAM_TICKET_TTL_SECONDS ≤ 600).
UPDATE "stream_tickets"
SET "credentials_expire_at" = "expires_at",
    "expires_at" = LEAST("expires_at", "created_at" + INTERVAL '10 minutes');

ALTER TABLE "stream_tickets" ALTER COLUMN "credentials_expire_at" SET NOT NULL;
