// kafka/client.ts extraCa: the CA store TLS to Kafka uses when the `bgpcap` command's shell line took
// NODE_EXTRA_CA_CERTS away from node (src/cli.ts). produce-consume.test.ts checks the trust end to end.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { extraCa, EXTRA_CA_ENV } from '../../src/kafka/client.js';
import { tempDir } from './helpers.js';

const tmp = tempDir('bgpcap-extra-ca-');
afterAll(() => tmp.cleanup());

describe('extraCa', () => {
  it("is node's bundled roots and the file's text when the variable was handed over", () => {
    const f = join(tmp.dir, 'ca.pem');
    writeFileSync(f, '-----BEGIN CERTIFICATE-----\nnot checked here\n-----END CERTIFICATE-----\n');
    const ca = extraCa({ [EXTRA_CA_ENV]: f }, () => expect.fail('no warning expected'));
    expect(ca).toBeDefined();
    expect(ca!.length).toBe(rootCertificates.length + 1);
    expect(ca!.slice(0, -1)).toEqual([...rootCertificates]);
    expect(String(ca![ca!.length - 1])).toContain('not checked here');
  });

  it("is node's own store (undefined) when nothing was handed over", () => {
    expect(extraCa({}, () => expect.fail('no warning expected'))).toBeUndefined();
    expect(extraCa({ [EXTRA_CA_ENV]: '' }, () => expect.fail('no warning expected'))).toBeUndefined();
  });

  it('warns about a file it cannot read, naming it, and goes on with the roots as node does', () => {
    const lines: string[] = [];
    const f = join(tmp.dir, 'missing.pem');
    expect(extraCa({ [EXTRA_CA_ENV]: f }, (l) => lines.push(l))).toBeUndefined();
    expect(lines).toEqual([`bgpcap: warning: ignoring extra CA certificates from NODE_EXTRA_CA_CERTS ${f}: no such file`]);
  });
});
