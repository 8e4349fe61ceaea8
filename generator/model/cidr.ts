/** CIDR arithmetic for pod-subnet overlap checks, IPv4 and IPv6, as bigints. */
import { isIPv4 } from 'node:net';

export interface Cidr {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

export function parseCidr(text: string): Cidr | undefined {
  const [ip, prefixText] = text.split('/');
  if (ip === undefined || prefixText === undefined) return undefined;
  const family = isIPv4(ip) ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  const prefix = Number(prefixText);
  const value = family === 4 ? ipv4ToBigInt(ip) : ipv6ToBigInt(ip);
  if (value === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const first = (value >> hostBits) << hostBits;
  return { family, first, last: first + (1n << hostBits) - 1n };
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

function ipv4ToBigInt(ip: string): bigint | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) + BigInt(p), 0n);
}

function ipv6ToBigInt(ip: string): bigint | undefined {
  const [head = '', tail] = ip.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 0) return undefined;
  const all = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) + BigInt(parseInt(g, 16));
  }
  return value;
}
