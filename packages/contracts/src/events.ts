import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Event contracts: one JSON Schema per event type in packages/contracts/events/<type>.json
 * describing the CloudEvent's `data`. docs/events.md is generated from these files
 * (`npm run docs:events`), so the documentation and the validator never disagree.
 */
export const EVENTS_DIR = path.resolve(__dirname, '..', 'events');

export interface EventContract {
  type: string;
  title: string;
  description: string;
  producer: string;
  consumers: string[];
  /** JSON Schema of the CloudEvent's data. */
  schema: Record<string, unknown>;
}

/** The CloudEvents 1.0 structured-mode envelope every campus event uses. */
export const CLOUDEVENT_ENVELOPE_SCHEMA = {
  $id: 'https://campus-sirius.local/schemas/cloudevent-envelope.json',
  type: 'object',
  required: ['specversion', 'id', 'source', 'type', 'time', 'datacontenttype', 'data'],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', minLength: 1 },
    source: { type: 'string', pattern: '^/campus/[a-z_]+$' },
    type: { type: 'string', pattern: '^campus\\.[a-z_]+\\.[a-z_]+\\.[a-z_]+\\.v[0-9]+$' },
    subject: { type: 'string', minLength: 1 },
    time: { type: 'string', format: 'date-time' },
    datacontenttype: { const: 'application/json' },
    traceparent: { type: 'string', pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' },
    data: {},
  },
  additionalProperties: false,
} as const;

interface ContractFile {
  title: string;
  description: string;
  'x-producer': string;
  'x-consumers'?: string[];
  data: Record<string, unknown>;
}

let cache: Map<string, EventContract> | undefined;

export function eventContracts(): Map<string, EventContract> {
  if (cache) return cache;
  cache = new Map();
  if (!fs.existsSync(EVENTS_DIR)) return cache;
  for (const file of fs
    .readdirSync(EVENTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const type = file.replace(/\.json$/, '');
    const raw = JSON.parse(fs.readFileSync(path.join(EVENTS_DIR, file), 'utf8')) as ContractFile;
    cache.set(type, {
      type,
      title: raw.title,
      description: raw.description,
      producer: raw['x-producer'],
      consumers: raw['x-consumers'] ?? [],
      schema: raw.data,
    });
  }
  return cache;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const validateEnvelope = ajv.compile(CLOUDEVENT_ENVELOPE_SCHEMA);
const dataValidators = new Map<string, ValidateFunction>();

export interface EventValidation {
  valid: boolean;
  errors: string[];
}

/** Validates a whole CloudEvent: the envelope, a known type, and `data` against its schema. */
export function validateEvent(event: unknown): EventValidation {
  const errors: string[] = [];
  if (!validateEnvelope(event)) {
    errors.push(...(validateEnvelope.errors ?? []).map((e) => `envelope${e.instancePath} ${e.message}`));
    return { valid: false, errors };
  }
  const { type, data } = event as { type: string; data: unknown };
  const contract = eventContracts().get(type);
  if (!contract) return { valid: false, errors: [`unknown event type ${type}`] };
  let validate = dataValidators.get(type);
  if (!validate) {
    validate = ajv.compile(contract.schema);
    dataValidators.set(type, validate);
  }
  if (!validate(data)) errors.push(...(validate.errors ?? []).map((e) => `data${e.instancePath} ${e.message}`));
  return { valid: errors.length === 0, errors };
}
