// The controller's HTTPS certificate as the API describes it (GET /api/v1/tls): public facts
// only, never the key.
import { z } from 'zod';
import { component } from './components.js';
import { timestamp } from './fields.js';

export const controllerTlsSchema = component(
  'ControllerTls',
  z
    .object({
      /** True when the controller itself serves HTTPS (http.tls); false over plain HTTP. */
      https: z.boolean(),
      certificate: z
        .object({
          /** SHA-256 of the certificate, `AB:CD:…` (95 characters): what agents pin. */
          fingerprint256: z.string().regex(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/),
          subject: z.string().max(4096),
          validFrom: timestamp,
          validTo: timestamp,
          /** `configured` (http.tls.certFile) or `generated` at first start in the data folder. */
          source: z.enum(['configured', 'generated']),
        })
        .strict()
        .nullable(),
    })
    .strict(),
);
export type ControllerTls = z.infer<typeof controllerTlsSchema>;
