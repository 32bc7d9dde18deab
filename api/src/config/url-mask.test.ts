import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { maskUrlSecrets } from './url-mask.js';

describe('maskUrlSecrets', () => {
  test('user information and password parameters are masked, the rest reads as typed', () => {
    const cases: [string, string][] = [
      ['postgres://app:s3cret@db.example:5432/twinrec', 'postgres://app:********@db.example:5432/twinrec'],
      ['postgres://app@db.example/twinrec?password=s3cret&sslmode=require', 'postgres://app@db.example/twinrec?password=********&sslmode=require'],
      ['postgresql://db/twinrec?sslmode=verify-full&sslpassword=k3y&PWD=x&user=app', 'postgresql://db/twinrec?sslmode=verify-full&sslpassword=********&PWD=********&user=app'],
      ['mssql://sa:p%40ss@sql:1433/db?encrypt=true', 'mssql://sa:********@sql:1433/db?encrypt=true'],
      ['postgres://app:p@ss@db/twinrec', 'postgres://app:********@db/twinrec'],
      ['postgres://app:pa?ss@db/twinrec', 'postgres://app:********@db/twinrec'],
      ['postgres://app:pa/ss@db/twinrec', 'postgres://app:********@db/twinrec'],
      ['mssql://sql/db;Password=s3cret;encrypt=true', 'mssql://sql/db;Password=********;encrypt=true'],
      ['sqlite:./data/twinrec.sqlite', 'sqlite:./data/twinrec.sqlite'],
      ['postgres://db.example/twinrec?application_name=a@b', 'postgres://db.example/twinrec?application_name=a@b'],
    ];
    for (const [url, masked] of cases) assert.equal(maskUrlSecrets(url), masked, url);
  });

  test('a password put in the user information or a password parameter never shows, whatever it holds', () => {
    const password = fc.string({ minLength: 6, maxLength: 40 }).filter((p) => !/[\s]/.test(p) && !'********'.includes(p));
    fc.assert(
      fc.property(password, fc.constantFrom('postgres', 'mssql'), (secret, scheme) => {
        for (const url of [`${scheme}://app:${secret}@db.example:5432/twinrec`, `${scheme}://app:${encodeURIComponent(secret)}@db/twinrec`, `${scheme}://db/twinrec?password=${encodeURIComponent(secret)}`]) {
          const masked = maskUrlSecrets(url);
          assert.ok(!masked.includes(secret) && !masked.includes(encodeURIComponent(secret)), `${url} → ${masked}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});
