// zod as the console runs it: without its JIT. The console's CSP allows no eval, and zod, unless
// told, probes for `new Function` while it builds an object schema; Chromium reports each probe
// as a CSP violation, even though zod catches the refusal. lib/policy.ts imports this first, so
// it runs before the wire contract (contracts/cluster-policy-v1.ts) builds its schemas.
import { config } from 'zod';

config({ jitless: true });
