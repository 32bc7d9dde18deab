// Generates the web console's API types (web/src/api/openapi.ts) from the OpenAPI document
// (`openApiDocument`, api/src/http/openapi.ts, its objects derived from api/src/model/) with openapi-typescript, so the console is
// type-checked against the contract the controller validates its requests and responses by.
//
//   npm run openapi:types                                     writes the file (npm run build does too)
//   node --import tsx scripts/openapi-types.ts --check        fails if the file is stale
//
// test/openapi-types.test.ts regenerates in memory and fails when the checked-in file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, type OpenAPI3, type OpenAPITSOptions } from 'openapi-typescript';
import { openApiDocument } from '../api/src/http/openapi.js';

/** The generated file, from the repository root. */
export const openApiTypesFile = 'web/src/api/openapi.ts';
export const openApiTypesPath = fileURLToPath(new URL(`../${openApiTypesFile}`, import.meta.url));
export const regenerateCommand = 'npm run openapi:types';

const header = `// GENERATED FILE: do not edit. Made by scripts/openapi-types.ts with openapi-typescript from the
// OpenAPI document (openApiDocument, api/src/http/openapi.ts). After changing the document,
// regenerate it with \`${regenerateCommand}\` (npm run build does too) and commit the result;
// test/openapi-types.test.ts fails while it is stale. The console imports it through
// web/src/api/types.ts.

`;

const options: OpenAPITSOptions = {
  // `{ type: 'object' }` without properties (Event.data) is an open object: Record<string, unknown>, not Record<string, never>.
  emptyObjectsUnknown: true,
  // The same types serve requests and answers: a field with a default may be left out of a request.
  defaultNonNullable: false,
};

/** The file's whole text: the same document always gives the same text. */
export async function generateOpenApiTypes({ silent = true }: { silent?: boolean } = {}): Promise<string> {
  // A copy: the document is a readonly constant, and openapi-typescript's bundler may annotate what it is given.
  const document = structuredClone(openApiDocument) as unknown as OpenAPI3;
  const ast = await openapiTS(document, { ...options, silent });
  return `${header}${astToString(ast).trimEnd()}\n`;
}

/** The checked-in file's text, or null when there is none. */
export function readOpenApiTypes(): string | null {
  try {
    return readFileSync(openApiTypesPath, 'utf8');
  } catch {
    return null;
  }
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const generated = await generateOpenApiTypes({ silent: false });
  const current = readOpenApiTypes();
  if (current === generated) {
    if (check) console.log(`openapi-types: ${openApiTypesFile} is up to date`);
    return 0;
  }
  if (check) {
    console.error(`openapi-types: ${openApiTypesFile} is ${current === null ? 'missing' : 'stale'}: run \`${regenerateCommand}\` and commit it`);
    return 1;
  }
  writeFileSync(openApiTypesPath, generated);
  console.log(`openapi-types: wrote ${openApiTypesFile}${current === null ? '' : ' (it was stale: commit it)'}`);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
