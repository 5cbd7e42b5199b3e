-- The campus-wide lists by status, newest first (dutySanctions and dutySwaps without an entrance:
-- educators and the administrator): every filter has an index, and the order needs no sort.
-- CreateIndex
CREATE INDEX "duty_swaps_status_requested_at_id_idx" ON "duty_swaps"("status", "requested_at", "id");

-- CreateIndex
CREATE INDEX "sanctions_status_created_at_id_idx" ON "sanctions"("status", "created_at", "id");

