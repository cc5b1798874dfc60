import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A throwaway certificate authority and a server certificate it signed, as files and PEM. */
export interface TestCertificates {
  /** The CA certificate file (PEM). */
  caFile: string;
  /** The CA certificate, to trust in a client. */
  ca: string;
  /** The server certificate file, valid for `127.0.0.1` and `localhost`. */
  certFile: string;
  /** The server's private key file. */
  keyFile: string;
}

/** Whether an `openssl` command is on the PATH. */
export function opensslAvailable(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

function openssl(dir: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`openssl ${args.join(' ')} failed (${result.error?.message ?? `status ${result.status}`}):\n${result.stderr}`);
  }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/**
 * Creates, in `dir`, a CA valid for two days and a server certificate it signed for the names
 * `127.0.0.1` and `localhost` (EC P-256 keys: instant to generate).
 */
export function createTestCertificates(dir: string): TestCertificates {
  const ca = ['req', '-x509', ...EC_KEY, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Sundial test CA'];
  openssl(dir, [...ca, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(dir, ['req', ...EC_KEY, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  const sign = ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt'];
  openssl(dir, [...sign, '-days', '2', '-extfile', 'server.ext']);
  const caFile = join(dir, 'ca.crt');
  return { caFile, ca: readFileSync(caFile, 'utf8'), certFile: join(dir, 'server.crt'), keyFile: join(dir, 'server.key') };
}
