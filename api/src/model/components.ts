// The REST API's named objects. A zod schema registered here under an id is the one
// description of that object: the controller's TypeScript types are inferred from it, and
// the OpenAPI document (api/src/http/openapi.ts) derives components.schemas.<id> from it,
// with a $ref wherever another registered schema uses it.
import { z } from 'zod';

export const apiComponents = z.registry<{ id: string }>();

/** Registers a schema as components.schemas.<id>. Only this very object is registered: every zod method returns a copy. */
export function component<S extends z.ZodType>(id: string, schema: S): S {
  apiComponents.add(schema, { id });
  return schema;
}
