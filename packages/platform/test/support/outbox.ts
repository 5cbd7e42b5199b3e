// The outbox table the relay reads (the columns of the services' outbox migrations), for relay tests on a bare database.
export const OUTBOX_DDL = `CREATE TABLE outbox (
  id uuid PRIMARY KEY, seq bigserial UNIQUE, type text NOT NULL, payload jsonb NOT NULL, traceparent text,
  created_at timestamptz(3) NOT NULL DEFAULT now(), published_at timestamptz(3), attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz(3) NOT NULL DEFAULT now(), last_error text)`;
