// Answers sent without express's response validator (the agents' calls, the direct paths) are
// held to the document's schemas here when http.validateResponses is on (tests).
import type { z } from 'zod';

/** `value` when `schema` takes it as it is; else an error (a 500 from the error handler) that names the mismatch. */
export function checkedAnswer<T>(schema: z.ZodType<T>, value: T): T {
  const checked = schema.safeParse(value);
  if (!checked.success) throw new Error(`the answer does not match the API schema: ${checked.error.issues.map((i) => `/${i.path.join('/')} ${i.message}`).join('; ')}`);
  return value;
}
