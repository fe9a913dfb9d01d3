// Option value parsers: each throws commander's InvalidArgumentError, which becomes a one-line usage error.
import { InvalidArgumentError } from 'commander';

const UNITS: Record<string, number> = {
  '': 1,
  k: 1024,
  kb: 1000,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
};

/** "4194304", "4M", "4MiB", "512k", "1G" → bytes. */
export function parseByteSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v.trim());
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new InvalidArgumentError('expected a size in bytes, e.g. 4194304, 4M, 512k, 1G');
  const n = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive size');
  return n;
}

export function parseCount(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError('expected a positive whole number');
  const n = Number(v);
  if (n <= 0 || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

export function parsePort(v: string): number {
  if (!/^\d+$/.test(v.trim())) throw new InvalidArgumentError('expected a TCP port number (1-65535)');
  const n = Number(v);
  if (n < 1 || n > 65535) throw new InvalidArgumentError('expected a TCP port number (1-65535)');
  return n;
}
