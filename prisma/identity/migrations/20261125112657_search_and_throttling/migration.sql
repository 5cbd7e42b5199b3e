-- pg_trgm backs the case-insensitive substring search of users (GIN trigram indexes below). It is
-- created here rather than declared in schema.prisma: the adapter-based Prisma CLI cannot
-- introspect extensions, so a declaration would show up as a permanent drift.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "first_failed_login_at" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "refresh_tokens_expires_at_idx" ON "refresh_tokens"("expires_at");

-- CreateIndex
CREATE INDEX "users_is_active_idx" ON "users"("is_active");

-- CreateIndex
CREATE INDEX "users_email_trgm_idx" ON "users" USING GIN ("email" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "users_first_name_trgm_idx" ON "users" USING GIN ("first_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "users_last_name_trgm_idx" ON "users" USING GIN ("last_name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "users_patronymic_trgm_idx" ON "users" USING GIN ("patronymic" gin_trgm_ops);

