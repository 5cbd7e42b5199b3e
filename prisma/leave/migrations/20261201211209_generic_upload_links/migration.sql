-- Upload links move to the platform's generic table (UPLOAD_LINK_PRISMA_MODEL): the application's id
-- becomes subject_id (text), the document kind plain text. Outstanding links keep working.
ALTER TABLE "upload_links" RENAME COLUMN "application_id" TO "subject_id";
ALTER TABLE "upload_links" ALTER COLUMN "subject_id" SET DATA TYPE TEXT;
ALTER TABLE "upload_links" ALTER COLUMN "kind" SET DATA TYPE TEXT USING "kind"::TEXT;
