-- Personal access tokens (docs/decisions/0019-personal-access-tokens.md). Only the SHA-256 of a secret is stored. A
-- revoked token keeps its row (revoked_at) so the API can say it was revoked; a deleted user's tokens go with them.
CREATE TABLE "personal_access_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "scope" VARCHAR(40) NOT NULL,
    "secret_hash" CHAR(64) NOT NULL,
    "secret_hint" VARCHAR(4) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "personal_access_tokens_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "personal_access_tokens_scope" CHECK ("scope" IN ('tasks:read', 'tasks:read tasks:write'))
);

CREATE UNIQUE INDEX "personal_access_tokens_secret_hash_key" ON "personal_access_tokens"("secret_hash");

CREATE INDEX "personal_access_tokens_user_id_created_at_idx" ON "personal_access_tokens"("user_id", "created_at");

ALTER TABLE "personal_access_tokens" ADD CONSTRAINT "personal_access_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every instance caches the tokens it has verified; a revocation (or the user's deletion, through the cascade)
-- tells them all at commit, on the listener's channel, with the secret's hash, which is what the caches are keyed by.
CREATE FUNCTION "personal_access_tokens_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('taskapp_tokens', OLD.secret_hash);
    RETURN NULL;
END $$;

CREATE TRIGGER "personal_access_tokens_revoked"
    AFTER UPDATE OF "revoked_at", "expires_at", "scope", "user_id", "secret_hash" OR DELETE ON "personal_access_tokens"
    FOR EACH ROW EXECUTE FUNCTION "personal_access_tokens_notify"();
